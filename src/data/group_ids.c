/* group_ids.c - phase A of the keyed aggregations: dense ids for the key
 * tuples of every chunk of rows, and their merge into global ids.
 *
 * Method. A single int64/timestamp key whose values span a small range
 * (found by a parallel min/max pass) needs no hashing at all: the id of a
 * row is key - min, a perfect hash, and the ids come out in key order
 * (the "array aggregation" of column stores, e.g. DuckDB's perfect hash
 * aggregate). Otherwise every chunk factorizes its tuples with a hash table
 * of key words (keys_table.c), ids in order of first appearance as pandas'
 * factorize gives them, and the coordinator merges the chunks' tables in
 * chunk order - the partial/final aggregation of Graefe, "Query evaluation
 * techniques for large databases" (1993), sec. 6 - then sorts the global
 * tuples by key (numbers by value, strings by content, missing last). Chunk
 * boundaries depend on the partition table only, so ids and everything
 * merged in chunk order are the same for any thread count. */
#include "data/group_ids.h"

#include <stdlib.h>
#include <string.h>

bool sh_group_dense_fits(size_t range, size_t n_chunks, size_t n_rows)
{
    if (range == 0 || range > SH_GROUP_DENSE_MAX_RANGE) return false;
    return n_chunks <= 2 * n_rows / range;
}

bool sh_group_layout_within(const sheaf_frame *in, const sh_keys *k)
{
    const sh_layout *l = &in->layout;
    if (!l->keys) return false;
    for (size_t a = 0; a < l->n_keys; a++) {
        bool found = false;
        for (size_t b = 0; b < k->n_keys && !found; b++)
            found = strcmp(l->keys[a], k->cols[b].col->name) == 0;
        if (!found) return false;
    }
    return true;
}

void sh_group_ids_clear(sh_group_ids *ids)
{
    for (size_t c = 0; ids->chunks && c < ids->n_chunks; c++) {
        sh_free(ids->chunks[c].first);
        sh_free(ids->chunks[c].rows);
        sh_free(ids->chunks[c].remap);
        sh_key_table_clear(&ids->chunks[c].table);
    }
    sh_free(ids->chunks);
    sh_free(ids->row_group);
    sh_free(ids->first_row);
    sh_free(ids->order);
    sh_key_table_clear(&ids->global);
    memset(ids, 0, sizeof *ids);
}

/* Each non-empty partition cut into ceil(rows / SH_GROUP_CHUNK_ROWS)
 * near-equal pieces. */
static sheaf_status make_chunks(const sheaf_frame *in, sh_group_ids *ids)
{
    size_t n = 0;
    for (size_t p = 0; p < in->n_partitions; p++) {
        size_t len = in->offsets[p + 1] - in->offsets[p];
        n += (len + SH_GROUP_CHUNK_ROWS - 1) / SH_GROUP_CHUNK_ROWS;
    }
    if (!(ids->chunks = sh_calloc(n ? n : 1, sizeof *ids->chunks))) return SHEAF_ERR_NOMEM;
    ids->n_chunks = n;
    size_t c = 0;
    for (size_t p = 0; p < in->n_partitions; p++) {
        size_t begin = in->offsets[p], len = in->offsets[p + 1] - begin;
        size_t m = (len + SH_GROUP_CHUNK_ROWS - 1) / SH_GROUP_CHUNK_ROWS;
        for (size_t j = 0; j < m; j++, c++) {
            ids->chunks[c].begin = begin + len * j / m;
            ids->chunks[c].end = begin + len * (j + 1) / m;
        }
    }
    return SHEAF_OK;
}

typedef struct build_job {
    const sh_keys *k;
    sh_group_ids *ids;
    unsigned flags;
    const char *caller;
    int64_t *lo, *hi; /* min/max pass: per chunk */
    uint8_t *any;     /* min/max pass: chunk has a present key */
    size_t slice;     /* dense merge: slots per task */
} build_job;

static sheaf_status min_max_chunk(void *arg, size_t c)
{
    build_job *j = arg;
    const sh_column *col = j->k->cols[0].col;
    const sh_group_chunk *ch = &j->ids->chunks[c];
    const int64_t *v = col->i64;
    int64_t lo = INT64_MAX, hi = INT64_MIN;
    bool any = false;
    if (!col->valid) {
        any = ch->end > ch->begin;
        for (size_t i = ch->begin; i < ch->end; i++) {
            lo = v[i] < lo ? v[i] : lo;
            hi = v[i] > hi ? v[i] : hi;
        }
    } else
        for (size_t i = ch->begin; i < ch->end; i++) {
            if (!col->valid[i]) continue;
            any = true;
            lo = v[i] < lo ? v[i] : lo;
            hi = v[i] > hi ? v[i] : hi;
        }
    j->lo[c] = lo;
    j->hi[c] = hi;
    j->any[c] = any;
    return SHEAF_OK;
}

/* Decides the dense numbering: sets ids->dense, base and n_slots. */
static sheaf_status choose_dense(const sheaf_ctx *ctx, const sheaf_frame *in, build_job *j)
{
    const sh_keys *k = j->k;
    sh_group_ids *ids = j->ids;
    if (k->n_keys != 1 || ids->n_chunks == 0) return SHEAF_OK;
    const sh_column *col = k->cols[0].col;
    if (col->type != SHEAF_TYPE_INT64 && col->type != SHEAF_TYPE_TIMESTAMP) return SHEAF_OK;
    size_t n = ids->n_chunks;
    sheaf_status st = SHEAF_OK;
    j->lo = sh_malloc_array(n, sizeof *j->lo);
    j->hi = sh_malloc_array(n, sizeof *j->hi);
    j->any = sh_malloc(n);
    if (!j->lo || !j->hi || !j->any) {
        st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory for %zu chunks", j->caller, n);
        goto done;
    }
    if ((st = sheaf_exec_for(ctx, n, min_max_chunk, j)) != SHEAF_OK) goto done;
    int64_t lo = INT64_MAX, hi = INT64_MIN;
    bool any = false;
    for (size_t c = 0; c < n; c++) {
        if (!j->any[c]) continue;
        any = true;
        lo = j->lo[c] < lo ? j->lo[c] : lo;
        hi = j->hi[c] > hi ? j->hi[c] : hi;
    }
    if (!any) goto done;
    /* The span in unsigned arithmetic cannot overflow; a span of 2^64 - 1
     * (the full int64 range) only fails the size test. */
    uint64_t span = (uint64_t)hi - (uint64_t)lo;
    bool missing_slot = col->missing > 0 && !(j->flags & SH_GROUP_DROP_MISSING);
    if (span >= SH_GROUP_DENSE_MAX_RANGE) goto done;
    size_t range = (size_t)span + 1 + missing_slot;
    if (!sh_group_dense_fits(range, n, in->n_rows)) goto done;
    ids->dense = true;
    ids->base = lo;
    ids->n_slots = range;
done:
    sh_free(j->lo);
    sh_free(j->hi);
    sh_free(j->any);
    j->lo = j->hi = NULL;
    j->any = NULL;
    return st;
}

static sheaf_status dense_chunk(void *arg, size_t c)
{
    build_job *j = arg;
    sh_group_ids *ids = j->ids;
    sh_group_chunk *ch = &ids->chunks[c];
    const sh_column *col = j->k->cols[0].col;
    size_t n_slots = ids->n_slots;
    uint32_t *rg = ids->row_group;
    ch->n_local = n_slots;
    if (!(ch->first = sh_malloc_array(n_slots, sizeof *ch->first)) ||
        (rg && !(ch->rows = sh_calloc(n_slots, sizeof *ch->rows))))
        return sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory for %zu key slots", j->caller, n_slots);
    memset(ch->first, 0xff, n_slots * sizeof *ch->first);
    const int64_t *key = col->i64;
    const uint8_t *valid = col->valid;
    const uint64_t base = (uint64_t)ids->base;
    const uint32_t missing =
        j->flags & SH_GROUP_DROP_MISSING ? SH_GROUP_NONE : (uint32_t)(n_slots - 1);
    uint32_t *first = ch->first, *rows = ch->rows;
    const size_t begin = ch->begin;
    for (size_t i = begin; i < ch->end; i++) {
        uint32_t s = valid && !valid[i] ? missing : (uint32_t)((uint64_t)key[i] - base);
        if (s == SH_GROUP_NONE) {
            if (rg) rg[i] = s;
            continue;
        }
        if (first[s] == SH_GROUP_NONE) first[s] = (uint32_t)(i - begin);
        if (rg) {
            rg[i] = s;
            rows[s]++;
        }
    }
    return SHEAF_OK;
}

/* Doubles the room of a chunk's per-local-id arrays. */
static sheaf_status grow_local(sh_group_chunk *ch, bool rows, size_t *cap)
{
    size_t n = *cap ? 2 * *cap : 256;
    uint32_t *first = sh_realloc(ch->first, n * sizeof *first);
    if (!first) return SHEAF_ERR_NOMEM;
    ch->first = first;
    if (rows) {
        uint32_t *r = sh_realloc(ch->rows, n * sizeof *r);
        if (!r) return SHEAF_ERR_NOMEM;
        ch->rows = r;
    }
    *cap = n;
    return SHEAF_OK;
}

static sheaf_status hash_chunk(void *arg, size_t c)
{
    build_job *j = arg;
    const sh_keys *k = j->k;
    sh_group_chunk *ch = &j->ids->chunks[c];
    uint32_t *rg = j->ids->row_group;
    bool drop = j->flags & SH_GROUP_DROP_MISSING;
    size_t n_words = k->n_words, len = ch->end - ch->begin, cap = 0;
    size_t stride = SH_KEY_BATCH * (n_words ? n_words : 1);
    uint64_t h[2][SH_KEY_BATCH];
    uint64_t *w = sh_malloc_array(2 * stride, sizeof *w);
    /* Few tuples repeat within a chunk in the worst case: start small and let
     * the table double. */
    if (!w || sh_key_table_init(&ch->table, n_words, len < 1024 ? len : 1024) != SHEAF_OK)
        goto nomem;
    /* Double-buffered batches: the words and hashes of the next batch are
     * made (and its slots prefetched) before the current batch's lookups,
     * so a lookup's cache miss had a whole batch of time to resolve. Lookups
     * stay in row order, so local ids do not change. */
    if (len)
        sh_keys_batch(k, &ch->table, ch->begin, len < SH_KEY_BATCH ? len : SH_KEY_BATCH, w, h[0]);
    for (size_t base = ch->begin, cur = 0; base < ch->end; base += SH_KEY_BATCH, cur ^= 1) {
        size_t m = ch->end - base < SH_KEY_BATCH ? ch->end - base : SH_KEY_BATCH;
        size_t next = base + m;
        if (next < ch->end)
            sh_keys_batch(k, &ch->table, next,
                          ch->end - next < SH_KEY_BATCH ? ch->end - next : SH_KEY_BATCH,
                          w + (cur ^ 1) * stride, h[cur ^ 1]);
        const uint64_t *wc = w + cur * stride;
        for (size_t i = 0; i < m; i++) {
            size_t g;
            bool inserted;
            if (drop && sh_keys_any_missing(k, base + i)) {
                if (rg) rg[base + i] = SH_GROUP_NONE;
                continue;
            }
            if (sh_key_table_upsert(&ch->table, wc + i * n_words, h[cur][i], &g, &inserted) !=
                SHEAF_OK)
                goto nomem;
            if (inserted) {
                if (g == cap && grow_local(ch, rg != NULL, &cap) != SHEAF_OK) goto nomem;
                ch->first[g] = (uint32_t)(base + i - ch->begin);
                if (rg) ch->rows[g] = 0;
            }
            if (rg) {
                rg[base + i] = (uint32_t)g;
                ch->rows[g]++;
            }
        }
    }
    ch->n_local = ch->table.n_groups;
    sh_free(w);
    return SHEAF_OK;
nomem:
    sh_free(w);
    return sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory numbering the keys of rows %zu..%zu",
                   j->caller, ch->begin, ch->end);
}

/* Dense merge of slots [t * slice, (t + 1) * slice): the first row of a slot
 * is the earliest chunk's. */
static sheaf_status dense_merge_slice(void *arg, size_t t)
{
    build_job *j = arg;
    sh_group_ids *ids = j->ids;
    size_t lo = t * j->slice, hi = lo + j->slice < ids->n_slots ? lo + j->slice : ids->n_slots;
    size_t *fr = ids->first_row;
    for (size_t s = lo; s < hi; s++)
        fr[s] = SIZE_MAX;
    for (size_t c = 0; c < ids->n_chunks; c++) {
        const uint32_t *first = ids->chunks[c].first;
        size_t begin = ids->chunks[c].begin;
        for (size_t s = lo; s < hi; s++)
            if (fr[s] == SIZE_MAX && first[s] != SH_GROUP_NONE) fr[s] = begin + first[s];
    }
    return SHEAF_OK;
}

static sheaf_status dense_merge(const sheaf_ctx *ctx, build_job *j)
{
    sh_group_ids *ids = j->ids;
    size_t n = ids->n_slots;
    if (!(ids->first_row = sh_malloc_array(n, sizeof *ids->first_row)))
        return sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory for %zu key slots", j->caller, n);
    j->slice = 65536;
    sheaf_status st = sheaf_exec_for(ctx, (n + j->slice - 1) / j->slice, dense_merge_slice, j);
    if (st != SHEAF_OK) return st;
    for (size_t c = 0; c < ids->n_chunks; c++) {
        sh_free(ids->chunks[c].first);
        ids->chunks[c].first = NULL;
    }
    size_t n_groups = 0;
    for (size_t s = 0; s < n; s++)
        n_groups += ids->first_row[s] != SIZE_MAX;
    ids->n_groups = n_groups;
    if (!(j->flags & SH_GROUP_SORTED)) return SHEAF_OK;
    if (!(ids->order = sh_malloc_array(n_groups ? n_groups : 1, sizeof *ids->order)))
        return sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory for %zu groups", j->caller, n_groups);
    for (size_t s = 0, g = 0; s < n; s++)
        if (ids->first_row[s] != SIZE_MAX) ids->order[g++] = s;
    return SHEAF_OK;
}

/* Chunk c's tuples into the global table, in local id order. A partition's
 * first chunk of a disjoint frame appends: no earlier partition holds its
 * tuples. */
static sheaf_status hash_merge_chunk(sh_group_ids *ids, size_t c, bool append)
{
    sh_group_chunk *ch = &ids->chunks[c];
    size_t n_words = ch->table.n_words;
    if (!(ch->remap = sh_malloc_array(ch->n_local ? ch->n_local : 1, sizeof *ch->remap)))
        return SHEAF_ERR_NOMEM;
    for (size_t l = 0; l < ch->n_local; l++) {
        const uint64_t *w = sh_key_table_words(&ch->table, l);
        uint64_t h = sh_keys_hash_words(w, n_words);
        size_t g;
        bool inserted = true;
        sheaf_status st = append ? sh_key_table_append(&ids->global, w, h, &g)
                                 : sh_key_table_upsert(&ids->global, w, h, &g, &inserted);
        if (st != SHEAF_OK) return st;
        if (inserted) ids->first_row[g] = ch->begin + ch->first[l];
        ch->remap[l] = g;
    }
    sh_key_table_clear(&ch->table);
    sh_free(ch->first);
    ch->first = NULL;
    return SHEAF_OK;
}

typedef struct sort_ctx {
    const sh_keys *keys;
    const sh_key_table *table;
} sort_ctx;

static int compare_groups(const void *a, const void *b, void *arg)
{
    const sort_ctx *s = arg;
    return sh_keys_compare_words(s->keys, sh_key_table_words(s->table, *(const size_t *)a),
                                 sh_key_table_words(s->table, *(const size_t *)b));
}

static sheaf_status hash_merge(const sheaf_frame *in, build_job *j, bool disjoint)
{
    sh_group_ids *ids = j->ids;
    size_t total = 0, biggest = 0;
    for (size_t c = 0; c < ids->n_chunks; c++) {
        total += ids->chunks[c].n_local;
        biggest = ids->chunks[c].n_local > biggest ? ids->chunks[c].n_local : biggest;
    }
    if (sh_key_table_init(&ids->global, j->k->n_words, biggest) != SHEAF_OK ||
        !(ids->first_row = sh_malloc_array(total ? total : 1, sizeof *ids->first_row)))
        goto nomem;
    size_t p = 0;
    for (size_t c = 0; c < ids->n_chunks; c++) {
        /* The chunk opens a partition when it starts at a partition's row 0. */
        bool opens = false;
        while (p < in->n_partitions && in->offsets[p] < ids->chunks[c].begin)
            p++;
        opens = p < in->n_partitions && in->offsets[p] == ids->chunks[c].begin;
        if (hash_merge_chunk(ids, c, disjoint && opens) != SHEAF_OK) goto nomem;
    }
    ids->n_slots = ids->n_groups = ids->global.n_groups;
    if (!(j->flags & SH_GROUP_SORTED)) return SHEAF_OK;
    size_t n = ids->n_groups;
    if (!(ids->order = sh_malloc_array(n ? n : 1, sizeof *ids->order))) goto nomem;
    for (size_t g = 0; g < n; g++)
        ids->order[g] = g;
    sort_ctx sc = {j->k, &ids->global};
    /* Tuples are distinct, so the sorted order is unique. */
    qsort_r(ids->order, n, sizeof *ids->order, compare_groups, &sc);
    return SHEAF_OK;
nomem:
    return sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory merging the keys of %zu chunks", j->caller,
                   ids->n_chunks);
}

sheaf_status sh_group_ids_build(const sheaf_ctx *ctx, const sheaf_frame *in, const sh_keys *k,
                                bool disjoint, unsigned flags, const char *caller,
                                sh_group_ids *ids)
{
    memset(ids, 0, sizeof *ids);
    build_job j = {.k = k, .ids = ids, .flags = flags, .caller = caller};
    sheaf_status st = SHEAF_OK;
    if (make_chunks(in, ids) != SHEAF_OK ||
        ((flags & SH_GROUP_ROW_IDS) &&
         !(ids->row_group = sh_malloc_large((in->n_rows ? in->n_rows : 1) * sizeof(uint32_t))))) {
        st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory for the group ids of %zu rows", caller,
                     in->n_rows);
        goto done;
    }
    if ((st = choose_dense(ctx, in, &j)) != SHEAF_OK) goto done;
    if (ids->dense) {
        if ((st = sheaf_exec_for(ctx, ids->n_chunks, dense_chunk, &j)) != SHEAF_OK) goto done;
        st = dense_merge(ctx, &j);
    } else {
        if ((st = sheaf_exec_for(ctx, ids->n_chunks, hash_chunk, &j)) != SHEAF_OK) goto done;
        st = hash_merge(in, &j, disjoint);
    }
done:
    if (st != SHEAF_OK) sh_group_ids_clear(ids);
    return st;
}
