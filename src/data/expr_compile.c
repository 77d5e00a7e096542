/* expr_compile.c - type checking and code generation for the expression
 * language of sheaf_frame_with_column.
 *
 * Each node is compiled into register r (its children into r, r+1, r+2),
 * so registers are a stack indexed by tree position and a left-leaning
 * chain like a+b+c+... needs only two. Types are static: int64 stays exact
 * through comparisons, if() and int(); everything arithmetic is computed in
 * double, as numpy does for pandas' nullable integers. Conversions
 * (int -> float, value -> truth) are explicit instructions, so the
 * interpreter never branches on types per row. The recursion is bounded by
 * the tree depth the parser checked (SH_EXPR_MAX_DEPTH). */
#include "data/expr_internal.h"

#include <stdio.h>
#include <string.h>

typedef struct compiler {
    const sheaf_frame *frame;
    const sh_expr_tree *tree;
    sh_expr_program *prog;
} compiler;

void sh_expr_program_clear(sh_expr_program *prog)
{
    sh_free(prog->code);
    memset(prog, 0, sizeof *prog);
}

static sheaf_status emit(compiler *c, sh_expr_ins ins)
{
    sh_expr_program *pr = c->prog;
    if (pr->n_code == pr->cap) {
        size_t cap = pr->cap ? 2 * pr->cap : 32;
        sh_expr_ins *code = sh_realloc(pr->code, cap * sizeof *code);
        if (!code)
            return sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory compiling an expression",
                           c->tree->caller);
        pr->code = code;
        pr->cap = cap;
    }
    pr->code[pr->n_code++] = ins;
    if (ins.dst + 1 > pr->n_regs) pr->n_regs = ins.dst + 1;
    return SHEAF_OK;
}

static const sh_expr_node *node_at(const compiler *c, size_t i) { return &c->tree->nodes[i]; }

static const char *const fn_names[] = {"log",   "exp",   "sqrt",   "abs",       "floor", "ceil",
                                       "round", "if",    "isnull", "notnull",   "float", "int",
                                       "year",  "month", "day",    "dayofweek", "hour",  "minute"};

/* INVALID_ARGUMENT unless the value of node (of type t) is a number. */
static sheaf_status need_number(compiler *c, size_t node, sh_expr_type t, const char *use)
{
    if (t == SH_VALUE_FLOAT || t == SH_VALUE_INT) return SHEAF_OK;
    const sh_expr_node *n = node_at(c, node);
    /* Strings and timestamps only ever come straight from a column. */
    const sh_column *col = &c->frame->cols[n->column];
    if (t == SH_VALUE_STRING)
        return sh_expr_fail(c->tree, n->pos,
                            "column '%s' is string and cannot be used in %s (only isnull() and "
                            "notnull() take strings)",
                            col->name, use);
    return sh_expr_fail(c->tree, n->pos,
                        "column '%s' is timestamp and cannot be used in %s (use year(), month(), "
                        "day(), dayofweek(), hour(), minute() or int())",
                        col->name, use);
}

static sheaf_status to_float(compiler *c, size_t reg, sh_expr_type *t)
{
    if (*t == SH_VALUE_FLOAT) return SHEAF_OK;
    *t = SH_VALUE_FLOAT;
    return emit(c, (sh_expr_ins){.op = SH_OP_TO_FLOAT, .dst = reg, .a = reg});
}

static sheaf_status to_truth(compiler *c, size_t reg, sh_expr_type t)
{
    sh_expr_opcode op = t == SH_VALUE_FLOAT ? SH_OP_TRUTH_F : SH_OP_TRUTH_I;
    return emit(c, (sh_expr_ins){.op = op, .dst = reg, .a = reg});
}

static sheaf_status compile(compiler *c, size_t node, size_t reg, sh_expr_type *type);

/* Compiles child k of n into reg + k as a number (float when as_float). */
static sheaf_status operand(compiler *c, const sh_expr_node *n, size_t k, size_t reg,
                            const char *use, bool as_float, sh_expr_type *t)
{
    sheaf_status st = compile(c, n->child[k], reg + k, t);
    if (st == SHEAF_OK) st = need_number(c, n->child[k], *t, use);
    if (st == SHEAF_OK && as_float) st = to_float(c, reg + k, t);
    return st;
}

/* round's digits: an integer literal, possibly negated. */
static sheaf_status round_digits(compiler *c, size_t node, double *digits)
{
    const sh_expr_node *n = node_at(c, node);
    bool neg = n->kind == SH_NODE_NEGATE;
    const sh_expr_node *lit = neg ? node_at(c, n->child[0]) : n;
    if (lit->kind != SH_NODE_NUMBER || !lit->is_int || lit->integer > 308)
        return sh_expr_fail(c->tree, n->pos,
                            "round's digits must be an integer literal between -308 and 308");
    *digits = neg ? -(double)lit->integer : (double)lit->integer;
    return SHEAF_OK;
}

static sheaf_status compile_call(compiler *c, const sh_expr_node *n, size_t reg, sh_expr_type *type)
{
    sheaf_status st;
    sh_expr_type t, ta, tb;
    sh_expr_fn fn = (sh_expr_fn)n->op;
    const char *name = fn_names[fn];
    switch (fn) {
    case SH_FN_IF:
        if ((st = operand(c, n, 0, reg, "a condition", false, &t)) != SHEAF_OK ||
            (st = to_truth(c, reg, t)) != SHEAF_OK ||
            (st = operand(c, n, 1, reg, "if()", false, &ta)) != SHEAF_OK ||
            (st = operand(c, n, 2, reg, "if()", false, &tb)) != SHEAF_OK)
            return st;
        if (ta == SH_VALUE_INT && tb == SH_VALUE_INT) {
            *type = SH_VALUE_INT;
            return emit(c, (sh_expr_ins){
                               .op = SH_OP_IF_I, .dst = reg, .c = reg, .a = reg + 1, .b = reg + 2});
        }
        if ((st = to_float(c, reg + 1, &ta)) != SHEAF_OK ||
            (st = to_float(c, reg + 2, &tb)) != SHEAF_OK)
            return st;
        *type = SH_VALUE_FLOAT;
        return emit(
            c, (sh_expr_ins){.op = SH_OP_IF_F, .dst = reg, .c = reg, .a = reg + 1, .b = reg + 2});
    case SH_FN_ISNULL:
    case SH_FN_NOTNULL:
        if ((st = compile(c, n->child[0], reg, &t)) != SHEAF_OK) return st;
        *type = SH_VALUE_INT;
        return emit(c, (sh_expr_ins){.op = t == SH_VALUE_FLOAT ? SH_OP_ISNULL_F : SH_OP_ISNULL_M,
                                     .arg = fn == SH_FN_NOTNULL,
                                     .dst = reg,
                                     .a = reg});
    case SH_FN_FLOAT: *type = SH_VALUE_FLOAT; return operand(c, n, 0, reg, "float()", true, &t);
    case SH_FN_INT:
        if ((st = compile(c, n->child[0], reg, &t)) != SHEAF_OK) return st;
        *type = SH_VALUE_INT;
        if (t == SH_VALUE_INT || t == SH_VALUE_TIME) return SHEAF_OK; /* raw count */
        if ((st = need_number(c, n->child[0], t, "int()")) != SHEAF_OK) return st;
        return emit(c, (sh_expr_ins){.op = SH_OP_TRUNC, .dst = reg, .a = reg});
    case SH_FN_YEAR:
    case SH_FN_MONTH:
    case SH_FN_DAY:
    case SH_FN_DAYOFWEEK:
    case SH_FN_HOUR:
    case SH_FN_MINUTE: {
        if ((st = compile(c, n->child[0], reg, &t)) != SHEAF_OK) return st;
        const sh_expr_node *arg = node_at(c, n->child[0]);
        if (t != SH_VALUE_TIME) {
            if (arg->kind == SH_NODE_COLUMN)
                return sh_expr_fail(c->tree, arg->pos, "%s() needs a timestamp column; '%s' is %s",
                                    name, c->frame->cols[arg->column].name,
                                    sheaf_type_name(c->frame->cols[arg->column].type));
            return sh_expr_fail(c->tree, arg->pos, "%s() needs a timestamp column", name);
        }
        *type = SH_VALUE_INT;
        return emit(c, (sh_expr_ins){.op = SH_OP_CALENDAR,
                                     .arg = (int)fn,
                                     .dst = reg,
                                     .a = reg,
                                     .integer = c->frame->cols[arg->column].unit});
    }
    default: { /* log exp sqrt abs floor ceil round */
        double digits = 0;
        if (fn == SH_FN_ROUND && n->n_child == 2 &&
            (st = round_digits(c, n->child[1], &digits)) != SHEAF_OK)
            return st;
        char use[32];
        snprintf(use, sizeof use, "%s()", name);
        if ((st = operand(c, n, 0, reg, use, true, &t)) != SHEAF_OK) return st;
        *type = SH_VALUE_FLOAT;
        return emit(c,
                    (sh_expr_ins){
                        .op = SH_OP_FUNC, .arg = (int)fn, .dst = reg, .a = reg, .number = digits});
    }
    }
}

static sheaf_status compile(compiler *c, size_t node, size_t reg, sh_expr_type *type)
{
    const sh_expr_node *n = node_at(c, node);
    sheaf_status st;
    sh_expr_type ta, tb;
    switch (n->kind) {
    case SH_NODE_NUMBER:
        *type = n->is_int ? SH_VALUE_INT : SH_VALUE_FLOAT;
        return emit(c, (sh_expr_ins){.op = n->is_int ? SH_OP_CONST_I : SH_OP_CONST_F,
                                     .dst = reg,
                                     .number = n->number,
                                     .integer = n->integer});
    case SH_NODE_COLUMN: {
        const sh_column *col = &c->frame->cols[n->column];
        sh_expr_opcode op = SH_OP_LOAD_I;
        switch (col->type) {
        case SHEAF_TYPE_FLOAT64: *type = SH_VALUE_FLOAT, op = SH_OP_LOAD_F; break;
        case SHEAF_TYPE_STRING: *type = SH_VALUE_STRING, op = SH_OP_LOAD_S; break;
        case SHEAF_TYPE_TIMESTAMP: *type = SH_VALUE_TIME; break;
        default: *type = SH_VALUE_INT; break;
        }
        return emit(c, (sh_expr_ins){.op = op, .dst = reg, .column = n->column});
    }
    case SH_NODE_NEGATE:
        *type = SH_VALUE_FLOAT;
        if ((st = operand(c, n, 0, reg, "arithmetic", true, &ta)) != SHEAF_OK) return st;
        return emit(c, (sh_expr_ins){.op = SH_OP_NEGATE, .dst = reg, .a = reg});
    case SH_NODE_ARITH:
        *type = SH_VALUE_FLOAT;
        if ((st = operand(c, n, 0, reg, "arithmetic", true, &ta)) != SHEAF_OK ||
            (st = operand(c, n, 1, reg, "arithmetic", true, &tb)) != SHEAF_OK)
            return st;
        return emit(
            c, (sh_expr_ins){.op = SH_OP_ARITH, .arg = n->op, .dst = reg, .a = reg, .b = reg + 1});
    case SH_NODE_COMPARE: {
        *type = SH_VALUE_INT;
        if ((st = operand(c, n, 0, reg, "a comparison", false, &ta)) != SHEAF_OK ||
            (st = operand(c, n, 1, reg, "a comparison", false, &tb)) != SHEAF_OK)
            return st;
        sh_expr_opcode op = SH_OP_COMPARE_I;
        if (ta != SH_VALUE_INT || tb != SH_VALUE_INT) {
            op = SH_OP_COMPARE_F;
            if ((st = to_float(c, reg, &ta)) != SHEAF_OK ||
                (st = to_float(c, reg + 1, &tb)) != SHEAF_OK)
                return st;
        }
        return emit(c, (sh_expr_ins){.op = op, .arg = n->op, .dst = reg, .a = reg, .b = reg + 1});
    }
    case SH_NODE_AND:
    case SH_NODE_OR:
        *type = SH_VALUE_INT;
        if ((st = operand(c, n, 0, reg, "'and'/'or'", false, &ta)) != SHEAF_OK ||
            (st = to_truth(c, reg, ta)) != SHEAF_OK ||
            (st = operand(c, n, 1, reg, "'and'/'or'", false, &tb)) != SHEAF_OK ||
            (st = to_truth(c, reg + 1, tb)) != SHEAF_OK)
            return st;
        return emit(c, (sh_expr_ins){.op = n->kind == SH_NODE_AND ? SH_OP_AND : SH_OP_OR,
                                     .dst = reg,
                                     .a = reg,
                                     .b = reg + 1});
    case SH_NODE_NOT:
        *type = SH_VALUE_INT;
        if ((st = operand(c, n, 0, reg, "'not'", false, &ta)) != SHEAF_OK ||
            (st = to_truth(c, reg, ta)) != SHEAF_OK)
            return st;
        return emit(c, (sh_expr_ins){.op = SH_OP_NOT, .dst = reg, .a = reg});
    case SH_NODE_CALL: return compile_call(c, n, reg, type);
    }
    return sh_fail(SHEAF_ERR_INTERNAL, "%s: unknown expression node %d", c->tree->caller,
                   (int)n->kind);
}

sheaf_status sh_expr_compile(const sheaf_frame *frame, const sh_expr_tree *tree,
                             sh_expr_program *prog)
{
    memset(prog, 0, sizeof *prog);
    compiler c = {.frame = frame, .tree = tree, .prog = prog};
    sh_expr_type t;
    sheaf_status st = compile(&c, tree->root, 0, &t);
    if (st == SHEAF_OK && t == SH_VALUE_STRING) st = need_number(&c, tree->root, t, "a result");
    if (st != SHEAF_OK) {
        sh_expr_program_clear(prog);
        return st;
    }
    prog->type = t;
    if (t == SH_VALUE_TIME) prog->unit = frame->cols[node_at(&c, tree->root)->column].unit;
    return SHEAF_OK;
}
