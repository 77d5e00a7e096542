/* group_agg.c - per-group statistics of the group-by, column at a time.
 *
 * Each statistic is a tight loop over (value, local group id) pairs of a
 * chunk of rows updating plain arrays indexed by the id, then merged into
 * the global arrays chunk by chunk in chunk order (the statistics protocol:
 * the same bits for any thread count). Arithmetic mirrors pandas 1.5
 * (pandas/_libs/groupby.pyx):
 *  - sum and mean keep a Kahan-compensated sum (group_add, group_mean): per
 *    value y = x - c; t = s + y; c = (t - s) - y; s = t; a later chunk
 *    merges by one more compensated addition of its corrected sum s - c;
 *    mean = s / n;
 *  - std and var: within a chunk the two-pass method (pass 1: count and
 *    compensated sum, mean_g = (s - c) / n; pass 2: M2 += (x - mean_g)^2,
 *    no division per row; Chan, Golub and LeVeque, "Algorithms for
 *    computing the sample variance: analysis and recommendations", Am.
 *    Stat. 37, 1983), and across chunks
 *    the pairwise update of Chan, Golub and LeVeque ("Updating formulae and
 *    a pairwise algorithm for computing sample variances", 1979):
 *    delta = mean_b - mean_a, n = n_a + n_b, mean = mean_a + delta n_b / n,
 *    M2 = M2_a + M2_b + delta^2 n_a n_b / n; var = M2 / (n - 1), NaN below
 *    2 values (ddof 1), std = sqrt(var);
 *  - counts are the chunk's rows of a group (phase A) less its missing
 *    values, which the first pass over the column counts on the side;
 *  - int64 sums wrap like numpy's; min and max keep the best value
 *    (strings by strcmp rank); first and last keep a row index (merged:
 *    the earlier chunk's first, the later chunk's last).
 * Missing values (NaN or invalid) never reach a statistic. */
#include "data/group_agg.h"
#include "data/group_ids.h"

#include <math.h>
#include <string.h>

/* MOMENTS within a chunk, per local group: pass 1 keeps the compensated
 * sum {sum, comp}, then the same 16 bytes hold {mean, m2} for pass 2 (one
 * cache line per row, and 16 bytes a group keep 100k groups inside L2); the
 * corrected sum goes to a side array. The count is the chunk's rows of the
 * group (phase A) less the missing values, which pass 1 counts: missing
 * values are rare, so the count costs no memory traffic of its own. */
typedef struct mom_pair {
    double a, b; /* pass 1: sum, comp; pass 2: mean, m2 */
} mom_pair;

/* The parts of a chunk's MOMENTS scratch for n groups: level 0 holds only
 * the missing counts; levels 1 and 2 hold pairs, corrected sums, missing
 * counts. (Const scratch comes back writable: only the merge reads it.) */
static mom_pair *mom_pairs(const void *scratch) { return (mom_pair *)(uintptr_t)scratch; }
static double *mom_sums(const void *scratch, size_t n)
{
    return (double *)(mom_pairs(scratch) + n);
}
static uint32_t *mom_missing(const void *scratch, size_t n, int level)
{
    return level == 0 ? (uint32_t *)(uintptr_t)scratch : (uint32_t *)(mom_sums(scratch, n) + n);
}

/* MOMENTS of a global group. */
typedef struct gmom {
    int64_t n;
    double sum, comp, mean, m2;
} gmom;

/* MIN/MAX of an int64 or timestamp column. */
typedef struct ibest {
    int64_t v, has;
} ibest;

static bool is_numeric(sheaf_type t) { return t == SHEAF_TYPE_INT64 || t == SHEAF_TYPE_FLOAT64; }

sheaf_status sh_agg_prepare(const sh_agg_plan *plan, const char *caller)
{
    sheaf_type t = plan->col->type;
    switch (plan->agg) {
    case SHEAF_AGG_COUNT:
    case SHEAF_AGG_FIRST:
    case SHEAF_AGG_LAST:
    case SHEAF_AGG_MIN:
    case SHEAF_AGG_MAX: return SHEAF_OK;
    case SHEAF_AGG_SUM:
    case SHEAF_AGG_MEAN:
    case SHEAF_AGG_STD:
    case SHEAF_AGG_VAR:
        if (!is_numeric(t))
            return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                           "%s: cannot take the %s of %s column '%s' (needs int64 or float64)",
                           caller, sheaf_agg_name(plan->agg), sheaf_type_name(t), plan->col->name);
        return SHEAF_OK;
    }
    return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: unknown aggregation %d for column '%s'", caller,
                   (int)plan->agg, plan->col->name);
}

void sh_agg_needs(const sh_agg_plan *plan, sh_stat_kind *kind, int *level)
{
    *level = 0;
    switch (plan->agg) {
    case SHEAF_AGG_COUNT: *kind = SH_STAT_MOMENTS; break;
    case SHEAF_AGG_SUM:
        *kind = plan->col->type == SHEAF_TYPE_INT64 ? SH_STAT_ISUM : SH_STAT_MOMENTS;
        *level = 1;
        break;
    case SHEAF_AGG_MEAN:
        *kind = SH_STAT_MOMENTS;
        *level = 1;
        break;
    case SHEAF_AGG_STD:
    case SHEAF_AGG_VAR:
        *kind = SH_STAT_MOMENTS;
        *level = 2;
        break;
    case SHEAF_AGG_MIN: *kind = SH_STAT_MIN; break;
    case SHEAF_AGG_MAX: *kind = SH_STAT_MAX; break;
    case SHEAF_AGG_FIRST: *kind = SH_STAT_FIRST; break;
    case SHEAF_AGG_LAST: *kind = SH_STAT_LAST; break;
    }
}

sheaf_type sh_agg_output_type(const sh_agg_plan *plan)
{
    switch (plan->agg) {
    case SHEAF_AGG_COUNT: return SHEAF_TYPE_INT64;
    case SHEAF_AGG_MEAN:
    case SHEAF_AGG_STD:
    case SHEAF_AGG_VAR: return SHEAF_TYPE_FLOAT64;
    default: return plan->col->type;
    }
}

static size_t value_bytes(const sh_stat *s)
{
    switch (s->col->type) {
    case SHEAF_TYPE_FLOAT64: return sizeof(double);
    case SHEAF_TYPE_STRING: return sizeof(int32_t);
    default: return sizeof(ibest);
    }
}

size_t sh_stat_chunk_bytes(const sh_stat *s)
{
    switch (s->kind) {
    case SH_STAT_MOMENTS:
        return s->level == 0 ? sizeof(uint32_t)
                             : sizeof(mom_pair) + sizeof(double) + sizeof(uint32_t);
    case SH_STAT_ISUM: return sizeof(uint64_t);
    case SH_STAT_MIN:
    case SH_STAT_MAX: return value_bytes(s);
    case SH_STAT_FIRST:
    case SH_STAT_LAST: return sizeof(size_t);
    }
    return 0;
}

/* Empty statistics for n groups at p (chunk scratch or global). */
static void init_best(const sh_stat *s, void *p, size_t n)
{
    switch (s->col->type) {
    case SHEAF_TYPE_FLOAT64:
        for (size_t l = 0; l < n; l++)
            ((double *)p)[l] = NAN;
        break;
    case SHEAF_TYPE_STRING: memset(p, 0xff, n * sizeof(int32_t)); break; /* code -1 */
    default: memset(p, 0, n * sizeof(ibest)); break;
    }
}

sheaf_status sh_stat_alloc_global(sh_stat *s, size_t n)
{
    size_t bytes = s->kind == SH_STAT_MOMENTS ? sizeof(gmom) : sh_stat_chunk_bytes(s);
    if (!(s->global = sh_malloc_array(n ? n : 1, bytes))) return SHEAF_ERR_NOMEM;
    switch (s->kind) {
    case SH_STAT_MOMENTS:
    case SH_STAT_ISUM: memset(s->global, 0, n * bytes); break; /* all-zero bits are 0 and 0.0 */
    case SH_STAT_MIN:
    case SH_STAT_MAX: init_best(s, s->global, n); break;
    case SH_STAT_FIRST:
    case SH_STAT_LAST: memset(s->global, 0xff, n * bytes); break; /* SIZE_MAX: no row */
    }
    return SHEAF_OK;
}

/* ---- chunk kernels ------------------------------------------------------ */

static bool present(const sh_column *c, size_t i)
{
    if (c->valid && !c->valid[i]) return false;
    switch (c->type) {
    case SHEAF_TYPE_FLOAT64: return !isnan(c->f64[i]);
    case SHEAF_TYPE_STRING: return c->codes[i] >= 0;
    default: return true;
    }
}

/* miss[l] += missing values of local group l (level 0: the whole pass). */
static void missing_chunk(const sh_column *c, const uint32_t *rg, size_t b, size_t e,
                          uint32_t *miss)
{
    const uint8_t *valid = c->valid;
    if (c->type == SHEAF_TYPE_FLOAT64) {
        const double *v = c->f64;
        for (size_t i = b; i < e; i++) {
            uint32_t l = rg[i];
            if (l != SH_GROUP_NONE && (isnan(v[i]) || (valid && !valid[i]))) miss[l]++;
        }
    } else if (c->type == SHEAF_TYPE_STRING) {
        for (size_t i = b; i < e; i++)
            if (rg[i] != SH_GROUP_NONE && c->codes[i] < 0) miss[rg[i]]++;
    } else if (valid)
        for (size_t i = b; i < e; i++)
            if (rg[i] != SH_GROUP_NONE && !valid[i]) miss[rg[i]]++;
}

static inline void kahan_add(double *sum, double *comp, double x)
{
    double y = x - *comp;
    double t = *sum + y;
    *comp = (t - *sum) - y;
    *sum = t;
}

static void sum_chunk_f64(const sh_column *c, const uint32_t *rg, size_t b, size_t e, mom_pair *m,
                          uint32_t *miss)
{
    const double *v = c->f64;
    const uint8_t *valid = c->valid;
    for (size_t i = b; i < e; i++) {
        uint32_t l = rg[i];
        double x = v[i];
        if (l == SH_GROUP_NONE) continue;
        if (isnan(x) || (valid && !valid[i])) {
            miss[l]++;
            continue;
        }
        kahan_add(&m[l].a, &m[l].b, x);
    }
}

static void sum_chunk_i64(const sh_column *c, const uint32_t *rg, size_t b, size_t e, mom_pair *m,
                          uint32_t *miss)
{
    const int64_t *v = c->i64;
    const uint8_t *valid = c->valid;
    for (size_t i = b; i < e; i++) {
        uint32_t l = rg[i];
        if (l == SH_GROUP_NONE) continue;
        if (valid && !valid[i]) {
            miss[l]++;
            continue;
        }
        kahan_add(&m[l].a, &m[l].b, (double)v[i]);
    }
}

static void m2_chunk_f64(const sh_column *c, const uint32_t *rg, size_t b, size_t e, mom_pair *p)
{
    const double *v = c->f64;
    const uint8_t *valid = c->valid;
    for (size_t i = b; i < e; i++) {
        uint32_t l = rg[i];
        double x = v[i];
        if (l == SH_GROUP_NONE || isnan(x) || (valid && !valid[i])) continue;
        double d = x - p[l].a;
        p[l].b += d * d;
    }
}

static void m2_chunk_i64(const sh_column *c, const uint32_t *rg, size_t b, size_t e, mom_pair *p)
{
    const int64_t *v = c->i64;
    const uint8_t *valid = c->valid;
    for (size_t i = b; i < e; i++) {
        uint32_t l = rg[i];
        if (l == SH_GROUP_NONE || (valid && !valid[i])) continue;
        double d = (double)v[i] - p[l].a;
        p[l].b += d * d;
    }
}

static void moments_chunk(const sh_stat *s, const uint32_t *rg, const sh_group_chunk *ch,
                          void *scratch)
{
    const sh_column *c = s->col;
    size_t n = ch->n_local, b = ch->begin, e = ch->end;
    uint32_t *miss = mom_missing(scratch, n, s->level);
    memset(miss, 0, n * sizeof *miss);
    if (s->level == 0) {
        missing_chunk(c, rg, b, e, miss);
        return;
    }
    mom_pair *m = mom_pairs(scratch);
    double *sum = mom_sums(scratch, n);
    memset(m, 0, n * sizeof *m);
    if (c->type == SHEAF_TYPE_FLOAT64)
        sum_chunk_f64(c, rg, b, e, m, miss);
    else
        sum_chunk_i64(c, rg, b, e, m, miss);
    for (size_t l = 0; l < n; l++) {
        sum[l] = m[l].a - m[l].b;
        uint32_t count = ch->rows[l] - miss[l];
        m[l] = (mom_pair){count ? sum[l] / (double)count : 0.0, 0.0};
    }
    if (s->level < 2) return;
    if (c->type == SHEAF_TYPE_FLOAT64)
        m2_chunk_f64(c, rg, b, e, m);
    else
        m2_chunk_i64(c, rg, b, e, m);
}

static void best_chunk(const sh_stat *s, const uint32_t *rg, size_t b, size_t e, void *best)
{
    const sh_column *c = s->col;
    bool less = s->kind == SH_STAT_MIN;
    for (size_t i = b; i < e; i++) {
        uint32_t l = rg[i];
        if (l == SH_GROUP_NONE || !present(c, i)) continue;
        switch (c->type) {
        case SHEAF_TYPE_FLOAT64: {
            double *a = (double *)best + l, x = c->f64[i];
            if (isnan(*a) || (less ? x < *a : x > *a)) *a = x;
            break;
        }
        case SHEAF_TYPE_STRING: {
            int32_t *a = (int32_t *)best + l, code = c->codes[i];
            if (*a < 0 || (less ? s->rank[code] < s->rank[*a] : s->rank[code] > s->rank[*a]))
                *a = code;
            break;
        }
        default: {
            ibest *a = (ibest *)best + l;
            int64_t x = c->i64[i];
            if (!a->has || (less ? x < a->v : x > a->v)) *a = (ibest){x, 1};
            break;
        }
        }
    }
}

void sh_stat_chunk(const sh_stat *s, const uint32_t *rg, const sh_group_chunk *ch, void *scratch)
{
    const sh_column *c = s->col;
    size_t begin = ch->begin, end = ch->end, n_local = ch->n_local;
    switch (s->kind) {
    case SH_STAT_MOMENTS: moments_chunk(s, rg, ch, scratch); break;
    case SH_STAT_ISUM: {
        uint64_t *sum = scratch;
        memset(sum, 0, n_local * sizeof *sum);
        for (size_t i = begin; i < end; i++)
            if (rg[i] != SH_GROUP_NONE && (!c->valid || c->valid[i]))
                sum[rg[i]] += (uint64_t)c->i64[i]; /* wraps like numpy's int64 */
        break;
    }
    case SH_STAT_MIN:
    case SH_STAT_MAX:
        init_best(s, scratch, n_local);
        best_chunk(s, rg, begin, end, scratch);
        break;
    case SH_STAT_FIRST:
    case SH_STAT_LAST: {
        size_t *row = scratch;
        bool first = s->kind == SH_STAT_FIRST;
        memset(row, 0xff, n_local * sizeof *row);
        for (size_t i = begin; i < end; i++) {
            uint32_t l = rg[i];
            if (l == SH_GROUP_NONE || !present(c, i)) continue;
            if (!first || row[l] == SIZE_MAX) row[l] = i;
        }
        break;
    }
    }
}

/* ---- merges ------------------------------------------------------------- */

/* Global group g absorbs local group l of a later chunk ch. */
static inline void merge_one(const sh_stat *s, const sh_group_chunk *ch, const void *scratch,
                             size_t l, size_t g)
{
    switch (s->kind) {
    case SH_STAT_MOMENTS: {
        gmom *a = (gmom *)s->global + g;
        size_t n = ch->n_local;
        int64_t nb = (int64_t)ch->rows[l] - mom_missing(scratch, n, s->level)[l];
        if (nb == 0) break;
        if (s->level > 0) {
            kahan_add(&a->sum, &a->comp, mom_sums(scratch, n)[l]);
            if (s->level == 2) {
                const mom_pair *p = mom_pairs(scratch) + l;
                if (a->n == 0) {
                    a->mean = p->a;
                    a->m2 = p->b;
                } else {
                    double na = (double)a->n, dnb = (double)nb, sum_n = na + dnb;
                    double delta = p->a - a->mean;
                    a->mean += delta * dnb / sum_n;
                    a->m2 += p->b + delta * delta * na * dnb / sum_n;
                }
            }
        }
        a->n += nb;
        break;
    }
    case SH_STAT_ISUM: ((uint64_t *)s->global)[g] += ((const uint64_t *)scratch)[l]; break;
    case SH_STAT_MIN:
    case SH_STAT_MAX: {
        bool less = s->kind == SH_STAT_MIN;
        switch (s->col->type) {
        case SHEAF_TYPE_FLOAT64: {
            double *a = (double *)s->global + g, b = ((const double *)scratch)[l];
            if (!isnan(b) && (isnan(*a) || (less ? b < *a : b > *a))) *a = b;
            break;
        }
        case SHEAF_TYPE_STRING: {
            int32_t *a = (int32_t *)s->global + g, b = ((const int32_t *)scratch)[l];
            if (b >= 0 && (*a < 0 || (less ? s->rank[b] < s->rank[*a] : s->rank[b] > s->rank[*a])))
                *a = b;
            break;
        }
        default: {
            ibest *a = (ibest *)s->global + g;
            const ibest *b = (const ibest *)scratch + l;
            if (b->has && (!a->has || (less ? b->v < a->v : b->v > a->v))) *a = *b;
            break;
        }
        }
        break;
    }
    case SH_STAT_FIRST: {
        size_t *a = (size_t *)s->global + g;
        if (*a == SIZE_MAX) *a = ((const size_t *)scratch)[l];
        break;
    }
    case SH_STAT_LAST: {
        size_t b = ((const size_t *)scratch)[l];
        if (b != SIZE_MAX) ((size_t *)s->global)[g] = b;
        break;
    }
    }
}

void sh_stat_merge_dense(const sh_stat *s, const sh_group_chunk *ch, const void *scratch, size_t lo,
                         size_t hi)
{
    for (size_t l = lo; l < hi; l++)
        merge_one(s, ch, scratch, l, l);
}

void sh_stat_merge_remap(const sh_stat *s, const sh_group_chunk *ch, const void *scratch)
{
    for (size_t l = 0; l < ch->n_local; l++)
        merge_one(s, ch, scratch, l, ch->remap[l]);
}

/* ---- results ------------------------------------------------------------ */

static void set_missing(sh_column *out, size_t i)
{
    out->valid[i] = 0;
    if (out->f64) out->f64[i] = NAN;
    if (out->i64) out->i64[i] = 0;
    if (out->codes) out->codes[i] = -1;
}

void sh_agg_finish(const sh_agg_plan *plan, const sh_stat *s, const size_t *order, size_t n,
                   sh_column *out, size_t *rows)
{
    const gmom *gm = s->global;
    for (size_t i = 0; i < n; i++) {
        size_t g = order[i];
        switch (plan->agg) {
        case SHEAF_AGG_COUNT: out->i64[i] = gm[g].n; break;
        case SHEAF_AGG_SUM:
            if (s->kind == SH_STAT_ISUM)
                out->i64[i] = (int64_t)((const uint64_t *)s->global)[g];
            else
                out->f64[i] = gm[g].sum;
            break;
        case SHEAF_AGG_MEAN:
            if (gm[g].n == 0)
                set_missing(out, i);
            else
                out->f64[i] = gm[g].sum / (double)gm[g].n;
            break;
        case SHEAF_AGG_STD:
        case SHEAF_AGG_VAR: {
            if (gm[g].n < 2) {
                set_missing(out, i);
                break;
            }
            double var = gm[g].m2 / (double)(gm[g].n - 1);
            out->f64[i] = plan->agg == SHEAF_AGG_STD ? sqrt(var) : var;
            break;
        }
        case SHEAF_AGG_MIN:
        case SHEAF_AGG_MAX:
            if (plan->col->type == SHEAF_TYPE_FLOAT64) {
                double v = ((const double *)s->global)[g];
                if (isnan(v))
                    set_missing(out, i);
                else
                    out->f64[i] = v;
            } else if (plan->col->type == SHEAF_TYPE_STRING) {
                int32_t v = ((const int32_t *)s->global)[g];
                if (v < 0)
                    set_missing(out, i);
                else
                    out->codes[i] = v;
            } else {
                const ibest *b = (const ibest *)s->global + g;
                if (!b->has)
                    set_missing(out, i);
                else
                    out->i64[i] = b->v;
            }
            break;
        case SHEAF_AGG_FIRST:
        case SHEAF_AGG_LAST: rows[i] = ((const size_t *)s->global)[g]; break;
        }
    }
}
