/* keys.c - key tuples of rows: content hashes, key words, their order, and
 * an open-addressing hash table from word tuples to dense group ids.
 *
 * Method. The content hash folds h <- mix64(h ^ v) over the keys from a
 * fixed seed, v being FNV-1a of a string's bytes (sh_hash_bytes), mix64 of
 * a number's bits (-0.0 folded onto 0.0) or one constant for every missing
 * value - the hash sheaf_frame_partition_hash documents and pins. Key words
 * replace each value by one 64-bit word (a float's bits, an integer, a
 * string's dictionary code) so that equal words mean equal keys; a probe
 * frame's string codes are translated into the build frame's codes once
 * per dictionary (sh_keys_bind), the way a database's hash join compares
 * dictionary-encoded columns. Integer keys that can be missing get a flag
 * word, since every int64 value is a legal value. The hash table of
 * key words is in keys_table.c. */
#include "data/keys.h"
#include "data/dict.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The hash of a missing key of any type ("missing!" in ASCII). */
#define HASH_MISSING 0x6d697373696e6721ull
/* Starting value of the row hash, so a row's hash never starts at zero. */
#define HASH_SEED 0x736865616672736bull

uint64_t sh_mix64(uint64_t x)
{
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

static bool cell_missing(const sh_column *c, size_t row)
{
    if (c->valid && !c->valid[row]) return true;
    if (c->type == SHEAF_TYPE_FLOAT64) return isnan(c->f64[row]);
    if (c->type == SHEAF_TYPE_STRING) return c->codes[row] < 0;
    return false;
}

static uint64_t float_bits(double x)
{
    if (x == 0.0) x = 0.0; /* -0.0 == 0.0, so they must hash and match alike */
    uint64_t bits;
    memcpy(&bits, &x, sizeof bits);
    return bits;
}

static sheaf_status open_columns(sh_keys *k, const sheaf_frame *frame, const size_t *idx, size_t n,
                                 const char *caller)
{
    memset(k, 0, sizeof *k);
    if (n > 0 && !(k->cols = sh_calloc(n, sizeof *k->cols))) goto nomem;
    k->n_keys = n;
    for (size_t i = 0; i < n; i++) {
        const sh_column *c = &frame->cols[idx[i]];
        k->cols[i].col = c;
        k->cols[i].flagged =
            (c->type == SHEAF_TYPE_INT64 || c->type == SHEAF_TYPE_TIMESTAMP) && c->missing > 0;
        if (c->type != SHEAF_TYPE_STRING) continue;
        if (!(k->cols[i].dict_hash = sh_malloc_array(c->dict_size ? c->dict_size : 1, 8)))
            goto nomem;
        for (size_t d = 0; d < c->dict_size; d++)
            k->cols[i].dict_hash[d] = sh_hash_bytes(c->dict[d], strlen(c->dict[d]), 0);
    }
    k->n_words = n;
    for (size_t i = 0; i < n; i++)
        k->n_words += k->cols[i].flagged;
    return SHEAF_OK;
nomem:
    sh_keys_clear(k);
    return sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory for %zu key columns", caller, n);
}

sheaf_status sh_keys_open(sh_keys *k, const sheaf_frame *frame, const char *const *names, size_t n,
                          const char *caller)
{
    memset(k, 0, sizeof *k);
    if (n > 0 && !names) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: keys is NULL", caller);
    size_t *idx = n ? sh_malloc_array(n, sizeof *idx) : NULL;
    if (n && !idx) return sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory for %zu keys", caller, n);
    sheaf_status st = SHEAF_OK;
    for (size_t i = 0; i < n && st == SHEAF_OK; i++)
        st = sh_frame_find(frame, names[i], caller, &idx[i]);
    if (st == SHEAF_OK) st = open_columns(k, frame, idx, n, caller);
    sh_free(idx);
    return st;
}

sheaf_status sh_keys_open_all(sh_keys *k, const sheaf_frame *frame, const char *caller)
{
    size_t n = frame->n_cols;
    size_t *idx = sh_malloc_array(n ? n : 1, sizeof *idx);
    if (!idx) return sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory for %zu keys", caller, n);
    for (size_t i = 0; i < n; i++)
        idx[i] = i;
    sheaf_status st = open_columns(k, frame, idx, n, caller);
    sh_free(idx);
    return st;
}

void sh_keys_clear(sh_keys *k)
{
    for (size_t i = 0; k->cols && i < k->n_keys; i++) {
        sh_free(k->cols[i].dict_hash);
        sh_free(k->cols[i].code_word);
        sh_free(k->cols[i].rank);
    }
    sh_free(k->cols);
    memset(k, 0, sizeof *k);
}

/* code_word[d] = the build code of probe string d, or SH_KEY_ABSENT_WORD:
 * a small table of the build dictionary keyed by content hash. */
static sheaf_status translate_codes(sh_key_col *probe, const sh_key_col *build)
{
    const sh_column *pc = probe->col, *bc = build->col;
    size_t n = pc->dict_size;
    if (!(probe->code_word = sh_malloc_array(n ? n : 1, sizeof *probe->code_word)))
        return SHEAF_ERR_NOMEM;
    if (pc->dict == bc->dict) { /* shared buffers: the codes already agree */
        for (size_t d = 0; d < n; d++)
            probe->code_word[d] = d;
        return SHEAF_OK;
    }
    sh_key_table t;
    if (sh_key_table_init(&t, 1, bc->dict_size) != SHEAF_OK) return SHEAF_ERR_NOMEM;
    /* Group ids are build codes: each build string is inserted once, in
     * code order, keyed by its content hash as the single word; the strings
     * themselves settle hash collisions below. */
    size_t *first = sh_malloc_array(bc->dict_size ? bc->dict_size : 1, sizeof *first);
    sheaf_status st = first ? SHEAF_OK : SHEAF_ERR_NOMEM;
    size_t n_hashes = 0;
    for (size_t d = 0; d < bc->dict_size && st == SHEAF_OK; d++) {
        uint64_t w = build->dict_hash[d];
        size_t g;
        bool inserted;
        st = sh_key_table_upsert(&t, &w, sh_mix64(w), &g, &inserted);
        if (st == SHEAF_OK && inserted) first[n_hashes++] = d;
    }
    for (size_t d = 0; d < n && st == SHEAF_OK; d++) {
        uint64_t w = probe->dict_hash[d];
        size_t g = sh_key_table_find(&t, &w, sh_mix64(w));
        probe->code_word[d] = SH_KEY_ABSENT_WORD;
        if (g == SIZE_MAX) continue;
        if (strcmp(pc->dict[d], bc->dict[first[g]]) == 0) {
            probe->code_word[d] = first[g];
            continue;
        }
        /* A 64-bit content-hash collision: look the string up directly. */
        for (size_t b = 0; b < bc->dict_size; b++)
            if (strcmp(pc->dict[d], bc->dict[b]) == 0) {
                probe->code_word[d] = b;
                break;
            }
    }
    sh_free(first);
    sh_key_table_clear(&t);
    return st;
}

sheaf_status sh_keys_bind(sh_keys *probe, sh_keys *build, const char *caller)
{
    for (size_t i = 0; i < probe->n_keys; i++) {
        const sh_column *pc = probe->cols[i].col, *bc = build->cols[i].col;
        if (pc->type != bc->type)
            return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                           "%s: key '%s' is %s on the left but '%s' is %s on the right", caller,
                           pc->name, sheaf_type_name(pc->type), bc->name,
                           sheaf_type_name(bc->type));
        bool flag = probe->cols[i].flagged || build->cols[i].flagged;
        probe->cols[i].flagged = build->cols[i].flagged = flag;
        if (pc->type == SHEAF_TYPE_STRING &&
            translate_codes(&probe->cols[i], &build->cols[i]) != SHEAF_OK)
            return sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory matching the strings of key '%s'",
                           caller, pc->name);
    }
    probe->n_words = build->n_words = probe->n_keys;
    for (size_t i = 0; i < probe->n_keys; i++) {
        probe->n_words += probe->cols[i].flagged;
        build->n_words += build->cols[i].flagged;
    }
    return SHEAF_OK;
}

static int compare_dict_slots(const void *a, const void *b)
{
    return strcmp(**(char *const *const *)a, **(char *const *const *)b);
}

sheaf_status sh_keys_rank(sh_keys *k, const char *caller)
{
    for (size_t i = 0; i < k->n_keys; i++) {
        const sh_column *c = k->cols[i].col;
        if (c->type != SHEAF_TYPE_STRING || k->cols[i].rank) continue;
        size_t n = c->dict_size;
        char *const **slots = sh_malloc_array(n ? n : 1, sizeof *slots);
        int32_t *rank = sh_malloc_array(n ? n : 1, sizeof *rank);
        if (!slots || !rank) {
            sh_free(slots);
            sh_free(rank);
            return sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory ordering the values of '%s'", caller,
                           c->name);
        }
        for (size_t d = 0; d < n; d++)
            slots[d] = &c->dict[d];
        /* Dictionary values are distinct, so the order is unique. */
        if (n > 1) qsort(slots, n, sizeof *slots, compare_dict_slots);
        for (size_t r = 0; r < n; r++)
            rank[slots[r] - c->dict] = (int32_t)r;
        sh_free(slots);
        k->cols[i].rank = rank;
    }
    return SHEAF_OK;
}

uint64_t sh_keys_hash(const sh_keys *k, size_t row)
{
    uint64_t h = HASH_SEED;
    for (size_t i = 0; i < k->n_keys; i++) {
        const sh_column *c = k->cols[i].col;
        uint64_t v = HASH_MISSING;
        if (!cell_missing(c, row)) switch (c->type) {
            case SHEAF_TYPE_FLOAT64: v = sh_mix64(float_bits(c->f64[row])); break;
            case SHEAF_TYPE_INT64:
            case SHEAF_TYPE_TIMESTAMP: v = sh_mix64((uint64_t)c->i64[row]); break;
            case SHEAF_TYPE_STRING: v = k->cols[i].dict_hash[c->codes[row]]; break;
            case SHEAF_TYPE_AUTO: break; /* never the type of a built column */
            }
        h = sh_mix64(h ^ v);
    }
    return h;
}

void sh_keys_words(const sh_keys *k, size_t row, uint64_t *w)
{
    for (size_t i = 0; i < k->n_keys; i++) {
        const sh_key_col *kc = &k->cols[i];
        const sh_column *c = kc->col;
        switch (c->type) {
        case SHEAF_TYPE_FLOAT64: {
            double x = c->f64[row];
            *w++ = isnan(x) ? SH_KEY_MISSING_WORD : float_bits(x);
            break;
        }
        case SHEAF_TYPE_INT64:
        case SHEAF_TYPE_TIMESTAMP: {
            bool missing = c->valid && !c->valid[row];
            if (kc->flagged) *w++ = missing;
            *w++ = missing ? 0 : (uint64_t)c->i64[row];
            break;
        }
        case SHEAF_TYPE_STRING: {
            int32_t code = c->codes[row];
            *w++ = code < 0 ? SH_KEY_MISSING_WORD
                            : (kc->code_word ? kc->code_word[code] : (uint64_t)code);
            break;
        }
        case SHEAF_TYPE_AUTO: *w++ = 0; break; /* never the type of a built column */
        }
    }
}

bool sh_keys_any_missing(const sh_keys *k, size_t row)
{
    for (size_t i = 0; i < k->n_keys; i++)
        if (cell_missing(k->cols[i].col, row)) return true;
    return false;
}

uint64_t sh_keys_hash_words(const uint64_t *w, size_t n)
{
    uint64_t h = HASH_SEED;
    for (size_t i = 0; i < n; i++)
        h = sh_mix64(h ^ w[i]);
    return h;
}

static int cmp_u(uint64_t a, uint64_t b) { return (a > b) - (a < b); }

int sh_keys_compare_words(const sh_keys *k, const uint64_t *a, const uint64_t *b)
{
    for (size_t i = 0; i < k->n_keys; i++) {
        const sh_key_col *kc = &k->cols[i];
        int r = 0;
        switch (kc->col->type) {
        case SHEAF_TYPE_FLOAT64:
        case SHEAF_TYPE_STRING: {
            bool ma = *a == SH_KEY_MISSING_WORD, mb = *b == SH_KEY_MISSING_WORD;
            if (ma || mb)
                r = (int)ma - (int)mb;
            else if (kc->col->type == SHEAF_TYPE_STRING)
                r = cmp_u((uint64_t)kc->rank[*a], (uint64_t)kc->rank[*b]);
            else {
                double x, y;
                memcpy(&x, a, sizeof x);
                memcpy(&y, b, sizeof y);
                r = (x > y) - (x < y);
            }
            a++, b++;
            break;
        }
        default:
            if (kc->flagged) {
                r = cmp_u(*a, *b); /* the flag: present (0) before missing (1) */
                a++, b++;
            }
            if (r == 0) r = ((int64_t)*a > (int64_t)*b) - ((int64_t)*a < (int64_t)*b);
            a++, b++;
            break;
        }
        if (r != 0) return r;
    }
    return 0;
}

void sh_keys_words_rows(const sh_keys *k, size_t row, size_t m, uint64_t *w)
{
    size_t n_words = k->n_words, at = 0; /* at: this key's first word in a row */
    for (size_t i = 0; i < k->n_keys; i++) {
        const sh_key_col *kc = &k->cols[i];
        const sh_column *c = kc->col;
        switch (c->type) {
        case SHEAF_TYPE_FLOAT64: {
            const double *x = c->f64 + row;
            for (size_t r = 0; r < m; r++)
                w[r * n_words + at] = isnan(x[r]) ? SH_KEY_MISSING_WORD : float_bits(x[r]);
            at++;
            break;
        }
        case SHEAF_TYPE_INT64:
        case SHEAF_TYPE_TIMESTAMP: {
            const int64_t *x = c->i64 + row;
            const uint8_t *valid = c->valid ? c->valid + row : NULL;
            if (kc->flagged) {
                for (size_t r = 0; r < m; r++) {
                    bool missing = valid && !valid[r];
                    w[r * n_words + at] = missing;
                    w[r * n_words + at + 1] = missing ? 0 : (uint64_t)x[r];
                }
                at += 2;
            } else {
                for (size_t r = 0; r < m; r++)
                    w[r * n_words + at] = valid && !valid[r] ? 0 : (uint64_t)x[r];
                at++;
            }
            break;
        }
        case SHEAF_TYPE_STRING: {
            const int32_t *x = c->codes + row;
            for (size_t r = 0; r < m; r++) {
                int32_t code = x[r];
                w[r * n_words + at] = code < 0
                                          ? SH_KEY_MISSING_WORD
                                          : (kc->code_word ? kc->code_word[code] : (uint64_t)code);
            }
            at++;
            break;
        }
        case SHEAF_TYPE_AUTO: /* never the type of a built column */
            for (size_t r = 0; r < m; r++)
                w[r * n_words + at] = 0;
            at++;
            break;
        }
    }
}
