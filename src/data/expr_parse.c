/* expr_parse.c - tokenizer and recursive-descent parser of the expression
 * language of sheaf_frame_with_column (grammar in sheaf_clean.h).
 *
 * One function per precedence level, loosest first: or, and, not,
 * comparison, additive, multiplicative, unary, power, primary - the
 * classic layout of Python's own grammar, whose precedences the language
 * copies (so -2**2 is -4 and a**b**c is a**(b**c)). Binary operators of
 * one level loop rather than recurse, so they associate to the left.
 * Recursion happens only for parentheses, calls, unary operators and **,
 * and is capped at SH_EXPR_MAX_NESTING levels; the depth of the resulting
 * tree is capped at SH_EXPR_MAX_DEPTH, which bounds the compiler's
 * recursion. Numbers are parsed with the CSV reader's correctly rounded
 * parsers. Column names are resolved here, so an unknown column is reported
 * at its position. */
#include "data/expr_internal.h"
#include "data/text_parse.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

typedef enum tok_kind { TOK_END, TOK_NUMBER, TOK_NAME, TOK_QUOTED, TOK_OP, TOK_BAD } tok_kind;

typedef struct token {
    tok_kind kind;
    size_t start, len; /* in the source */
} token;

typedef struct parser {
    sh_expr_tree *tree;
    const sheaf_frame *frame;
    const char *src;
    size_t len, cursor;
    token tok;
    int nesting;
    locale_t c_locale;
} parser;

sheaf_status sh_expr_fail(const sh_expr_tree *tree, size_t pos, const char *fmt, ...)
{
    char what[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    /* A long expression is shortened so the message keeps its tail. */
    size_t len = strlen(tree->source);
    int shown = len > 80 ? 77 : (int)len;
    return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: expression '%.*s%s' at column %zu: %s",
                   tree->caller, shown, tree->source, len > 80 ? "..." : "", pos, what);
}

void sh_expr_tree_clear(sh_expr_tree *tree)
{
    sh_free(tree->nodes);
    tree->nodes = NULL;
    tree->n_nodes = tree->cap = tree->root = 0;
}

static bool is_name_start(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

static bool is_name_char(char c) { return is_name_start(c) || is_digit(c) || c == '.'; }

/* Reads the token at the cursor into p->tok. */
static void next(parser *p)
{
    const char *s = p->src;
    size_t i = p->cursor;
    while (i < p->len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
        i++;
    token t = {TOK_END, i, 0};
    if (i >= p->len) {
        p->tok = t;
        p->cursor = i;
        return;
    }
    size_t j = i;
    char c = s[i];
    if (is_digit(c) || (c == '.' && i + 1 < p->len && is_digit(s[i + 1]))) {
        t.kind = TOK_NUMBER;
        while (j < p->len && is_digit(s[j]))
            j++;
        if (j < p->len && s[j] == '.')
            for (j++; j < p->len && is_digit(s[j]);)
                j++;
        if (j < p->len && (s[j] == 'e' || s[j] == 'E')) {
            size_t k = j + 1;
            if (k < p->len && (s[k] == '+' || s[k] == '-')) k++;
            if (k < p->len && is_digit(s[k])) {
                while (k < p->len && is_digit(s[k]))
                    k++;
                j = k;
            }
        }
    } else if (is_name_start(c)) {
        t.kind = TOK_NAME;
        while (j < p->len && is_name_char(s[j]))
            j++;
    } else if (c == '`') {
        t.kind = TOK_QUOTED;
        for (j = i + 1;; j++) {
            if (j >= p->len) {
                t.kind = TOK_BAD;
                break;
            }
            if (s[j] == '`') {
                if (j + 1 < p->len && s[j + 1] == '`') {
                    j++;
                    continue;
                }
                j++;
                break;
            }
        }
    } else {
        static const char *const ops[] = {"**", "<=", ">=", "==", "!=", "<", ">", "+",
                                          "-",  "*",  "/",  "%",  "(",  ")", ","};
        t.kind = TOK_BAD;
        j = i + 1;
        for (size_t k = 0; k < sizeof ops / sizeof *ops; k++) {
            size_t n = strlen(ops[k]);
            if (i + n <= p->len && memcmp(s + i, ops[k], n) == 0) {
                t.kind = TOK_OP;
                j = i + n;
                break;
            }
        }
    }
    if (t.kind == TOK_BAD && c != '`') { /* one whole UTF-8 character */
        while (j < p->len && ((unsigned char)s[j] & 0xC0) == 0x80)
            j++;
    }
    t.len = j - i;
    p->tok = t;
    p->cursor = j;
}

static bool tok_is(const parser *p, tok_kind kind, const char *text)
{
    return p->tok.kind == kind && p->tok.len == strlen(text) &&
           memcmp(p->src + p->tok.start, text, p->tok.len) == 0;
}

static bool tok_op(const parser *p, const char *text) { return tok_is(p, TOK_OP, text); }

static size_t tok_pos(const parser *p) { return p->tok.start + 1; }

static sheaf_status unexpected(parser *p)
{
    if (p->tok.kind == TOK_END)
        return sh_expr_fail(p->tree, tok_pos(p), "unexpected end of expression");
    if (p->tok.kind == TOK_BAD && p->src[p->tok.start] == '`')
        return sh_expr_fail(p->tree, tok_pos(p), "unterminated `name`");
    int n = p->tok.len > 40 ? 40 : (int)p->tok.len;
    return sh_expr_fail(p->tree, tok_pos(p), "unexpected '%.*s'", n, p->src + p->tok.start);
}

/* Appends a node; its depth check happens in the caller via node_depth. */
static sheaf_status add_node(parser *p, sh_expr_node node, size_t *index)
{
    sh_expr_tree *t = p->tree;
    if (t->n_nodes == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 32;
        sh_expr_node *nodes = sh_realloc(t->nodes, cap * sizeof *nodes);
        if (!nodes)
            return sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory parsing an expression", t->caller);
        t->nodes = nodes;
        t->cap = cap;
    }
    t->nodes[t->n_nodes] = node;
    *index = t->n_nodes++;
    return SHEAF_OK;
}

/* Depth of the subtree under a node about to be made of these children. */
static size_t depth_of(const size_t *child, size_t n_child, const size_t *depths)
{
    size_t d = 0;
    for (size_t k = 0; k < n_child; k++)
        if (depths[child[k]] > d) d = depths[child[k]];
    return d + 1;
}

typedef struct state {
    parser *p;
    size_t *depths; /* per node; grows with the tree */
    size_t cap;
} state;

static sheaf_status make(state *s, sh_expr_node node, size_t *index)
{
    parser *p = s->p;
    size_t d = depth_of(node.child, node.n_child, s->depths);
    if (d > SH_EXPR_MAX_DEPTH)
        return sh_expr_fail(p->tree, node.pos, "expression deeper than %d levels",
                            SH_EXPR_MAX_DEPTH);
    sheaf_status st = add_node(p, node, index);
    if (st != SHEAF_OK) return st;
    if (*index >= s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 32;
        size_t *depths = sh_realloc(s->depths, cap * sizeof *depths);
        if (!depths)
            return sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory parsing an expression",
                           p->tree->caller);
        s->depths = depths;
        s->cap = cap;
    }
    s->depths[*index] = d;
    return SHEAF_OK;
}

static sheaf_status enter(state *s, size_t pos)
{
    if (++s->p->nesting > SH_EXPR_MAX_NESTING)
        return sh_expr_fail(s->p->tree, pos, "nesting deeper than %d levels", SH_EXPR_MAX_NESTING);
    return SHEAF_OK;
}

static sheaf_status parse_or(state *s, size_t *out);

typedef struct fn_spec {
    const char *name;
    sh_expr_fn fn;
    size_t min_args, max_args;
} fn_spec;

static const fn_spec functions[] = {
    {"log", SH_FN_LOG, 1, 1},
    {"exp", SH_FN_EXP, 1, 1},
    {"sqrt", SH_FN_SQRT, 1, 1},
    {"abs", SH_FN_ABS, 1, 1},
    {"floor", SH_FN_FLOOR, 1, 1},
    {"ceil", SH_FN_CEIL, 1, 1},
    {"round", SH_FN_ROUND, 1, 2},
    {"if", SH_FN_IF, 3, 3},
    {"where", SH_FN_IF, 3, 3},
    {"isnull", SH_FN_ISNULL, 1, 1},
    {"notnull", SH_FN_NOTNULL, 1, 1},
    {"float", SH_FN_FLOAT, 1, 1},
    {"int", SH_FN_INT, 1, 1},
    {"year", SH_FN_YEAR, 1, 1},
    {"month", SH_FN_MONTH, 1, 1},
    {"day", SH_FN_DAY, 1, 1},
    {"dayofweek", SH_FN_DAYOFWEEK, 1, 1},
    {"hour", SH_FN_HOUR, 1, 1},
    {"minute", SH_FN_MINUTE, 1, 1},
};

static sheaf_status parse_call(state *s, token name, size_t *out)
{
    parser *p = s->p;
    size_t pos = name.start + 1;
    const fn_spec *spec = NULL;
    for (size_t k = 0; k < sizeof functions / sizeof *functions && !spec; k++)
        if (strlen(functions[k].name) == name.len &&
            memcmp(functions[k].name, p->src + name.start, name.len) == 0)
            spec = &functions[k];
    if (!spec)
        return sh_expr_fail(p->tree, pos, "unknown function '%.*s'",
                            (int)(name.len > 40 ? 40 : name.len), p->src + name.start);
    sheaf_status st = enter(s, tok_pos(p));
    if (st != SHEAF_OK) return st;
    next(p); /* past '(' */
    sh_expr_node node = {.kind = SH_NODE_CALL, .op = (int)spec->fn, .pos = pos};
    size_t n_args = 0;
    if (!tok_op(p, ")")) {
        for (;;) {
            size_t arg;
            if ((st = parse_or(s, &arg)) != SHEAF_OK) return st;
            if (n_args < 3) node.child[n_args] = arg;
            n_args++;
            if (!tok_op(p, ",")) break;
            next(p);
        }
    }
    if (!tok_op(p, ")")) return unexpected(p);
    next(p);
    if (n_args < spec->min_args || n_args > spec->max_args) {
        if (spec->min_args == spec->max_args)
            return sh_expr_fail(p->tree, pos, "%s takes %zu argument%s, got %zu", spec->name,
                                spec->min_args, spec->min_args == 1 ? "" : "s", n_args);
        return sh_expr_fail(p->tree, pos, "%s takes %zu or %zu arguments, got %zu", spec->name,
                            spec->min_args, spec->max_args, n_args);
    }
    node.n_child = n_args;
    p->nesting--;
    return make(s, node, out);
}

/* A column by name (a NAME token, or a QUOTED one with `` unescaped). */
static sheaf_status parse_column(state *s, token t, size_t *out)
{
    parser *p = s->p;
    const char *text = p->src + t.start;
    size_t n = t.len;
    if (t.kind == TOK_QUOTED) {
        text++;
        n -= 2;
    }
    char *name = sh_malloc(n + 1);
    if (!name)
        return sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory parsing an expression", p->tree->caller);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        name[m++] = text[i];
        if (t.kind == TOK_QUOTED && text[i] == '`') i++; /* `` is one ` */
    }
    name[m] = '\0';
    size_t c = 0;
    while (c < p->frame->n_cols && strcmp(p->frame->cols[c].name, name) != 0)
        c++;
    sheaf_status st = SHEAF_OK;
    if (c == p->frame->n_cols)
        st = sh_expr_fail(p->tree, t.start + 1, "no column named '%s'", name);
    sh_free(name);
    if (st != SHEAF_OK) return st;
    sh_expr_node node = {.kind = SH_NODE_COLUMN, .column = c, .pos = t.start + 1};
    return make(s, node, out);
}

static sheaf_status parse_number(state *s, size_t *out)
{
    parser *p = s->p;
    token t = p->tok;
    char buf[160]; /* the parsers read 8 bytes past the field: keep NUL padding */
    sh_expr_node node = {.kind = SH_NODE_NUMBER, .pos = tok_pos(p)};
    if (t.len + 8 >= sizeof buf)
        return sh_expr_fail(p->tree, tok_pos(p), "number too long ('%.20s...')", p->src + t.start);
    memset(buf, 0, sizeof buf);
    memcpy(buf, p->src + t.start, t.len);
    bool plain = strcspn(buf, ".eE") == t.len;
    if (plain && sh_parse_int64(buf, t.len, &node.integer)) {
        node.is_int = true;
        node.number = (double)node.integer;
    } else if (!sh_parse_double(buf, t.len, p->c_locale, &node.number)) {
        return sh_expr_fail(p->tree, tok_pos(p), "bad number '%s'", buf);
    }
    next(p);
    return make(s, node, out);
}

static bool is_keyword(const parser *p, const char *word) { return tok_is(p, TOK_NAME, word); }

static sheaf_status parse_primary(state *s, size_t *out)
{
    parser *p = s->p;
    sheaf_status st;
    if (p->tok.kind == TOK_NUMBER) return parse_number(s, out);
    if (p->tok.kind == TOK_QUOTED) {
        token t = p->tok;
        next(p);
        return parse_column(s, t, out);
    }
    if (p->tok.kind == TOK_NAME && !is_keyword(p, "and") && !is_keyword(p, "or") &&
        !is_keyword(p, "not")) {
        token t = p->tok;
        next(p);
        if (tok_op(p, "(")) return parse_call(s, t, out);
        return parse_column(s, t, out);
    }
    if (tok_op(p, "(")) {
        if ((st = enter(s, tok_pos(p))) != SHEAF_OK) return st;
        next(p);
        if ((st = parse_or(s, out)) != SHEAF_OK) return st;
        if (!tok_op(p, ")")) return unexpected(p);
        next(p);
        p->nesting--;
        return SHEAF_OK;
    }
    return unexpected(p);
}

static sheaf_status parse_unary(state *s, size_t *out);

static sheaf_status parse_power(state *s, size_t *out)
{
    parser *p = s->p;
    size_t base;
    sheaf_status st = parse_primary(s, &base);
    if (st != SHEAF_OK || !tok_op(p, "**")) {
        *out = base;
        return st;
    }
    size_t pos = tok_pos(p);
    if ((st = enter(s, pos)) != SHEAF_OK) return st;
    next(p);
    size_t exponent;
    if ((st = parse_unary(s, &exponent)) != SHEAF_OK) return st;
    p->nesting--;
    sh_expr_node node = {
        .kind = SH_NODE_ARITH, .op = '^', .child = {base, exponent}, .n_child = 2, .pos = pos};
    return make(s, node, out);
}

static sheaf_status parse_unary(state *s, size_t *out)
{
    parser *p = s->p;
    if (!tok_op(p, "-") && !tok_op(p, "+")) return parse_power(s, out);
    bool minus = tok_op(p, "-");
    size_t pos = tok_pos(p);
    sheaf_status st = enter(s, pos);
    if (st != SHEAF_OK) return st;
    next(p);
    size_t operand;
    if ((st = parse_unary(s, &operand)) != SHEAF_OK) return st;
    p->nesting--;
    if (!minus) {
        *out = operand;
        return SHEAF_OK;
    }
    sh_expr_node node = {.kind = SH_NODE_NEGATE, .child = {operand}, .n_child = 1, .pos = pos};
    return make(s, node, out);
}

/* One left-associative level: operand (op operand)*. */
typedef sheaf_status (*level_fn)(state *s, size_t *out);

static sheaf_status parse_level(state *s, level_fn operand, const char *const *ops, size_t n_ops,
                                size_t *out)
{
    parser *p = s->p;
    size_t left;
    sheaf_status st = operand(s, &left);
    for (;;) {
        if (st != SHEAF_OK) return st;
        size_t k = 0;
        while (k < n_ops && !tok_op(p, ops[k]))
            k++;
        if (k == n_ops) break;
        size_t pos = tok_pos(p), right;
        next(p);
        if ((st = operand(s, &right)) != SHEAF_OK) return st;
        sh_expr_node node = {.kind = SH_NODE_ARITH,
                             .op = ops[k][0],
                             .child = {left, right},
                             .n_child = 2,
                             .pos = pos};
        st = make(s, node, &left);
    }
    *out = left;
    return SHEAF_OK;
}

static sheaf_status parse_mul(state *s, size_t *out)
{
    static const char *const ops[] = {"*", "/", "%"};
    return parse_level(s, parse_unary, ops, 3, out);
}

static sheaf_status parse_add(state *s, size_t *out)
{
    static const char *const ops[] = {"+", "-"};
    return parse_level(s, parse_mul, ops, 2, out);
}

static sheaf_status parse_compare(state *s, size_t *out)
{
    static const char *const ops[] = {"<", "<=", ">", ">=", "==", "!="};
    parser *p = s->p;
    size_t left;
    sheaf_status st = parse_add(s, &left);
    if (st != SHEAF_OK) return st;
    size_t k = 0;
    while (k < 6 && !tok_op(p, ops[k]))
        k++;
    if (k == 6) {
        *out = left;
        return SHEAF_OK;
    }
    size_t pos = tok_pos(p), right;
    next(p);
    if ((st = parse_add(s, &right)) != SHEAF_OK) return st;
    sh_expr_node node = {.kind = SH_NODE_COMPARE,
                         .op = (int)k, /* the order of ops is sh_expr_cmp's */
                         .child = {left, right},
                         .n_child = 2,
                         .pos = pos};
    return make(s, node, out);
}

static sheaf_status parse_not(state *s, size_t *out)
{
    parser *p = s->p;
    if (!is_keyword(p, "not")) return parse_compare(s, out);
    size_t pos = tok_pos(p), operand;
    sheaf_status st = enter(s, pos);
    if (st != SHEAF_OK) return st;
    next(p);
    if ((st = parse_not(s, &operand)) != SHEAF_OK) return st;
    p->nesting--;
    sh_expr_node node = {.kind = SH_NODE_NOT, .child = {operand}, .n_child = 1, .pos = pos};
    return make(s, node, out);
}

/* and/or: like parse_level but the operators are words. */
static sheaf_status parse_logic(state *s, level_fn operand, const char *word, sh_expr_kind kind,
                                size_t *out)
{
    parser *p = s->p;
    size_t left;
    sheaf_status st = operand(s, &left);
    while (st == SHEAF_OK && is_keyword(p, word)) {
        size_t pos = tok_pos(p), right;
        next(p);
        if ((st = operand(s, &right)) != SHEAF_OK) return st;
        sh_expr_node node = {.kind = kind, .child = {left, right}, .n_child = 2, .pos = pos};
        st = make(s, node, &left);
    }
    *out = left;
    return st;
}

static sheaf_status parse_and(state *s, size_t *out)
{
    return parse_logic(s, parse_not, "and", SH_NODE_AND, out);
}

static sheaf_status parse_or(state *s, size_t *out)
{
    return parse_logic(s, parse_and, "or", SH_NODE_OR, out);
}

sheaf_status sh_expr_parse(const sheaf_frame *frame, const char *source, const char *caller,
                           sh_expr_tree *tree)
{
    memset(tree, 0, sizeof *tree);
    tree->source = source;
    tree->caller = caller;
    parser p = {.tree = tree, .frame = frame, .src = source, .len = strlen(source)};
    state s = {.p = &p};
    sheaf_status st = SHEAF_OK;
    p.c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    if (!p.c_locale) {
        st = sh_fail(SHEAF_ERR_NOMEM, "%s: cannot create the C locale", caller);
        goto done;
    }
    next(&p);
    if ((st = parse_or(&s, &tree->root)) != SHEAF_OK) goto done;
    if (p.tok.kind != TOK_END) st = unexpected(&p);
done:
    if (p.c_locale) freelocale(p.c_locale);
    sh_free(s.depths);
    if (st != SHEAF_OK) sh_expr_tree_clear(tree);
    return st;
}
