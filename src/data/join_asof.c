/* join_asof.c - sheaf_frame_join_asof: the backward as-of join.
 *
 * Method. pandas 1.5's merge_asof(direction='backward',
 * allow_exact_matches=True) (pandas/_libs/join.pyx, asof_join_backward_on_
 * X_by_Y) walks two sorted inputs; sheaf does not require sorted inputs.
 * Both sides' rows with an on-value are radix-partitioned by the hash of
 * their by-keys (join_radix.c), so that every by-key lies in one bucket;
 * buckets are handled in parallel. In a bucket, right's records are grouped
 * by by-key (join_bucket.c, stable) and each group's (on, row) pairs are
 * sorted by on-value, then row, unless they already are (the usual case for
 * time-ordered data). Each left row then binary-searches its group for the
 * last on-value <= its own: upper_bound - 1, which among equal on-values is
 * the last in right order, as pandas picks. Every result row depends only
 * on its left row, so the thread count never changes the result. On-values
 * are compared as order-preserving unsigned words (sh_join_on_word). */
#include "data/join_internal.h"

#include <math.h>
#include <string.h>

static const char caller[] = "sheaf_frame_join_asof";

/* Left records ahead whose table slot and result word are prefetched. */
#define AHEAD 16

typedef struct asof_rec {
    uint64_t on;
    size_t row;
} asof_rec;

typedef struct asof_job {
    const sh_join_side *l, *r;
    size_t n_tasks;
    size_t *ridx; /* per left row */
} asof_job;

/* Scratch of one task: the bucket's table and its (on, row) pairs. */
typedef struct asof_scratch {
    sh_join_bucket b;
    asof_rec *recs;
    size_t cap;
} asof_scratch;

static bool before(asof_rec x, asof_rec y)
{
    return x.on < y.on || (x.on == y.on && x.row < y.row); /* row: right order, a stable sort */
}

/* Sorts a[0..n) by (on, row) - a total order, so the result is unique:
 * quicksort with a median-of-three pivot, recursing on the smaller side,
 * and insertion sort below SMALL (Sedgewick, "Implementing Quicksort
 * programs", CACM 1978); groups are small, and libc's qsort would call back
 * per comparison. */
static void sort_recs(asof_rec *a, size_t n)
{
    enum { SMALL = 16 };
    while (n > SMALL) {
        size_t mid = n / 2;
        asof_rec t;
        if (before(a[mid], a[0])) t = a[0], a[0] = a[mid], a[mid] = t;
        if (before(a[n - 1], a[0])) t = a[0], a[0] = a[n - 1], a[n - 1] = t;
        if (before(a[n - 1], a[mid])) t = a[mid], a[mid] = a[n - 1], a[n - 1] = t;
        asof_rec pivot = a[mid];
        size_t i = 0, j = n - 1;
        for (;;) { /* Hoare's partition: a[0..j] <= pivot <= a[j+1..n) */
            while (before(a[i], pivot))
                i++;
            while (before(pivot, a[j]))
                j--;
            if (i >= j) break;
            t = a[i], a[i] = a[j], a[j] = t;
            i++, j--;
        }
        if (j + 1 < n - j - 1) {
            sort_recs(a, j + 1);
            a += j + 1;
            n -= j + 1;
        } else {
            sort_recs(a + j + 1, n - j - 1);
            n = j + 1;
        }
    }
    for (size_t i = 1; i < n; i++) {
        asof_rec x = a[i];
        size_t k = i;
        for (; k > 0 && before(x, a[k - 1]); k--)
            a[k] = a[k - 1];
        a[k] = x;
    }
}

static sheaf_status check_on(const sheaf_frame *f, const char *on, const char *side,
                             const sh_column **out)
{
    size_t c;
    sheaf_status st = sh_frame_find(f, on, caller, &c);
    if (st != SHEAF_OK) return st;
    const sh_column *col = &f->cols[c];
    if (col->type == SHEAF_TYPE_STRING)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       "%s: on column '%s' is a string column on the %s; it must be int64, "
                       "float64 or timestamp",
                       caller, on, side);
    *out = col;
    return SHEAF_OK;
}

/* Groups the bucket's n right records by by-key and lays each group's
 * (on, row) pairs out in s->recs sorted by on, then row. */
static sheaf_status index_bucket(asof_scratch *s, uint64_t *rrec, size_t n, size_t stride,
                                 size_t n_words)
{
    if (n > s->cap) {
        sh_free(s->recs);
        s->cap = 0;
        if (!(s->recs = sh_malloc_array(n, sizeof *s->recs))) return SHEAF_ERR_NOMEM;
        s->cap = n;
    }
    if (sh_join_bucket_group(&s->b, rrec, n, stride, n_words) != SHEAF_OK) return SHEAF_ERR_NOMEM;
    for (size_t i = 0; i < n; i++)
        s->recs[i] = (asof_rec){rrec[i * stride + stride - 1], rrec[i * stride]};
    for (size_t g = 0; g < s->b.n_groups; g++) {
        size_t lo = sh_join_bucket_first(&s->b, g), hi = lo + sh_join_bucket_count(&s->b, g);
        size_t i = lo + 1;
        while (i < hi && s->recs[i - 1].on <= s->recs[i].on)
            i++;
        if (i < hi) sort_recs(s->recs + lo, hi - lo);
    }
    return SHEAF_OK;
}

static sheaf_status probe_buckets(asof_job *j, size_t t, asof_scratch *s)
{
    const sh_join_side *l = j->l, *r = j->r;
    size_t stride = r->stride, n_words = r->n_words;
    size_t lo = l->n_buckets * t / j->n_tasks, hi = l->n_buckets * (t + 1) / j->n_tasks;
    for (size_t bk = lo; bk < hi; bk++) {
        size_t rn = r->start[bk + 1] - r->start[bk], ln = l->start[bk + 1] - l->start[bk];
        const uint64_t *lrec = l->recs + l->start[bk] * stride;
        uint64_t *rrec = r->recs + r->start[bk] * stride;
        if (ln == 0) continue;
        if (rn > 0 && index_bucket(s, rrec, rn, stride, n_words) != SHEAF_OK)
            return sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory indexing a bucket of %zu rows",
                           caller, rn);
        for (size_t i = 0; i < ln; i++) {
            const uint64_t *rec = lrec + i * stride;
            uint64_t ow = rec[stride - 1];
            if (i + AHEAD < ln) {
                const uint64_t *ahead = lrec + (i + AHEAD) * stride;
                __builtin_prefetch(&j->ridx[ahead[0]], 1);
                if (rn > 0) sh_join_bucket_prefetch_slot(&s->b, sh_join_hash(ahead + 1, n_words));
            }
            size_t g = rn == 0 ? SIZE_MAX
                               : sh_join_bucket_find(&s->b, rrec, stride, n_words, rec + 1,
                                                     sh_join_hash(rec + 1, n_words));
            size_t m = SH_ROW_NONE;
            if (g != SIZE_MAX) {
                size_t first = sh_join_bucket_first(&s->b, g), a = first;
                size_t z = first + sh_join_bucket_count(&s->b, g);
                while (a < z) { /* a: the first pair with on > ow */
                    size_t mid = a + (z - a) / 2;
                    if (s->recs[mid].on <= ow)
                        a = mid + 1;
                    else
                        z = mid;
                }
                if (a > first) m = s->recs[a - 1].row;
            }
            j->ridx[rec[0]] = m;
        }
    }
    return SHEAF_OK;
}

static sheaf_status probe_task(void *arg, size_t t)
{
    asof_scratch s = {0};
    sheaf_status st = probe_buckets(arg, t, &s);
    sh_join_bucket_clear(&s.b);
    sh_free(s.recs);
    return st;
}

sheaf_status sheaf_frame_join_asof(const sheaf_ctx *ctx, const sheaf_frame *left,
                                   const sheaf_frame *right, const char *on, const char *const *by,
                                   size_t n_by, sheaf_frame **out)
{
    if (out) *out = NULL;
    if (!left || !right || !out)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: left, right or out is NULL", caller);
    if (!on) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: on is NULL", caller);
    sheaf_status st = SHEAF_OK;
    sh_keys lk = {0}, rk = {0};
    sh_join_side ls = {0}, rs = {0};
    size_t *ridx = NULL;
    bool *skip = NULL;
    const sh_column *lon = NULL, *ron = NULL;
    if ((st = check_on(left, on, "left", &lon)) != SHEAF_OK) goto done;
    if ((st = check_on(right, on, "right", &ron)) != SHEAF_OK) goto done;
    if (lon->type != ron->type || lon->unit != ron->unit) {
        st = sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                     "%s: on column '%s' is %s%s on the left but %s%s on the right", caller, on,
                     sheaf_type_name(lon->type),
                     lon->type == SHEAF_TYPE_TIMESTAMP && lon->unit == SHEAF_TIME_S ? "[s]" : "",
                     sheaf_type_name(ron->type),
                     ron->type == SHEAF_TYPE_TIMESTAMP && ron->unit == SHEAF_TIME_S ? "[s]" : "");
        goto done;
    }
    if ((st = sh_keys_open(&lk, left, by, n_by, caller)) != SHEAF_OK) goto done;
    if ((st = sh_keys_open(&rk, right, by, n_by, caller)) != SHEAF_OK) goto done;
    if ((st = sh_keys_bind(&lk, &rk, caller)) != SHEAF_OK) goto done;
    if (!(ridx = sh_malloc_large(left->n_rows ? left->n_rows * sizeof *ridx : 1)) ||
        !(skip = sh_calloc(right->n_cols ? right->n_cols : 1, sizeof *skip))) {
        st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory indexing %zu right rows", caller,
                     right->n_rows);
        goto done;
    }
    unsigned bits = sh_join_bucket_bits(left->n_rows, right->n_rows);
    if ((st = sh_join_partition(ctx, &rk, ron, right->n_rows, bits, NULL, caller, &rs)) != SHEAF_OK)
        goto done;
    if ((st = sh_join_partition(ctx, &lk, lon, left->n_rows, bits, ridx, caller, &ls)) != SHEAF_OK)
        goto done;
    asof_job j = {&ls, &rs, sh_join_tasks(ctx, left->n_rows + right->n_rows), ridx};
    if (j.n_tasks > ls.n_buckets) j.n_tasks = ls.n_buckets;
    if ((st = sheaf_exec_for(ctx, j.n_tasks, probe_task, &j)) != SHEAF_OK) goto done;
    skip[(size_t)(ron - right->cols)] = true;
    for (size_t k = 0; k < n_by; k++)
        skip[(size_t)(rk.cols[k].col - right->cols)] = true;
    st = sh_join_assemble(ctx, left, right, skip, NULL, ridx, left->n_rows, left->offsets,
                          left->n_partitions, caller, out);
done:
    sh_keys_clear(&lk);
    sh_keys_clear(&rk);
    sh_join_side_clear(&ls);
    sh_join_side_clear(&rs);
    sh_free(ridx);
    sh_free(skip);
    return st;
}
