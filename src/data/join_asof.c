/* join_asof.c - sheaf_frame_join_asof: the backward as-of join.
 *
 * Method. pandas 1.5's merge_asof(direction='backward',
 * allow_exact_matches=True) (pandas/_libs/join.pyx, asof_join_backward_on_
 * X_by_Y) walks two sorted inputs; sheaf does not require sorted inputs.
 * Right's rows are grouped by their by-keys (a hash table of key words,
 * keys.h) with a stable counting sort, and each group is stably sorted by
 * the on-value unless it already is (the usual case for time-ordered
 * data, and always when right is partitioned "by key, ordered by time").
 * Each left row then binary-searches its group for the last on-value <=
 * its own: upper_bound - 1, which among equal on-values is the last in
 * right order, as pandas picks. Left partitions probe in parallel; every
 * result row depends only on its left row, so the thread count never
 * changes the result. On-values are compared as order-preserving unsigned
 * words (integers with the sign bit flipped, doubles bit-twiddled). */
#include "data/join_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char caller[] = "sheaf_frame_join_asof";

typedef struct asof_rec {
    uint64_t on;
    size_t row;
} asof_rec;

typedef struct asof_job {
    const sh_keys *keys;
    const sh_key_table *table;
    const sh_column *on; /* left's */
    const size_t *offsets;
    const size_t *start; /* right groups in recs */
    const asof_rec *recs;
    size_t *ridx;
} asof_job;

/* The on-value as a word in value order, or false when missing. */
static bool on_word(const sh_column *c, size_t row, uint64_t *w)
{
    if (c->valid && !c->valid[row]) return false;
    if (c->type == SHEAF_TYPE_FLOAT64) {
        double x = c->f64[row];
        if (isnan(x)) return false;
        if (x == 0.0) x = 0.0;
        uint64_t bits;
        memcpy(&bits, &x, sizeof bits);
        *w = bits & 0x8000000000000000ull ? ~bits : bits | 0x8000000000000000ull;
    } else
        *w = (uint64_t)c->i64[row] ^ 0x8000000000000000ull;
    return true;
}

static int compare_recs(const void *a, const void *b)
{
    const asof_rec *x = a, *y = b;
    if (x->on != y->on) return x->on < y->on ? -1 : 1;
    return (x->row > y->row) - (x->row < y->row); /* right order: a stable sort */
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

/* Groups right's rows with an on-value by by-key, each group sorted by on. */
static sheaf_status build(const sh_keys *k, const sh_column *on, size_t n_rows, sh_key_table *t,
                          size_t **start_out, asof_rec **recs_out)
{
    size_t n_words = k->n_words;
    uint64_t w[n_words ? n_words : 1];
    size_t *gid = sh_malloc_array(n_rows, sizeof *gid), *start = NULL;
    asof_rec *recs = sh_malloc_array(n_rows, sizeof *recs);
    sheaf_status st = gid && recs ? sh_key_table_init(t, n_words, 1024) : SHEAF_ERR_NOMEM;
    for (size_t r = 0; r < n_rows && st == SHEAF_OK; r++) {
        bool inserted;
        uint64_t ow;
        gid[r] = SIZE_MAX;
        if (!on_word(on, r, &ow)) continue;
        sh_keys_words(k, r, w);
        st = sh_key_table_upsert(t, w, sh_keys_hash_words(w, n_words), &gid[r], &inserted);
    }
    size_t n_groups = t->n_groups;
    if (st == SHEAF_OK && !(start = sh_calloc(n_groups + 2, sizeof *start))) st = SHEAF_ERR_NOMEM;
    if (st == SHEAF_OK) {
        for (size_t r = 0; r < n_rows; r++)
            if (gid[r] != SIZE_MAX) start[gid[r] + 2]++;
        for (size_t g = 2; g < n_groups + 2; g++)
            start[g] += start[g - 1];
        for (size_t r = 0; r < n_rows; r++) {
            if (gid[r] == SIZE_MAX) continue;
            asof_rec *rec = &recs[start[gid[r] + 1]++];
            on_word(on, r, &rec->on);
            rec->row = r;
        }
        for (size_t g = 0; g < n_groups; g++) {
            size_t lo = start[g], hi = start[g + 1], i = lo + 1;
            while (i < hi && recs[i - 1].on <= recs[i].on)
                i++;
            if (i < hi) qsort(recs + lo, hi - lo, sizeof *recs, compare_recs);
        }
        *start_out = start;
        *recs_out = recs;
        start = NULL;
        recs = NULL;
    }
    sh_free(gid);
    sh_free(start);
    sh_free(recs);
    return st;
}

static sheaf_status probe_partition(void *arg, size_t p)
{
    asof_job *j = arg;
    uint64_t w[j->keys->n_words ? j->keys->n_words : 1];
    for (size_t row = j->offsets[p]; row < j->offsets[p + 1]; row++) {
        uint64_t ow;
        j->ridx[row] = SH_ROW_NONE;
        if (!on_word(j->on, row, &ow)) continue;
        sh_keys_words(j->keys, row, w);
        size_t g = sh_key_table_find(j->table, w, sh_keys_hash_words(w, j->keys->n_words));
        if (g == SIZE_MAX) continue;
        size_t lo = j->start[g], hi = j->start[g + 1]; /* first rec with on > ow */
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (j->recs[mid].on <= ow)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo > j->start[g]) j->ridx[row] = j->recs[lo - 1].row;
    }
    return SHEAF_OK;
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
    sh_key_table t = {0};
    size_t *start = NULL, *ridx = NULL;
    asof_rec *recs = NULL;
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
    if (!(ridx = sh_malloc_array(left->n_rows, sizeof *ridx)) ||
        !(skip = sh_calloc(right->n_cols, sizeof *skip)) ||
        build(&rk, ron, right->n_rows, &t, &start, &recs) != SHEAF_OK) {
        st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory indexing %zu right rows", caller,
                     right->n_rows);
        goto done;
    }
    asof_job j = {&lk, &t, lon, left->offsets, start, recs, ridx};
    if ((st = sheaf_exec_for(ctx, left->n_partitions, probe_partition, &j)) != SHEAF_OK) goto done;
    skip[(size_t)(ron - right->cols)] = true;
    for (size_t k = 0; k < n_by; k++)
        skip[(size_t)(rk.cols[k].col - right->cols)] = true;
    st = sh_join_assemble(ctx, left, right, skip, NULL, ridx, left->n_rows, left->offsets,
                          left->n_partitions, caller, out);
done:
    sh_keys_clear(&lk);
    sh_keys_clear(&rk);
    sh_key_table_clear(&t);
    sh_free(start);
    sh_free(recs);
    sh_free(ridx);
    sh_free(skip);
    return st;
}
