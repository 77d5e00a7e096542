/* group_agg.c - per-group accumulators of the group-by and their merge.
 *
 * Method, mirroring pandas 1.5 (pandas/_libs/groupby.pyx):
 *  - sum and mean keep a Kahan-compensated sum (group_sum, group_mean), the
 *    mean dividing by the count at the end; partitions merge by one more
 *    compensated addition of the later partition's corrected sum;
 *  - std and var keep Welford's (n, mean, M2) (group_var); partitions merge
 *    by Chan, Golub and LeVeque's pairwise update ("Updating formulae and a
 *    pairwise algorithm for computing sample variances", 1979):
 *    delta = mean_b - mean_a, n = n_a + n_b, mean = mean_a + delta n_b / n,
 *    M2 = M2_a + M2_b + delta^2 n_a n_b / n; var = M2 / (n - 1), NaN for
 *    n < 2, std = sqrt(var);
 *  - min and max keep the best value (strings by their strcmp rank);
 *  - first and last keep a row index (merged: the earlier partition's first,
 *    the later partition's last).
 * Missing values (NaN or invalid) never reach an accumulator. */
#include "data/group_agg.h"

#include <math.h>

static bool is_numeric(sheaf_type t) { return t == SHEAF_TYPE_INT64 || t == SHEAF_TYPE_FLOAT64; }

sheaf_status sh_agg_prepare(sh_agg_plan *plan, const char *caller)
{
    sheaf_type t = plan->col->type;
    switch (plan->agg) {
    case SHEAF_AGG_COUNT:
    case SHEAF_AGG_FIRST:
    case SHEAF_AGG_LAST: plan->n_lanes = 1; return SHEAF_OK;
    case SHEAF_AGG_MIN:
    case SHEAF_AGG_MAX:
        plan->n_lanes = t == SHEAF_TYPE_INT64 || t == SHEAF_TYPE_TIMESTAMP ? 2 : 1;
        return SHEAF_OK;
    case SHEAF_AGG_SUM:
    case SHEAF_AGG_MEAN:
    case SHEAF_AGG_STD:
    case SHEAF_AGG_VAR:
        if (!is_numeric(t))
            return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                           "%s: cannot take the %s of %s column '%s' (needs int64 or float64)",
                           caller, sheaf_agg_name(plan->agg), sheaf_type_name(t), plan->col->name);
        plan->n_lanes = plan->agg == SHEAF_AGG_SUM && t == SHEAF_TYPE_INT64 ? 1
                        : plan->agg == SHEAF_AGG_SUM                        ? 2
                                                                            : 3;
        return SHEAF_OK;
    }
    return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: unknown aggregation %d for column '%s'", caller,
                   (int)plan->agg, plan->col->name);
}

sheaf_type sh_agg_output_type(const sh_agg_plan *plan)
{
    switch (plan->agg) {
    case SHEAF_AGG_COUNT: return SHEAF_TYPE_INT64;
    case SHEAF_AGG_SUM: return plan->col->type;
    case SHEAF_AGG_MEAN:
    case SHEAF_AGG_STD:
    case SHEAF_AGG_VAR: return SHEAF_TYPE_FLOAT64;
    default: return plan->col->type;
    }
}

void sh_agg_init(const sh_agg_plan *plan, sh_lane *lanes)
{
    sh_lane *l = lanes + plan->lane;
    switch (plan->agg) {
    case SHEAF_AGG_FIRST:
    case SHEAF_AGG_LAST: l[0].u = UINT64_MAX; break;
    case SHEAF_AGG_MIN:
    case SHEAF_AGG_MAX:
        if (plan->col->type == SHEAF_TYPE_FLOAT64)
            l[0].d = NAN;
        else if (plan->col->type == SHEAF_TYPE_STRING)
            l[0].i = -1;
        else
            l[0].i = l[1].i = 0;
        break;
    default:
        for (size_t k = 0; k < plan->n_lanes; k++)
            l[k].u = 0; /* all-zero bits are 0 and 0.0 */
        break;
    }
}

static bool cell_missing(const sh_column *c, size_t row)
{
    if (c->valid && !c->valid[row]) return true;
    if (c->type == SHEAF_TYPE_FLOAT64) return isnan(c->f64[row]);
    return false;
}

static double value_of(const sh_column *c, size_t row)
{
    return c->type == SHEAF_TYPE_FLOAT64 ? c->f64[row] : (double)c->i64[row];
}

/* pandas' Kahan step: y = x - c; t = s + y; c = (t - s) - y; s = t. */
static void kahan_add(sh_lane *sum, sh_lane *comp, double x)
{
    double y = x - comp->d;
    double t = sum->d + y;
    comp->d = (t - sum->d) - y;
    sum->d = t;
}

static void update_min_max(const sh_agg_plan *plan, sh_lane *l, size_t row)
{
    const sh_column *c = plan->col;
    bool want_less = plan->agg == SHEAF_AGG_MIN;
    switch (c->type) {
    case SHEAF_TYPE_FLOAT64: {
        double x = c->f64[row];
        if (isnan(l[0].d) || (want_less ? x < l[0].d : x > l[0].d)) l[0].d = x;
        break;
    }
    case SHEAF_TYPE_STRING: {
        int32_t code = c->codes[row];
        if (l[0].i < 0 || (want_less ? plan->rank[code] < plan->rank[l[0].i]
                                     : plan->rank[code] > plan->rank[l[0].i]))
            l[0].i = code;
        break;
    }
    default: {
        int64_t x = c->i64[row];
        if (!l[0].i || (want_less ? x < l[1].i : x > l[1].i)) {
            l[0].i = 1;
            l[1].i = x;
        }
        break;
    }
    }
}

void sh_agg_update(const sh_agg_plan *plan, sh_lane *lanes, size_t row)
{
    const sh_column *c = plan->col;
    if (c->type == SHEAF_TYPE_STRING ? c->codes[row] < 0 : cell_missing(c, row)) return;
    sh_lane *l = lanes + plan->lane;
    switch (plan->agg) {
    case SHEAF_AGG_COUNT: l[0].i++; break;
    case SHEAF_AGG_SUM:
        if (c->type == SHEAF_TYPE_INT64)
            l[0].u += (uint64_t)c->i64[row]; /* wraps like numpy's int64 */
        else
            kahan_add(&l[0], &l[1], c->f64[row]);
        break;
    case SHEAF_AGG_MEAN:
        l[0].i++;
        kahan_add(&l[1], &l[2], value_of(c, row));
        break;
    case SHEAF_AGG_STD:
    case SHEAF_AGG_VAR: {
        double x = value_of(c, row), old = l[1].d;
        l[0].i++;
        l[1].d += (x - old) / (double)l[0].i;
        l[2].d += (x - l[1].d) * (x - old);
        break;
    }
    case SHEAF_AGG_MIN:
    case SHEAF_AGG_MAX: update_min_max(plan, l, row); break;
    case SHEAF_AGG_FIRST:
        if (l[0].u == UINT64_MAX) l[0].u = row;
        break;
    case SHEAF_AGG_LAST: l[0].u = row; break;
    }
}

static void merge_min_max(const sh_agg_plan *plan, sh_lane *a, const sh_lane *b)
{
    bool want_less = plan->agg == SHEAF_AGG_MIN;
    switch (plan->col->type) {
    case SHEAF_TYPE_FLOAT64:
        if (!isnan(b[0].d) && (isnan(a[0].d) || (want_less ? b[0].d < a[0].d : b[0].d > a[0].d)))
            a[0].d = b[0].d;
        break;
    case SHEAF_TYPE_STRING:
        if (b[0].i >= 0 && (a[0].i < 0 || (want_less ? plan->rank[b[0].i] < plan->rank[a[0].i]
                                                     : plan->rank[b[0].i] > plan->rank[a[0].i])))
            a[0].i = b[0].i;
        break;
    default:
        if (b[0].i && (!a[0].i || (want_less ? b[1].i < a[1].i : b[1].i > a[1].i))) {
            a[0].i = 1;
            a[1].i = b[1].i;
        }
        break;
    }
}

void sh_agg_merge(const sh_agg_plan *plan, sh_lane *acc, const sh_lane *src)
{
    sh_lane *a = acc + plan->lane;
    const sh_lane *b = src + plan->lane;
    switch (plan->agg) {
    case SHEAF_AGG_COUNT: a[0].i += b[0].i; break;
    case SHEAF_AGG_SUM:
        if (plan->col->type == SHEAF_TYPE_INT64)
            a[0].u += b[0].u;
        else
            kahan_add(&a[0], &a[1], b[0].d - b[1].d);
        break;
    case SHEAF_AGG_MEAN:
        a[0].i += b[0].i;
        kahan_add(&a[1], &a[2], b[1].d - b[2].d);
        break;
    case SHEAF_AGG_STD:
    case SHEAF_AGG_VAR: {
        if (b[0].i == 0) break;
        if (a[0].i == 0) {
            a[0] = b[0], a[1] = b[1], a[2] = b[2];
            break;
        }
        double na = (double)a[0].i, nb = (double)b[0].i, n = na + nb;
        double delta = b[1].d - a[1].d;
        a[1].d += delta * nb / n;
        a[2].d += b[2].d + delta * delta * na * nb / n;
        a[0].i += b[0].i;
        break;
    }
    case SHEAF_AGG_MIN:
    case SHEAF_AGG_MAX: merge_min_max(plan, a, b); break;
    case SHEAF_AGG_FIRST:
        if (a[0].u == UINT64_MAX) a[0].u = b[0].u;
        break;
    case SHEAF_AGG_LAST:
        if (b[0].u != UINT64_MAX) a[0].u = b[0].u;
        break;
    }
}

static void set_missing(sh_column *out, size_t i)
{
    out->valid[i] = 0;
    if (out->f64) out->f64[i] = NAN;
    if (out->i64) out->i64[i] = 0;
    if (out->codes) out->codes[i] = -1;
}

void sh_agg_finish(const sh_agg_plan *plan, const sh_lane *lanes, sh_column *out, size_t i)
{
    const sh_lane *l = lanes + plan->lane;
    switch (plan->agg) {
    case SHEAF_AGG_COUNT: out->i64[i] = l[0].i; break;
    case SHEAF_AGG_SUM:
        if (plan->col->type == SHEAF_TYPE_INT64)
            out->i64[i] = (int64_t)l[0].u;
        else
            out->f64[i] = l[0].d;
        break;
    case SHEAF_AGG_MEAN:
        if (l[0].i == 0)
            set_missing(out, i);
        else
            out->f64[i] = l[1].d / (double)l[0].i;
        break;
    case SHEAF_AGG_STD:
    case SHEAF_AGG_VAR:
        if (l[0].i < 2) {
            set_missing(out, i);
            break;
        }
        double var = l[2].d / (double)(l[0].i - 1);
        out->f64[i] = plan->agg == SHEAF_AGG_STD ? sqrt(var) : var;
        break;
    case SHEAF_AGG_MIN:
    case SHEAF_AGG_MAX:
        if (plan->col->type == SHEAF_TYPE_FLOAT64) {
            if (isnan(l[0].d))
                set_missing(out, i);
            else
                out->f64[i] = l[0].d;
        } else if (plan->col->type == SHEAF_TYPE_STRING) {
            if (l[0].i < 0)
                set_missing(out, i);
            else
                out->codes[i] = (int32_t)l[0].i;
        } else if (!l[0].i)
            set_missing(out, i);
        else
            out->i64[i] = l[1].i;
        break;
    case SHEAF_AGG_FIRST:
    case SHEAF_AGG_LAST: break; /* gathered by the caller */
    }
}
