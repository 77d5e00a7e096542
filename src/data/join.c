/* join.c - sheaf_frame_join: inner and left equi-joins on key columns.
 *
 * Method: the radix-partitioned hash join (Shatdal, Kant and Naughton,
 * VLDB 1994; Balkesen et al., ICDE 2013). Both sides' rows are scattered,
 * with their key words, into buckets by key hash (join_radix.c); buckets
 * are joined in parallel, each building a small table of its right keys
 * (join_bucket.c) and probing it with its left rows, which records per left
 * row its only right partner, none, or where its several partners lie.
 * When every left row has at most one partner (and, for an inner join, at
 * least one) that array is the result's right index and left's columns are
 * shared; otherwise counts per chunk of left rows and their prefix sums
 * place each left row's (left row, right row) pairs. The result rows are
 * in left order, each left row's partners in right order - pd.merge's
 * documented order (pandas/core/reshape/merge.py; pandas 1.5 follows it
 * for how='left', 2.2 also for 'inner') - independent of the thread count. */
#include "data/join_internal.h"

static const char caller[] = "sheaf_frame_join";

/* A match word: SH_ROW_NONE, a right row, or MULTI | the right record
 * where a group of several partners starts. */
#define MULTI ((size_t)1 << 63)
/* Left records ahead whose table record is prefetched; the slot and the
 * match word are prefetched twice as far ahead. */
#define AHEAD 8

typedef struct join_job {
    const sh_join_side *l, *r;
    size_t n_tasks;
    size_t *match; /* per left row */
    size_t *run;   /* per right record: the size of a several-row group, at its start */
    bool *none;    /* per task: a left row found no partner */
    bool *multi;   /* per task: a left row found several */
} join_job;

typedef struct fill_job {
    const join_job *j;
    sheaf_join_how how;
    size_t n_left, n_chunks;
    const size_t *offsets; /* left partitions */
    size_t n_parts;
    size_t *at;          /* per chunk: result rows, then its first result row */
    size_t *out_offsets; /* result partitions */
    size_t *lidx, *ridx;
} fill_job;

static sheaf_status join_buckets(join_job *j, size_t t, sh_join_bucket *b)
{
    const sh_join_side *l = j->l, *r = j->r;
    size_t stride = r->stride, n_words = r->n_words;
    size_t lo = l->n_buckets * t / j->n_tasks, hi = l->n_buckets * (t + 1) / j->n_tasks;
    for (size_t bk = lo; bk < hi; bk++) {
        size_t r0 = r->start[bk], rn = r->start[bk + 1] - r0;
        size_t ln = l->start[bk + 1] - l->start[bk];
        const uint64_t *lrec = l->recs + l->start[bk] * stride;
        uint64_t *rrec = r->recs + r0 * stride;
        if (ln == 0) continue;
        if (rn == 0) {
            for (size_t i = 0; i < ln; i++)
                j->match[lrec[i * stride]] = SH_ROW_NONE;
            j->none[t] = true;
            continue;
        }
        if (sh_join_bucket_group(b, rrec, rn, stride, n_words) != SHEAF_OK)
            return sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory joining a bucket of %zu rows",
                           caller, rn);
        if (!b->unique)
            for (size_t g = 0; g < b->n_groups; g++)
                if (sh_join_bucket_count(b, g) > 1)
                    j->run[r0 + b->gstart[g]] = sh_join_bucket_count(b, g);
        for (size_t i = 0; i < ln; i++) {
            const uint64_t *rec = lrec + i * stride;
            if (i + 2 * AHEAD < ln) {
                const uint64_t *ahead = lrec + (i + 2 * AHEAD) * stride;
                __builtin_prefetch(&j->match[ahead[0]], 1);
                sh_join_bucket_prefetch_slot(b, sh_join_hash(ahead + 1, n_words));
            }
            if (i + AHEAD < ln)
                sh_join_bucket_prefetch_record(
                    b, rrec, stride, sh_join_hash(lrec + (i + AHEAD) * stride + 1, n_words));
            size_t g = sh_join_bucket_find(b, rrec, stride, n_words, rec + 1,
                                           sh_join_hash(rec + 1, n_words));
            size_t m = SH_ROW_NONE;
            if (g == SIZE_MAX)
                j->none[t] = true;
            else if (sh_join_bucket_count(b, g) == 1)
                m = rrec[sh_join_bucket_first(b, g) * stride];
            else {
                m = MULTI | (r0 + b->gstart[g]);
                j->multi[t] = true;
            }
            j->match[rec[0]] = m;
        }
    }
    return SHEAF_OK;
}

static sheaf_status join_task(void *arg, size_t t)
{
    sh_join_bucket b = {0};
    sheaf_status st = join_buckets(arg, t, &b);
    sh_join_bucket_clear(&b);
    return st;
}

static size_t partners(const fill_job *f, size_t m)
{
    if (m == SH_ROW_NONE) return f->how == SHEAF_JOIN_LEFT;
    return m & MULTI ? f->j->run[m & ~MULTI] : 1;
}

static sheaf_status count_chunk(void *arg, size_t c)
{
    fill_job *f = arg;
    size_t n = 0;
    for (size_t row = f->n_left * c / f->n_chunks; row < f->n_left * (c + 1) / f->n_chunks; row++)
        n += partners(f, f->j->match[row]);
    f->at[c] = n;
    return SHEAF_OK;
}

static sheaf_status fill_chunk(void *arg, size_t c)
{
    fill_job *f = arg;
    size_t lo = f->n_left * c / f->n_chunks, hi = f->n_left * (c + 1) / f->n_chunks;
    size_t at = f->at[c], p = 0, stride = f->j->r->stride;
    const uint64_t *rrec = f->j->r->recs;
    while (p < f->n_parts && f->offsets[p] < lo)
        p++;
    for (size_t row = lo; row < hi; row++) {
        while (p < f->n_parts && f->offsets[p] == row)
            f->out_offsets[p++] = at;
        size_t m = f->j->match[row];
        if (m == SH_ROW_NONE) {
            if (f->how == SHEAF_JOIN_LEFT) {
                f->lidx[at] = row;
                f->ridx[at++] = SH_ROW_NONE;
            }
        } else if (m & MULTI) {
            size_t from = m & ~MULTI, n = f->j->run[from];
            for (size_t s = 0; s < n; s++) {
                f->lidx[at] = row;
                f->ridx[at++] = rrec[(from + s) * stride];
            }
        } else {
            f->lidx[at] = row;
            f->ridx[at++] = m;
        }
    }
    return SHEAF_OK;
}

/* The general result: (left row, right row) pairs placed by prefix sums
 * over chunks of left rows; result partition p starts at left partition
 * p's first row. */
static sheaf_status fill_pairs(const sheaf_ctx *ctx, fill_job *f, size_t *n_out)
{
    sheaf_status st;
    f->n_chunks = sh_join_tasks(ctx, f->n_left);
    if (!(f->at = sh_malloc_array(f->n_chunks, sizeof *f->at)) ||
        !(f->out_offsets = sh_malloc_array(f->n_parts + 1, sizeof *f->out_offsets)))
        return sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory placing the result rows", caller);
    if ((st = sheaf_exec_for(ctx, f->n_chunks, count_chunk, f)) != SHEAF_OK) return st;
    size_t total = 0;
    for (size_t c = 0; c < f->n_chunks; c++) {
        size_t n = f->at[c];
        f->at[c] = total;
        total += n;
    }
    for (size_t p = 0; p <= f->n_parts; p++)
        if (f->offsets[p] >= f->n_left) f->out_offsets[p] = total;
    *n_out = total;
    if (!(f->lidx = sh_malloc_large(total ? total * sizeof *f->lidx : 1)) ||
        !(f->ridx = sh_malloc_large(total ? total * sizeof *f->ridx : 1)))
        return sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory for %zu result rows", caller, total);
    return sheaf_exec_for(ctx, f->n_chunks, fill_chunk, f);
}

sheaf_status sheaf_frame_join(const sheaf_ctx *ctx, const sheaf_frame *left,
                              const sheaf_frame *right, const char *const *on, size_t n_on,
                              sheaf_join_how how, sheaf_frame **out)
{
    if (out) *out = NULL;
    if (!left || !right || !out)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: left, right or out is NULL", caller);
    if (how != SHEAF_JOIN_INNER && how != SHEAF_JOIN_LEFT)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       "%s: unknown join kind %d (use SHEAF_JOIN_INNER or SHEAF_JOIN_LEFT)", caller,
                       (int)how);
    if (n_on == 0 || !on)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: no key columns (n_on is 0)", caller);
    sheaf_status st = SHEAF_OK;
    sh_keys lk = {0}, rk = {0};
    sh_join_side ls = {0}, rs = {0};
    size_t n_left = left->n_rows, n_out = n_left;
    join_job j = {0};
    fill_job f = {.j = &j,
                  .how = how,
                  .n_left = n_left,
                  .offsets = left->offsets,
                  .n_parts = left->n_partitions};
    bool *skip = NULL;
    if ((st = sh_keys_open(&lk, left, on, n_on, caller)) != SHEAF_OK) goto done;
    if ((st = sh_keys_open(&rk, right, on, n_on, caller)) != SHEAF_OK) goto done;
    if ((st = sh_keys_bind(&lk, &rk, caller)) != SHEAF_OK) goto done;
    unsigned bits = sh_join_bucket_bits(n_left, right->n_rows);
    if ((st = sh_join_partition(ctx, &rk, NULL, right->n_rows, bits, NULL, caller, &rs)) !=
        SHEAF_OK)
        goto done;
    if ((st = sh_join_partition(ctx, &lk, NULL, n_left, bits, NULL, caller, &ls)) != SHEAF_OK)
        goto done;
    j = (join_job){.l = &ls, .r = &rs, .n_tasks = sh_join_tasks(ctx, n_left + right->n_rows)};
    if (j.n_tasks > ls.n_buckets) j.n_tasks = ls.n_buckets;
    /* run is written only where a key repeats: untouched pages cost nothing. */
    if (!(j.match = sh_malloc_large(n_left ? n_left * sizeof *j.match : 1)) ||
        !(j.run = sh_malloc_large(right->n_rows ? right->n_rows * sizeof *j.run : 1)) ||
        !(j.none = sh_calloc(j.n_tasks, sizeof *j.none)) ||
        !(j.multi = sh_calloc(j.n_tasks, sizeof *j.multi)) ||
        !(skip = sh_calloc(right->n_cols ? right->n_cols : 1, sizeof *skip))) {
        st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory joining %zu by %zu rows", caller, n_left,
                     right->n_rows);
        goto done;
    }
    if ((st = sheaf_exec_for(ctx, j.n_tasks, join_task, &j)) != SHEAF_OK) goto done;
    bool none = false, multi = false;
    for (size_t t = 0; t < j.n_tasks; t++) {
        none |= j.none[t];
        multi |= j.multi[t];
    }
    for (size_t k = 0; k < n_on; k++)
        skip[(size_t)(rk.cols[k].col - right->cols)] = true;
    if (!multi && (how == SHEAF_JOIN_LEFT || !none)) {
        /* Left rows kept one to one: share left's columns; match is the
         * right index. */
        st = sh_join_assemble(ctx, left, right, skip, NULL, j.match, n_left, left->offsets,
                              left->n_partitions, caller, out);
        goto done;
    }
    if ((st = fill_pairs(ctx, &f, &n_out)) != SHEAF_OK) goto done;
    st = sh_join_assemble(ctx, left, right, skip, f.lidx, f.ridx, n_out, f.out_offsets, f.n_parts,
                          caller, out);
done:
    sh_keys_clear(&lk);
    sh_keys_clear(&rk);
    sh_join_side_clear(&ls);
    sh_join_side_clear(&rs);
    sh_free(j.match);
    sh_free(j.run);
    sh_free(j.none);
    sh_free(j.multi);
    sh_free(f.at);
    sh_free(f.out_offsets);
    sh_free(f.lidx);
    sh_free(f.ridx);
    sh_free(skip);
    return st;
}
