#include "azbi_events.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>

#define NO_SLOT UINT32_MAX

/* The 4-ary heap keeps (time, seq, slot) keys apart from the payloads: a
 * sift moves 24-byte keys and compares them without touching the slots,
 * except to record each moved key's position (what makes cancel O(log n)).
 * Four children per node halve the depth of a binary heap, and the four
 * keys of a family share two cache lines. */

void azbi_events_init(azbi_events *q)
{
    assert(q != NULL);
    q->heap = NULL;
    q->slot = NULL;
    q->size = 0;
    q->cap = 0;
    q->free_head = NO_SLOT;
    q->next_seq = 0;
    q->now = 0.0;
}

void azbi_events_free(azbi_events *q)
{
    assert(q != NULL);
    free(q->heap);
    free(q->slot);
    azbi_events_init(q);
}

static bool grow(azbi_events *q, size_t want)
{
    size_t cap = q->cap == 0 ? AZBI_EVENTS_MIN_CAP : (size_t)q->cap * 2;
    while (cap < want) {
        cap *= 2;
    }
    if (cap >= NO_SLOT) {
        cap = NO_SLOT - 1;
        if (cap < want || cap <= q->cap) {
            return false;
        }
    }
    azbi_events_key *heap = realloc(q->heap, cap * sizeof(*heap));
    if (heap == NULL) {
        return false;
    }
    q->heap = heap;
    azbi_events_slot *slot = realloc(q->slot, cap * sizeof(*slot));
    if (slot == NULL) {
        return false; /* the larger heap array is harmless; cap is unchanged */
    }
    q->slot = slot;
    /* New slots go on the free list lowest first, so they are used in order. */
    for (size_t i = cap; i-- > q->cap;) {
        slot[i].kind = 0;
        slot[i].target = 0;
        slot[i].arg = 0;
        slot[i].gen = 0;
        slot[i].pos = q->free_head;
        q->free_head = (uint32_t)i;
    }
    q->cap = (uint32_t)cap;
    return true;
}

bool azbi_events_reserve(azbi_events *q, size_t n)
{
    assert(q != NULL);
    if (n <= q->cap) {
        return true;
    }
    return grow(q, n);
}

static bool key_less(const azbi_events_key *a, const azbi_events_key *b)
{
    return (a->time < b->time) || ((a->time == b->time) && (a->seq < b->seq));
}

/* The key travels as scalars, not as a 24-byte struct argument: that one
 * goes through the stack and stalls the loads that read it back. */
static inline void sift_up(azbi_events *q, uint32_t i, double time, uint64_t seq, uint32_t slot)
{
    azbi_events_key *heap = q->heap;
    while (i > 0) {
        uint32_t p = (i - 1) >> 2;
        if (!(time < heap[p].time || (time == heap[p].time && seq < heap[p].seq))) {
            break;
        }
        heap[i] = heap[p];
        q->slot[heap[i].slot].pos = i;
        i = p;
    }
    heap[i].time = time;
    heap[i].seq = seq;
    heap[i].slot = slot;
    q->slot[slot].pos = i;
}

static void sift_down(azbi_events *q, uint32_t i, azbi_events_key key)
{
    azbi_events_key *heap = q->heap;
    const uint32_t n = q->size;
    for (;;) {
        uint32_t c = 4 * i + 1;
        if (c >= n) {
            break;
        }
        uint32_t end = c + 4 < n ? c + 4 : n;
        uint32_t m = c;
        for (uint32_t j = c + 1; j < end; j++) {
            if (key_less(&heap[j], &heap[m])) {
                m = j;
            }
        }
        if (!key_less(&heap[m], &key)) {
            break;
        }
        heap[i] = heap[m];
        q->slot[heap[i].slot].pos = i;
        i = m;
    }
    heap[i] = key;
    q->slot[key.slot].pos = i;
}

bool azbi_events_push(azbi_events *q, double time, int32_t kind, int32_t target, uint64_t arg,
                      azbi_event_id *id)
{
    assert(q != NULL);
    assert(isfinite(time) && time >= q->now);
    if (q->free_head == NO_SLOT && !grow(q, (size_t)q->cap + 1)) {
        return false;
    }
    uint32_t s = q->free_head;
    azbi_events_slot *sl = &q->slot[s];
    q->free_head = sl->pos;
    sl->kind = kind;
    sl->target = target;
    sl->arg = arg;
    sl->gen++; /* odd while pending */
    q->size++;
    sift_up(q, q->size - 1, time, q->next_seq++, s);
    if (id != NULL) {
        *id = ((uint64_t)sl->gen << 32) | ((uint64_t)s + 1);
    }
    return true;
}

static void release(azbi_events *q, uint32_t s)
{
    azbi_events_slot *sl = &q->slot[s];
    sl->gen++; /* even while free */
    sl->pos = q->free_head;
    q->free_head = s;
}

/* Take the key at heap index i out, filling the hole with the last key. */
static void remove_at(azbi_events *q, uint32_t i)
{
    q->size--;
    if (i == q->size) {
        return;
    }
    azbi_events_key last = q->heap[q->size];
    if (i > 0 && key_less(&last, &q->heap[(i - 1) >> 2])) {
        sift_up(q, i, last.time, last.seq, last.slot);
    } else {
        sift_down(q, i, last);
    }
}

static void fill(const azbi_events *q, const azbi_events_key *key, azbi_event *out)
{
    const azbi_events_slot *sl = &q->slot[key->slot];
    out->time = key->time;
    out->seq = key->seq;
    out->kind = sl->kind;
    out->target = sl->target;
    out->arg = sl->arg;
}

/* The index of the least of the up to four children from c (c < n). */
static uint32_t min_child(const azbi_events_key *heap, uint32_t c, uint32_t n)
{
    if (c + 4 <= n) {
        uint32_t a = key_less(&heap[c + 1], &heap[c]) ? c + 1 : c;
        uint32_t b = key_less(&heap[c + 3], &heap[c + 2]) ? c + 3 : c + 2;
        return key_less(&heap[b], &heap[a]) ? b : a;
    }
    uint32_t m = c;
    for (uint32_t j = c + 1; j < n; j++) {
        if (key_less(&heap[j], &heap[m])) {
            m = j;
        }
    }
    return m;
}

/* Take the root out. The hole goes down the least children to a leaf
 * without comparing against the last key, which is then sifted up from
 * there: it belongs near the bottom, so this takes fewer comparisons than
 * sifting it down from the root (Floyd's bottom-up trick). */
static void remove_root(azbi_events *q)
{
    azbi_events_key *heap = q->heap;
    uint32_t n = --q->size;
    if (n == 0) {
        return;
    }
    uint32_t i = 0;
    for (uint32_t c = 1; c < n; c = 4 * i + 1) {
        uint32_t m = min_child(heap, c, n);
        heap[i] = heap[m];
        q->slot[heap[i].slot].pos = i;
        i = m;
    }
    sift_up(q, i, heap[n].time, heap[n].seq, heap[n].slot);
}

bool azbi_events_pop(azbi_events *q, azbi_event *out)
{
    assert(q != NULL && out != NULL);
    if (q->size == 0) {
        return false;
    }
    azbi_events_key top = q->heap[0];
    fill(q, &top, out);
    q->now = top.time;
    remove_root(q);
    release(q, top.slot);
    return true;
}

bool azbi_events_peek(const azbi_events *q, azbi_event *out)
{
    assert(q != NULL && out != NULL);
    if (q->size == 0) {
        return false;
    }
    fill(q, &q->heap[0], out);
    return true;
}

bool azbi_events_cancel(azbi_events *q, azbi_event_id id)
{
    assert(q != NULL);
    uint64_t low = id & UINT32_MAX;
    if (low == 0 || low > q->cap) {
        return false;
    }
    uint32_t s = (uint32_t)(low - 1);
    uint32_t gen = (uint32_t)(id >> 32);
    if ((gen & 1u) == 0 || q->slot[s].gen != gen) {
        return false;
    }
    remove_at(q, q->slot[s].pos);
    release(q, s);
    return true;
}

size_t azbi_events_size(const azbi_events *q)
{
    assert(q != NULL);
    return q->size;
}

size_t azbi_events_capacity(const azbi_events *q)
{
    assert(q != NULL);
    return q->cap;
}

double azbi_events_now(const azbi_events *q)
{
    assert(q != NULL);
    return q->now;
}
