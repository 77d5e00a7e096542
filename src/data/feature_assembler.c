/* feature_assembler.c - the vector assembler: numeric columns into one
 * row-major float64 design-matrix block per partition plus a label vector,
 * as Spark 3's VectorAssembler (mllib/src/main/scala/org/apache/spark/ml/
 * feature/VectorAssembler.scala, handleInvalid error / skip / keep) builds
 * its feature vectors, here dense and blocked by partition.
 *
 * Columns are stored column by column and the blocks row by row, so the copy
 * is a transpose. It runs over tiles of TILE rows assembled in a small
 * buffer that stays in cache: one pass per column writing the tile's rows
 * of that column (one loop per storage kind, no per-element dispatch) and
 * noting whether any is missing. A tile with a missing value is checked
 * under ERROR (find the first one) and compacted under SKIP (drop those
 * rows). The finished tile is streamed to the block with non-temporal
 * stores: the block (rows x features doubles, the bulk of the work's
 * memory traffic) is written once and not read back soon, so its cache
 * lines need not be fetched first. Every block lives at its partition's
 * row offset in one allocation, so a partition's rows never move and SKIP
 * only leaves a gap at the block's end; partitions run in parallel. */
#include "data/feature_internal.h"

#include <stdint.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define TILE 256

struct sheaf_design {
    size_t n_partitions, n_features, n_rows;
    char **names;
    double *x;     /* block p at x + start[p] * n_features */
    double *y;     /* NULL without a label */
    size_t *start; /* n_partitions: the block's first row slot */
    size_t *rows;  /* n_partitions: rows of the block */
};

void sheaf_design_free(sheaf_design *d)
{
    if (!d) return;
    for (size_t j = 0; d->names && j < d->n_features; j++)
        sh_free(d->names[j]);
    sh_free(d->names);
    sh_free(d->x);
    sh_free(d->y);
    sh_free(d->start);
    sh_free(d->rows);
    sh_free(d);
}

typedef struct assemble_job {
    const sheaf_frame *in;
    const sh_column **cols; /* n_features, then the label (or NULL) */
    size_t nf;
    sheaf_missing_policy policy;
    sheaf_design *d;
} assemble_job;

/* bad[i] |= row t0 + i of c is missing, i < len. */
static void mark_missing(const sh_column *c, size_t t0, size_t len, uint8_t *bad)
{
    if (c->type == SHEAF_TYPE_FLOAT64) {
        const double *v = c->f64 + t0;
        for (size_t i = 0; i < len; i++)
            bad[i] |= v[i] != v[i];
    } else if (c->valid) {
        const uint8_t *ok = c->valid + t0;
        for (size_t i = 0; i < len; i++)
            bad[i] |= !ok[i];
    }
}

/* dst[i * stride] = row t0 + i of c as double (NaN where missing), i <
 * len; returns whether any of these rows is missing (float64 columns only
 * when check asks). One loop per storage kind, none dispatching per
 * element. */
static bool copy_rows(const sh_column *c, size_t t0, size_t len, double *restrict dst,
                      size_t stride, bool check)
{
    bool missing = false;
    if (c->type == SHEAF_TYPE_FLOAT64) {
        const double *restrict v = c->f64 + t0;
        for (size_t i = 0; i < len; i++)
            dst[i * stride] = v[i];
        for (size_t i = 0; check && i < len; i++)
            missing |= v[i] != v[i];
    } else {
        const int64_t *restrict v = c->i64 + t0;
        for (size_t i = 0; i < len; i++)
            dst[i * stride] = (double)v[i];
        const uint8_t *ok = c->valid ? c->valid + t0 : NULL;
        for (size_t i = 0; ok && i < len; i++)
            if (!ok[i]) {
                dst[i * stride] = NAN;
                missing = true;
            }
    }
    return missing;
}

/* Copies n doubles to dst, which nobody reads soon: non-temporal stores
 * where the target has them, so the block's cache lines are written
 * without first being read. */
static void stream_out(double *restrict dst, const double *restrict src, size_t n)
{
#if defined(__SSE2__)
    size_t i = 0;
    for (; i < n && ((uintptr_t)(dst + i) & 15u) != 0; i++)
        dst[i] = src[i];
    for (; i + 2 <= n; i += 2)
        _mm_stream_pd(dst + i, _mm_loadu_pd(src + i));
    for (; i < n; i++)
        dst[i] = src[i];
#else
    memcpy(dst, src, n * sizeof *dst);
#endif
}

static sheaf_status report_missing(const assemble_job *job, size_t row)
{
    for (size_t j = 0; j <= job->nf; j++) {
        const sh_column *c = job->cols[j];
        if (c && sh_feature_value(c, row) != sh_feature_value(c, row))
            return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                           "sheaf_vector_assemble: %s column '%s' has a missing value at row %zu "
                           "(policy error)",
                           j < job->nf ? "feature" : "label", c->name, row);
    }
    return sh_fail(SHEAF_ERR_INTERNAL, "sheaf_vector_assemble: row %zu", row);
}

/* One tile of len rows from row t0: the features of those rows in tile
 * (TILE x nf doubles, row-major) and the label in ytile, with the rows the
 * policy drops removed; returns the rows kept, or SIZE_MAX after reporting
 * a missing value under ERROR. */
static size_t assemble_tile(const assemble_job *job, size_t t0, size_t len, double *tile,
                            double *ytile, uint8_t *bad)
{
    size_t nf = job->nf;
    const sh_column *label = job->cols[nf];
    bool any = false, check = job->policy != SHEAF_MISSING_KEEP;
    for (size_t j = 0; j < nf; j++)
        any |= copy_rows(job->cols[j], t0, len, tile + j, nf, check);
    if (label) any |= copy_rows(label, t0, len, ytile, 1, check);
    if (!any || job->policy == SHEAF_MISSING_KEEP) return len;
    memset(bad, 0, len);
    for (size_t j = 0; j <= nf; j++)
        if (job->cols[j]) mark_missing(job->cols[j], t0, len, bad);
    if (job->policy == SHEAF_MISSING_ERROR) {
        size_t i = 0;
        while (!bad[i])
            i++;
        report_missing(job, t0 + i);
        return SIZE_MAX;
    }
    size_t kept = 0;
    for (size_t i = 0; i < len; i++) {
        if (bad[i]) continue;
        if (kept != i) {
            memmove(tile + kept * nf, tile + i * nf, nf * sizeof *tile);
            ytile[kept] = ytile[i];
        }
        kept++;
    }
    return kept;
}

static sheaf_status assemble_task(void *arg, size_t p)
{
    const assemble_job *job = arg;
    sheaf_design *d = job->d;
    size_t begin = job->in->offsets[p], end = job->in->offsets[p + 1], nf = job->nf;
    size_t out_row = d->start[p];
    uint8_t bad[TILE];
    double ytile[TILE];
    /* The tile is assembled in cache, then streamed to the block. */
    double *tile = begin < end ? sh_malloc_array(TILE * nf, sizeof *tile) : NULL;
    if (begin < end && !tile)
        return sh_fail(SHEAF_ERR_NOMEM,
                       "sheaf_vector_assemble: out of memory for a tile of %zu features", nf);
    sheaf_status st = SHEAF_OK;
    for (size_t t0 = begin; t0 < end; t0 += TILE) {
        size_t len = end - t0 < TILE ? end - t0 : TILE;
        size_t kept = assemble_tile(job, t0, len, tile, ytile, bad);
        if (kept == SIZE_MAX) {
            st = SHEAF_ERR_INVALID_ARGUMENT;
            break;
        }
        stream_out(d->x + out_row * nf, tile, kept * nf);
        if (d->y) memcpy(d->y + out_row, ytile, kept * sizeof *ytile);
        out_row += kept;
    }
#if defined(__SSE2__)
    _mm_sfence(); /* the streamed stores are visible before the task ends */
#endif
    sh_free(tile);
    d->rows[p] = out_row - d->start[p];
    return st;
}

static sheaf_status find_numeric(const sheaf_frame *in, const char *name, const char *caller,
                                 const sh_column **out)
{
    size_t c;
    sheaf_status st = sh_frame_find(in, name, caller, &c);
    if (st != SHEAF_OK) return st;
    sheaf_type t = in->cols[c].type;
    if (t != SHEAF_TYPE_FLOAT64 && t != SHEAF_TYPE_INT64)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       "%s: column '%s' is %s, not numeric (float64 or int64)", caller, name,
                       sheaf_type_name(t));
    *out = &in->cols[c];
    return SHEAF_OK;
}

sheaf_status sheaf_vector_assemble(const sheaf_ctx *ctx, const sheaf_frame *in,
                                   const char *const *features, size_t nf, const char *label,
                                   sheaf_missing_policy policy, sheaf_design **out)
{
    static const char caller[] = "sheaf_vector_assemble";
    if (!out) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: out is NULL", caller);
    *out = NULL;
    if (!in || !features || nf == 0)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: frame or features is NULL, or no features",
                       caller);
    if ((unsigned)policy > SHEAF_MISSING_KEEP)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: unknown missing policy %d", caller,
                       (int)policy);
    sheaf_status st = SHEAF_OK;
    const sh_column **cols = sh_calloc(nf + 1, sizeof *cols);
    sheaf_design *d = sh_calloc(1, sizeof *d);
    size_t np = in->n_partitions, n = in->n_rows;
    if (!cols || !d) goto nomem;
    for (size_t j = 0; j < nf && st == SHEAF_OK; j++) {
        st = find_numeric(in, features[j], caller, &cols[j]);
        for (size_t k = 0; k < j && st == SHEAF_OK; k++)
            if (cols[k] == cols[j])
                st = sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: feature '%s' is named twice", caller,
                             features[j]);
    }
    if (st == SHEAF_OK && label) st = find_numeric(in, label, caller, &cols[nf]);
    if (st != SHEAF_OK) goto done;
    d->n_partitions = np;
    d->n_features = nf;
    if (!(d->names = sh_calloc(nf, sizeof *d->names))) goto nomem;
    for (size_t j = 0; j < nf; j++)
        if (!(d->names[j] = sh_strdup(features[j]))) goto nomem;
    d->start = sh_malloc_array(np, sizeof *d->start);
    d->rows = sh_calloc(np, sizeof *d->rows);
    if (!d->start || !d->rows) goto nomem;
    memcpy(d->start, in->offsets, np * sizeof *d->start);
    if (n > SIZE_MAX / sizeof(double) / nf) goto nomem;
    if (!(d->x = sh_malloc_large((n ? n : 1) * nf * sizeof *d->x))) goto nomem;
    if (label && !(d->y = sh_malloc_large((n ? n : 1) * sizeof *d->y))) goto nomem;
    assemble_job job = {in, cols, nf, policy, d};
    if ((st = sheaf_exec_for(ctx, np, assemble_task, &job)) != SHEAF_OK) goto done;
    for (size_t p = 0; p < np; p++)
        d->n_rows += d->rows[p];
done:
    sh_free(cols);
    if (st != SHEAF_OK) {
        sheaf_design_free(d);
        d = NULL;
    }
    *out = d;
    return st;
nomem:
    st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory for %zu rows x %zu features", caller, n, nf);
    goto done;
}

size_t sheaf_design_num_partitions(const sheaf_design *d) { return d ? d->n_partitions : 0; }
size_t sheaf_design_num_rows(const sheaf_design *d) { return d ? d->n_rows : 0; }
size_t sheaf_design_num_features(const sheaf_design *d) { return d ? d->n_features : 0; }
int sheaf_design_has_label(const sheaf_design *d) { return d && d->y; }

const char *sheaf_design_feature_name(const sheaf_design *d, size_t j)
{
    return d && j < d->n_features ? d->names[j] : NULL;
}

sheaf_status sheaf_design_block(const sheaf_design *d, size_t p, const double **x, const double **y,
                                size_t *rows)
{
    if (!d) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "sheaf_design_block: design is NULL");
    if (p >= d->n_partitions)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       "sheaf_design_block: partition %zu out of range (design has %zu)", p,
                       d->n_partitions);
    if (x) *x = d->x + d->start[p] * d->n_features;
    if (y) *y = d->y ? d->y + d->start[p] : NULL;
    if (rows) *rows = d->rows[p];
    return SHEAF_OK;
}

sheaf_status sheaf_design_copy(const sheaf_design *d, double *x, size_t ld, double *y)
{
    static const char caller[] = "sheaf_design_copy";
    if (!d) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: design is NULL", caller);
    if (x && ld < d->n_features)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: ld %zu is below the %zu features", caller,
                       ld, d->n_features);
    if (y && !d->y)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: the design has no label", caller);
    size_t nf = d->n_features, row = 0;
    for (size_t p = 0; p < d->n_partitions; p++) {
        const double *bx = d->x + d->start[p] * nf;
        if (x && ld == nf)
            memcpy(x + row * ld, bx, d->rows[p] * nf * sizeof *x);
        else if (x)
            for (size_t i = 0; i < d->rows[p]; i++)
                memcpy(x + (row + i) * ld, bx + i * nf, nf * sizeof *x);
        if (y) memcpy(y + row, d->y + d->start[p], d->rows[p] * sizeof *y);
        row += d->rows[p];
    }
    return SHEAF_OK;
}
