#include <math.h>
#include <string.h>

#include "azbi_model.h"

/* Round trips, docs/models.md "Network". `geo` is the geography of the users
 * the request came from (-1 when it entered at a server node); it matters
 * only for calls out of an edge POP or a DNS router, which happen where the
 * users are. */

/* Users in `geo` to node b. */
static double from_users(const azbi_model_work *w, const azb_catalog *cat, int geo, int b,
                         azb_hop *hop)
{
    const azbi_mnode *mb = &w->mn[b];
    *hop = AZB_HOP_INTERNET;
    switch (mb->loc) {
    case AZBI_LOC_REGION:
        if (geo < 0) {
            geo = cat->regions[mb->region].geo;
        }
        return azb_catalog_client_rtt_ms(cat, geo, mb->region);
    case AZBI_LOC_DNS:
        *hop = AZB_HOP_DNS;
        return 0.0;
    case AZBI_LOC_UNPLACED: {
        /* assumed in the region nearest the users */
        double best = AZB_MODEL_ACCESS_RTT_MS;
        for (int r = 0; geo >= 0 && r < cat->nregions; r++) {
            double x = azb_catalog_client_rtt_ms(cat, geo, r);
            best = r == 0 ? x : fmin(best, x);
        }
        return best;
    }
    default: /* an edge POP */
        return AZB_MODEL_ACCESS_RTT_MS;
    }
}

/* Same region: the expected RTT when each end sits in one of its zones with
 * equal probability, independently. Unknown zones count as different. */
static double same_region(const azb_catalog *cat, const azbi_mnode *a, const azbi_mnode *b,
                          double *cross)
{
    double same = 0.0;
    if (a->nzones > 0 && b->nzones > 0) {
        unsigned both = a->zmask & b->zmask;
        int nboth = 0;
        for (int z = 1; z <= 3; z++) {
            nboth += (both >> z) & 1u;
        }
        same = (double)nboth / ((double)a->nzones * (double)b->nzones);
    }
    *cross = 1.0 - same;
    return same * cat->intra_zone_rtt_ms + (1.0 - same) * cat->inter_zone_rtt_ms;
}

static double edge_rtt(const azbi_model_work *w, const azb_catalog *cat, const azb_edge *e, int geo,
                       azb_hop *hop, double *cross)
{
    const azbi_mnode *ma = &w->mn[e->from_idx];
    const azbi_mnode *mb = &w->mn[e->to_idx];
    *cross = 0.0;
    if (mb->loc == AZBI_LOC_DNS) {
        *hop = AZB_HOP_DNS;
        return 0.0;
    }
    switch (ma->loc) {
    case AZBI_LOC_CLIENT:
        return from_users(w, cat, ma->geo, e->to_idx, hop);
    case AZBI_LOC_DNS:
        /* the users, having resolved the name, call the target themselves */
        return from_users(w, cat, geo, e->to_idx, hop);
    case AZBI_LOC_EDGE:
        if (mb->loc == AZBI_LOC_REGION) {
            /* The POP is next to the users: what is left of the users' RTT
             * to the origin once the last mile is paid (at least one hop
             * inside Azure). */
            int g = geo >= 0 ? geo : cat->regions[mb->region].geo;
            double r = azb_catalog_client_rtt_ms(cat, g, mb->region) - AZB_MODEL_ACCESS_RTT_MS;
            *hop = AZB_HOP_BACKBONE;
            return fmax(r, cat->inter_zone_rtt_ms);
        }
        *hop = AZB_HOP_ZONE; /* two services of one POP */
        return cat->intra_zone_rtt_ms;
    case AZBI_LOC_REGION:
        if (mb->loc == AZBI_LOC_REGION) {
            if (ma->region != mb->region) {
                *hop = AZB_HOP_INTER_REGION;
                return azb_catalog_rtt_ms(cat, ma->region, mb->region);
            }
            double r = same_region(cat, ma, mb, cross);
            *hop = *cross > 0.0 ? AZB_HOP_REGION : AZB_HOP_ZONE;
            return r;
        }
        *hop = AZB_HOP_REGION; /* to a POP or an unplaced node: as if in the region */
        return cat->inter_zone_rtt_ms;
    default: /* unplaced caller */
        *hop = AZB_HOP_REGION;
        return cat->inter_zone_rtt_ms;
    }
}

static bool depends_on_geo(const azbi_model_work *w, const azb_edge *e)
{
    unsigned char la = w->mn[e->from_idx].loc;
    unsigned char lb = w->mn[e->to_idx].loc;
    return lb != AZBI_LOC_DNS &&
           (la == AZBI_LOC_DNS || (la == AZBI_LOC_EDGE && lb == AZBI_LOC_REGION));
}

void azbi_model_net_static(azbi_model_work *w, const azb_design *d, const azb_catalog *cat,
                           azb_edge_result *out)
{
    w->ngeo_edges = 0;
    for (int j = 0; j < d->nedges; j++) {
        const azb_edge *e = &d->edges[j];
        azb_hop hop = AZB_HOP_ZONE;
        double cross = 0.0;
        memset(&out[j], 0, sizeof(out[j]));
        w->rtt_static[j] = edge_rtt(w, cat, e, -1, &hop, &cross);
        w->rtt_cur[j] = w->rtt_static[j];
        w->geo_dep[j] = depends_on_geo(w, e) ? 1 : 0;
        if (w->geo_dep[j]) {
            w->geo_edges[w->ngeo_edges++] = j;
        }
        out[j].hop = hop;
        out[j].cross_zone = cross;
        out[j].rtt_ms = w->rtt_static[j];
    }
}

void azbi_model_net_geo(azbi_model_work *w, const azb_design *d, const azb_catalog *cat, int geo)
{
    for (int i = 0; i < w->ngeo_edges; i++) {
        int j = w->geo_edges[i];
        azb_hop hop = AZB_HOP_ZONE;
        double cross = 0.0;
        w->rtt_cur[j] = edge_rtt(w, cat, &d->edges[j], geo, &hop, &cross);
    }
}
