/* expr_internal.h - the expression language of sheaf_frame_with_column:
 * the syntax tree the parser builds (expr_parse.c), the typed register
 * bytecode the compiler makes of it (expr_compile.c) and the vectorised
 * interpreter that runs it over blocks of rows (expr_eval.c). */
#ifndef SH_EXPR_INTERNAL_H
#define SH_EXPR_INTERNAL_H

#include "data/frame_internal.h"

/* Rows evaluated per block: every register holds one block, so the working
 * set of a small expression (a few registers of 9 KiB) stays in L1/L2. */
#define SH_EXPR_BLOCK 1024
/* Parentheses, calls and unary operators nested deeper than this are an
 * error: the parser recurses once per level. */
#define SH_EXPR_MAX_NESTING 64
/* The syntax tree may be at most this deep (long chains like a+b+c+...
 * deepen it without nesting); the compiler recurses once per level. */
#define SH_EXPR_MAX_DEPTH 256

typedef enum sh_expr_kind {
    SH_NODE_NUMBER,
    SH_NODE_COLUMN,
    SH_NODE_NEGATE,
    SH_NODE_ARITH,   /* op: '+', '-', '*', '/', '%', '^' (for **) */
    SH_NODE_COMPARE, /* op: sh_expr_cmp */
    SH_NODE_AND,
    SH_NODE_OR,
    SH_NODE_NOT,
    SH_NODE_CALL /* op: sh_expr_fn */
} sh_expr_kind;

typedef enum sh_expr_cmp {
    SH_CMP_LT,
    SH_CMP_LE,
    SH_CMP_GT,
    SH_CMP_GE,
    SH_CMP_EQ,
    SH_CMP_NE
} sh_expr_cmp;

typedef enum sh_expr_fn {
    SH_FN_LOG,
    SH_FN_EXP,
    SH_FN_SQRT,
    SH_FN_ABS,
    SH_FN_FLOOR,
    SH_FN_CEIL,
    SH_FN_ROUND,
    SH_FN_IF,
    SH_FN_ISNULL,
    SH_FN_NOTNULL,
    SH_FN_FLOAT,
    SH_FN_INT,
    SH_FN_YEAR,
    SH_FN_MONTH,
    SH_FN_DAY,
    SH_FN_DAYOFWEEK,
    SH_FN_HOUR,
    SH_FN_MINUTE
} sh_expr_fn;

typedef struct sh_expr_node {
    sh_expr_kind kind;
    int op;
    size_t child[3];
    size_t n_child;
    size_t pos;      /* 1-based position of the node's token in the source */
    size_t column;   /* SH_NODE_COLUMN: index in the frame */
    double number;   /* SH_NODE_NUMBER */
    int64_t integer; /* SH_NODE_NUMBER when is_int */
    bool is_int;
} sh_expr_node;

/* A parsed expression: nodes[root] is the top. */
typedef struct sh_expr_tree {
    sh_expr_node *nodes;
    size_t n_nodes, cap, root;
    const char *source; /* the caller's text, borrowed */
    const char *caller;
} sh_expr_tree;

/* Register value types, fixed at compile time. FLOAT registers mark missing
 * with NaN; the others with a per-row flag. */
typedef enum sh_expr_type {
    SH_VALUE_FLOAT,
    SH_VALUE_INT,
    SH_VALUE_TIME,  /* raw int64 timestamp */
    SH_VALUE_STRING /* only the missing flags */
} sh_expr_type;

typedef enum sh_expr_opcode {
    SH_OP_LOAD_F,    /* dst.f = column f64 */
    SH_OP_LOAD_I,    /* dst.i, miss = column i64 (int64 or timestamp) */
    SH_OP_LOAD_S,    /* miss = string column code < 0 */
    SH_OP_CONST_F,   /* dst.f = number */
    SH_OP_CONST_I,   /* dst.i = integer */
    SH_OP_TO_FLOAT,  /* dst.f = a missing ? NaN : (double)a.i */
    SH_OP_NEGATE,    /* dst.f = -a.f */
    SH_OP_ARITH,     /* dst.f = a.f (arg) b.f */
    SH_OP_COMPARE_F, /* dst.i = a.f (arg) b.f */
    SH_OP_COMPARE_I, /* dst.i = a.i (arg) b.i, missing as pandas */
    SH_OP_TRUTH_F,   /* dst.i = a.f != 0 (NaN is true) */
    SH_OP_TRUTH_I,   /* dst.i = a missing || a.i != 0 */
    SH_OP_NOT,       /* dst.i = !a.i */
    SH_OP_AND,       /* dst.i = a.i & b.i */
    SH_OP_OR,        /* dst.i = a.i | b.i */
    SH_OP_FUNC,      /* dst.f = fn(a.f), arg = sh_expr_fn, number = round's digits */
    SH_OP_ISNULL_F,  /* dst.i = isnan(a.f) ^ arg */
    SH_OP_ISNULL_M,  /* dst.i = a missing ^ arg */
    SH_OP_TRUNC,     /* dst.i = trunc(a.f), missing when NaN or out of range */
    SH_OP_CALENDAR,  /* dst.i = part arg of timestamp a.i in unit integer */
    SH_OP_IF_F,      /* dst.f = c.i ? a.f : b.f */
    SH_OP_IF_I       /* dst.i, miss = c.i ? a : b */
} sh_expr_opcode;

typedef struct sh_expr_ins {
    sh_expr_opcode op;
    int arg;
    size_t dst, a, b, c; /* registers */
    size_t column;
    double number;
    int64_t integer;
} sh_expr_ins;

/* The compiled program: run code in order on each block; the result is in
 * register 0. */
typedef struct sh_expr_program {
    sh_expr_ins *code;
    size_t n_code, cap;
    size_t n_regs;
    sh_expr_type type;    /* of the result */
    sheaf_time_unit unit; /* when type is SH_VALUE_TIME */
} sh_expr_program;

/* Parses source against frame's columns. INVALID_ARGUMENT "caller:
 * expression '...' at column N: ..." or NOMEM; the tree is empty (safe to
 * clear) on failure. */
sheaf_status sh_expr_parse(const sheaf_frame *frame, const char *source, const char *caller,
                           sh_expr_tree *tree);
void sh_expr_tree_clear(sh_expr_tree *tree);

/* Type-checks the tree and emits register code. INVALID_ARGUMENT with the
 * position for type errors, NOMEM. */
sheaf_status sh_expr_compile(const sheaf_frame *frame, const sh_expr_tree *tree,
                             sh_expr_program *prog);
void sh_expr_program_clear(sh_expr_program *prog);

/* The message of every expression error: "caller: expression 'source' at
 * column pos: what". Returns INVALID_ARGUMENT. */
sheaf_status sh_expr_fail(const sh_expr_tree *tree, size_t pos, const char *fmt, ...)
    SH_PRINTF(3, 4);

#endif
