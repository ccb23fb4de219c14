/*
 * azbi_events: the simulator's pending-event set (internal to engine/sim).
 *
 * Model. A priority queue of events keyed by (time, seq): seq is a 64-bit
 * counter the queue assigns at push, so the key is a total order: an event
 * comes out before every event with a later time, and among events with the
 * same time, in the order they were pushed (FIFO). Two runs that push the
 * same events in the same order pop them in the same order, whatever the
 * heap's layout: this is what makes the simulator deterministic.
 *
 * Structure. A 4-ary implicit heap of small keys (time, seq, slot) over a
 * pool of event slots (kind, target, arg). Freed slots go on a free list
 * and are reused; pool and heap grow together, by doubling from
 * AZBI_EVENTS_MIN_CAP, and never shrink, so after warm-up (once the peak
 * number of pending events has been reached) push and pop never allocate.
 * azbi_events_capacity says how many slots are held; azbi_events_reserve
 * grows it up front. Push and pop are O(log4 n); peek, size O(1); cancel
 * O(log4 n) (each slot remembers its heap position).
 *
 * Units. time is whatever the simulator uses (seconds); the queue only
 * compares it.
 *
 * Invariants. The queue's clock is the time of the last event popped (0 at
 * first). Pushing an event earlier than that clock is time going backwards
 * and asserts, as does a NaN or infinite time. An event id is valid from its
 * push until it is popped or cancelled; a stale id is detected (a
 * generation count) and cancel returns false for it. Id 0 is never issued.
 *
 * Errors. Out of memory on growth: push returns false and the queue is
 * unchanged. Contract violations (NULL, bad time) assert.
 *
 * Ownership. The caller owns the azbi_events value; azbi_events_init and
 * azbi_events_free manage the memory it points to. Popped events are copied
 * out; no pointer into the queue is ever handed out.
 */
#ifndef AZBI_EVENTS_H
#define AZBI_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define AZBI_EVENTS_MIN_CAP 1024u

/* An event as pushed and popped. time and seq are set by push. */
typedef struct azbi_event {
    double time;
    uint64_t seq;
    int32_t kind;   /* the simulator's event type */
    int32_t target; /* e.g. a station or instance index */
    uint64_t arg;   /* e.g. a request id */
} azbi_event;

/* An id for cancel: (generation << 32) | (slot + 1); 0 is never issued. */
typedef uint64_t azbi_event_id;

typedef struct azbi_events_key {
    double time;
    uint64_t seq;
    uint32_t slot;
} azbi_events_key;

typedef struct azbi_events_slot {
    int32_t kind;
    int32_t target;
    uint64_t arg;
    uint32_t pos; /* heap index while pending; next free slot while free */
    uint32_t gen;
} azbi_events_slot;

typedef struct azbi_events {
    azbi_events_key *heap;
    azbi_events_slot *slot;
    uint32_t size;
    uint32_t cap;
    uint32_t free_head; /* UINT32_MAX when empty */
    uint64_t next_seq;
    double now;
} azbi_events;

/* An empty queue holding no memory. */
void azbi_events_init(azbi_events *q);
/* Free the queue's memory; it is empty (and usable) afterwards. */
void azbi_events_free(azbi_events *q);
/* Grow to hold at least n pending events; false when out of memory. */
bool azbi_events_reserve(azbi_events *q, size_t n);

/* Schedule an event at `time` (>= the last popped time). *id (if not NULL)
 * receives its id. False (and no change) when out of memory. */
bool azbi_events_push(azbi_events *q, double time, int32_t kind, int32_t target, uint64_t arg,
                      azbi_event_id *id);
/* Remove the earliest event into *out; false when the queue is empty. */
bool azbi_events_pop(azbi_events *q, azbi_event *out);
/* Copy the earliest event into *out without removing it; false when empty. */
bool azbi_events_peek(const azbi_events *q, azbi_event *out);
/* Remove a pending event; false when the id is no longer pending. */
bool azbi_events_cancel(azbi_events *q, azbi_event_id id);

/* Pending events. */
size_t azbi_events_size(const azbi_events *q);
/* Slots held (pending + free); constant once warm. */
size_t azbi_events_capacity(const azbi_events *q);
/* The time of the last event popped (0 before any). */
double azbi_events_now(const azbi_events *q);

#endif
