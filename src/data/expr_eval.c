/* expr_eval.c - sheaf_frame_with_column: parse once, compile once, then
 * interpret the register code over blocks of SH_EXPR_BLOCK rows of every
 * partition in parallel (sheaf_exec_for).
 *
 * Each instruction is one tight loop over a block, so the per-row cost is
 * that of the arithmetic itself, the interpreter's dispatch is paid once
 * per block, and the only allocation is one scratch area per partition.
 * Numerics follow numpy, which pandas uses: % is numpy.remainder (the sign
 * of the divisor), ** is pow, round is numpy.round (round half to even at
 * the scaled value, numpy/core/src/multiarray/calculation.c), log/sqrt of a
 * negative number is NaN. Calendar parts use Howard Hinnant's
 * days-to-civil algorithm ("chrono-Compatible Low-Level Date Algorithms")
 * on floor-divided days, so times before 1970 work; Monday is day 0 as in
 * pandas' .dt.dayofweek. Every row's result depends on that row only, so
 * the output does not depend on the thread count. */
#include "data/clean_internal.h"
#include "data/expr_internal.h"
#include "sheaf_clean.h"

#include <math.h>
#include <string.h>

typedef union cell {
    double f;
    int64_t i;
} cell;

typedef struct eval_job {
    const sheaf_frame *in;
    const sh_expr_program *prog;
    sh_column *out;
} eval_job;

/* numpy.remainder on doubles (npy_divmod): the result has b's sign. */
static double remainder_np(double a, double b)
{
    double mod = fmod(a, b);
    if (b == 0) return mod;
    if (mod != 0) {
        if ((b < 0) != (mod < 0)) mod += b;
    } else {
        mod = copysign(0.0, b);
    }
    return mod;
}

/* numpy.round(x, digits): rint at the scaled value. */
static double round_np(double x, double digits)
{
    if (digits >= 0) {
        double f = pow(10.0, digits);
        return rint(x * f) / f;
    }
    double f = pow(10.0, -digits);
    return rint(x / f) * f;
}

/* Calendar part `part` of t (units since the epoch; unit_per_second 1 or
 * 1e9), UTC. */
static int64_t calendar_part(int64_t t, int part, int64_t unit_per_second)
{
    const int64_t per_day = 86400 * unit_per_second;
    int64_t days = t / per_day, rem = t % per_day;
    if (rem < 0) {
        rem += per_day;
        days--;
    }
    int64_t second = rem / unit_per_second;
    switch (part) {
    case SH_FN_HOUR: return second / 3600;
    case SH_FN_MINUTE: return second / 60 % 60;
    case SH_FN_DAYOFWEEK: return ((days % 7) + 7 + 3) % 7; /* 1970-01-01 was a Thursday */
    default: break;
    }
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t day = doy - (153 * mp + 2) / 5 + 1;
    int64_t month = mp < 10 ? mp + 3 : mp - 9;
    int64_t year = yoe + era * 400 + (month <= 2);
    return part == SH_FN_YEAR ? year : part == SH_FN_MONTH ? month : day;
}

static double apply_fn(int fn, double x, double digits)
{
    switch (fn) {
    case SH_FN_LOG: return log(x);
    case SH_FN_EXP: return exp(x);
    case SH_FN_SQRT: return sqrt(x);
    case SH_FN_ABS: return fabs(x);
    case SH_FN_FLOOR: return floor(x);
    case SH_FN_CEIL: return ceil(x);
    default: return round_np(x, digits);
    }
}

/* d = a OP b over the block, one loop per operator so that it vectorises. */
#define COMPARE_LOOP(OP, M)                                                                        \
    do {                                                                                           \
        for (size_t i = 0; i < n; i++)                                                             \
            d[i].i = a[i].M OP b[i].M;                                                             \
    } while (0)

/* Runs the program on rows [row0, row0 + n) into the registers. */
static void run_block(const sh_expr_program *prog, const sheaf_frame *in, size_t row0, size_t n,
                      cell *vals, uint8_t *miss)
{
    for (size_t k = 0; k < prog->n_code; k++) {
        const sh_expr_ins *c = &prog->code[k];
        cell *d = vals + c->dst * SH_EXPR_BLOCK;
        uint8_t *dm = miss + c->dst * SH_EXPR_BLOCK;
        const cell *a = vals + c->a * SH_EXPR_BLOCK, *b = vals + c->b * SH_EXPR_BLOCK;
        const uint8_t *am = miss + c->a * SH_EXPR_BLOCK, *bm = miss + c->b * SH_EXPR_BLOCK;
        const cell *cv = vals + c->c * SH_EXPR_BLOCK;
        /* Column pointers in locals: stores through uint8_t may alias the
         * column struct, which would force a reload per row. */
        const sh_column *col = c->op <= SH_OP_LOAD_S ? &in->cols[c->column] : NULL;
        const uint8_t *cvalid = col && col->valid ? col->valid + row0 : NULL;
        switch (c->op) {
        case SH_OP_LOAD_F: memcpy(d, col->f64 + row0, n * sizeof *d); break;
        case SH_OP_LOAD_I:
            memcpy(d, col->i64 + row0, n * sizeof *d);
            if (cvalid)
                for (size_t i = 0; i < n; i++)
                    dm[i] = !cvalid[i];
            else
                memset(dm, 0, n);
            break;
        case SH_OP_LOAD_S: {
            const int32_t *codes = col->codes + row0;
            for (size_t i = 0; i < n; i++)
                dm[i] = codes[i] < 0;
            break;
        }
        case SH_OP_CONST_F:
            for (size_t i = 0; i < n; i++)
                d[i].f = c->number;
            break;
        case SH_OP_CONST_I:
            for (size_t i = 0; i < n; i++)
                d[i].i = c->integer;
            memset(dm, 0, n);
            break;
        case SH_OP_TO_FLOAT:
            for (size_t i = 0; i < n; i++)
                d[i].f = am[i] ? NAN : (double)a[i].i;
            break;
        case SH_OP_NEGATE:
            for (size_t i = 0; i < n; i++)
                d[i].f = -a[i].f;
            break;
        case SH_OP_ARITH:
            switch (c->arg) {
            case '+':
                for (size_t i = 0; i < n; i++)
                    d[i].f = a[i].f + b[i].f;
                break;
            case '-':
                for (size_t i = 0; i < n; i++)
                    d[i].f = a[i].f - b[i].f;
                break;
            case '*':
                for (size_t i = 0; i < n; i++)
                    d[i].f = a[i].f * b[i].f;
                break;
            case '/':
                for (size_t i = 0; i < n; i++)
                    d[i].f = a[i].f / b[i].f;
                break;
            case '%':
                for (size_t i = 0; i < n; i++)
                    d[i].f = remainder_np(a[i].f, b[i].f);
                break;
            default:
                for (size_t i = 0; i < n; i++)
                    d[i].f = pow(a[i].f, b[i].f);
                break;
            }
            break;
        case SH_OP_COMPARE_F:
            switch (c->arg) {
            case SH_CMP_LT: COMPARE_LOOP(<, f); break;
            case SH_CMP_LE: COMPARE_LOOP(<=, f); break;
            case SH_CMP_GT: COMPARE_LOOP(>, f); break;
            case SH_CMP_GE: COMPARE_LOOP(>=, f); break;
            case SH_CMP_EQ: COMPARE_LOOP(==, f); break;
            default: COMPARE_LOOP(!=, f); break;
            }
            memset(dm, 0, n);
            break;
        case SH_OP_COMPARE_I:
            /* pandas holds missing ints as NaN: only != is true there. */
            switch (c->arg) {
            case SH_CMP_LT: COMPARE_LOOP(<, i); break;
            case SH_CMP_LE: COMPARE_LOOP(<=, i); break;
            case SH_CMP_GT: COMPARE_LOOP(>, i); break;
            case SH_CMP_GE: COMPARE_LOOP(>=, i); break;
            case SH_CMP_EQ: COMPARE_LOOP(==, i); break;
            default: COMPARE_LOOP(!=, i); break;
            }
            for (size_t i = 0; i < n; i++)
                if (am[i] | bm[i]) d[i].i = c->arg == SH_CMP_NE;
            memset(dm, 0, n);
            break;
        case SH_OP_TRUTH_F:
            for (size_t i = 0; i < n; i++)
                d[i].i = a[i].f != 0;
            memset(dm, 0, n);
            break;
        case SH_OP_TRUTH_I:
            for (size_t i = 0; i < n; i++)
                d[i].i = am[i] || a[i].i != 0;
            memset(dm, 0, n);
            break;
        case SH_OP_NOT:
            for (size_t i = 0; i < n; i++)
                d[i].i = !a[i].i;
            break;
        case SH_OP_AND:
            for (size_t i = 0; i < n; i++)
                d[i].i = a[i].i & b[i].i;
            break;
        case SH_OP_OR:
            for (size_t i = 0; i < n; i++)
                d[i].i = a[i].i | b[i].i;
            break;
        case SH_OP_FUNC:
            for (size_t i = 0; i < n; i++)
                d[i].f = apply_fn(c->arg, a[i].f, c->number);
            break;
        case SH_OP_ISNULL_F:
            for (size_t i = 0; i < n; i++)
                d[i].i = (int64_t)(isnan(a[i].f) != 0) ^ c->arg;
            memset(dm, 0, n);
            break;
        case SH_OP_ISNULL_M:
            for (size_t i = 0; i < n; i++)
                d[i].i = (int64_t)am[i] ^ c->arg;
            memset(dm, 0, n);
            break;
        case SH_OP_TRUNC:
            for (size_t i = 0; i < n; i++) {
                double x = a[i].f;
                /* [-2^63, 2^63) is int64's range; NaN fails both tests. */
                bool ok = x >= -9223372036854775808.0 && x < 9223372036854775808.0;
                d[i].i = ok ? (int64_t)x : 0;
                dm[i] = !ok;
            }
            break;
        case SH_OP_CALENDAR: {
            int64_t per_second = c->integer == SHEAF_TIME_NS ? 1000000000 : 1;
            for (size_t i = 0; i < n; i++)
                d[i].i = am[i] ? 0 : calendar_part(a[i].i, c->arg, per_second);
            break;
        }
        case SH_OP_IF_F:
            for (size_t i = 0; i < n; i++)
                d[i].f = cv[i].i ? a[i].f : b[i].f;
            break;
        case SH_OP_IF_I:
            for (size_t i = 0; i < n; i++) {
                bool take_a = cv[i].i != 0; /* read before d, which may be c, is written */
                d[i].i = take_a ? a[i].i : b[i].i;
                dm[i] = take_a ? am[i] : bm[i];
            }
            break;
        }
    }
}

static sheaf_status eval_partition(void *arg, size_t p)
{
    eval_job *j = arg;
    const sh_expr_program *prog = j->prog;
    size_t b = j->in->offsets[p], e = j->in->offsets[p + 1];
    if (b == e) return SHEAF_OK;
    size_t n_regs = prog->n_regs;
    cell *vals = sh_malloc_array(n_regs * SH_EXPR_BLOCK, sizeof *vals);
    uint8_t *miss = sh_malloc(n_regs * SH_EXPR_BLOCK);
    if (!vals || !miss) {
        sh_free(vals);
        sh_free(miss);
        return sh_fail(SHEAF_ERR_NOMEM, "sheaf_frame_with_column: out of memory for %zu registers",
                       n_regs);
    }
    sh_column *out = j->out;
    for (size_t row0 = b; row0 < e; row0 += SH_EXPR_BLOCK) {
        size_t n = e - row0 < SH_EXPR_BLOCK ? e - row0 : SH_EXPR_BLOCK;
        run_block(prog, j->in, row0, n, vals, miss);
        uint8_t *valid = out->valid + row0;
        if (prog->type == SH_VALUE_FLOAT) {
            double *values = out->f64 + row0;
            for (size_t i = 0; i < n; i++) {
                values[i] = vals[i].f;
                valid[i] = !isnan(vals[i].f);
            }
        } else {
            int64_t *values = out->i64 + row0;
            for (size_t i = 0; i < n; i++) {
                values[i] = miss[i] ? 0 : vals[i].i;
                valid[i] = !miss[i];
            }
        }
    }
    sh_free(vals);
    sh_free(miss);
    return SHEAF_OK;
}

sheaf_status sheaf_frame_with_column(const sheaf_ctx *ctx, const sheaf_frame *in, const char *name,
                                     const char *expr, sheaf_frame **out)
{
    static const char caller[] = "sheaf_frame_with_column";
    if (out) *out = NULL;
    if (!in || !name || !expr || !out)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: in, name, expr or out is NULL", caller);
    sh_expr_tree tree;
    sh_expr_program prog;
    sh_column col;
    memset(&col, 0, sizeof col);
    memset(&prog, 0, sizeof prog);
    sheaf_status st = sh_expr_parse(in, expr, caller, &tree);
    if (st != SHEAF_OK) return st;
    st = sh_expr_compile(in, &tree, &prog);
    sh_expr_tree_clear(&tree);
    if (st != SHEAF_OK) return st;
    sheaf_type type = prog.type == SH_VALUE_FLOAT  ? SHEAF_TYPE_FLOAT64
                      : prog.type == SH_VALUE_TIME ? SHEAF_TYPE_TIMESTAMP
                                                   : SHEAF_TYPE_INT64;
    if ((st = sh_column_alloc(&col, name, type, prog.unit, in->n_rows, caller)) != SHEAF_OK)
        goto done;
    eval_job job = {.in = in, .prog = &prog, .out = &col};
    if ((st = sheaf_exec_for(ctx, in->n_partitions, eval_partition, &job)) != SHEAF_OK) goto done;
    sh_column_settle_validity(&col, in->n_rows);
    st = sh_clean_put_column(in, &col, caller, out);
done:
    sh_column_clear(&col);
    sh_expr_program_clear(&prog);
    return st;
}
