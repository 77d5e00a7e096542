/* sheaf_clean.h - row cleaning and column expressions on frames: dropping
 * rows with missing values, filling with constants, and new columns computed
 * from arithmetic, comparisons, conditionals, casts and calendar parts.
 * Every function returns a new frame and leaves its input unchanged; columns
 * it does not touch are shared, not copied. ctx may be NULL (all cores); on
 * any failure *out is NULL and sheaf_last_error() names the function, the
 * column and the value. Replacing or filling a column the frame is
 * partitioned by (key or time of sheaf_frame_partition_by_key_time) drops
 * the frame's "by key, ordered by time" layout; dropping rows keeps it. */
#ifndef SHEAF_CLEAN_H
#define SHEAF_CLEAN_H

#include "sheaf_frame.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Rows that have a missing value in none of the columns subset[0..n_subset)
 * (n_subset = 0: all columns), as pandas' dropna(subset=...). Partitions keep
 * their order and boundaries (some may become empty); rows keep their order.
 * INVALID_ARGUMENT for an unknown column or a NULL name, NOMEM. */
SHEAF_API sheaf_status sheaf_frame_drop_missing(const sheaf_ctx *ctx, const sheaf_frame *in,
                                                const char *const *subset, size_t n_subset,
                                                sheaf_frame **out);

/* Missing values of the float64 or int64 column `column` replaced by value.
 * An int64 column stays int64: value must then be an integer within int64
 * (INVALID_ARGUMENT naming the value otherwise). value NaN leaves the column
 * as it is. A string or timestamp column is INVALID_ARGUMENT naming the
 * column and its type. */
SHEAF_API sheaf_status sheaf_frame_fill_missing(const sheaf_ctx *ctx, const sheaf_frame *in,
                                                const char *column, double value,
                                                sheaf_frame **out);

/* Missing values of the string column `column` replaced by value (UTF-8,
 * not NULL). Other column types are INVALID_ARGUMENT naming the type. */
SHEAF_API sheaf_status sheaf_frame_fill_missing_string(const sheaf_ctx *ctx, const sheaf_frame *in,
                                                       const char *column, const char *value,
                                                       sheaf_frame **out);

/* A frame with the columns names[0..n_names) in that order, sharing their
 * buffers (no copy). INVALID_ARGUMENT for an unknown or repeated name. The
 * layout is kept when every key and the time column are selected. */
SHEAF_API sheaf_status sheaf_frame_select(const sheaf_frame *in, const char *const *names,
                                          size_t n_names, sheaf_frame **out);

/* Evaluates expr on every row (partitions in parallel, vectorised over
 * blocks of rows) and appends the result as column `name`, or replaces the
 * column of that name in place (same position). The expression language:
 *   3, 2.5, 1e-3         numbers; a literal without '.' or exponent is int64
 *   x, a.b_1             column [A-Za-z_][A-Za-z0-9_.]*  (not and/or/not)
 *   `any name`           column of any other name (`` inside is one `)
 *   -a  +a               unary minus and plus
 *   a + b, a - b, a * b, a / b, a % b   arithmetic (% as numpy: sign of b)
 *   a ** b               power, right-associative, binds tighter than unary -
 *   a < b, <=, >, >=, ==, !=           comparisons (not chained)
 *   a and b, a or b, not a             logic; a value is true when nonzero
 *                                      (NaN/missing is true, as numpy)
 *   ( a )                grouping
 *   log exp sqrt abs floor ceil (x)    float64 functions (numpy semantics:
 *                                      log(-1) and sqrt(-1) are NaN)
 *   round(x), round(x, k)              numpy round half to even; k a literal
 *   if(c, a, b), where(c, a, b)        a where c is true, else b
 *   isnull(x), notnull(x)              0/1; any column type, strings included
 *   float(x)                           to float64
 *   int(x)                             truncation toward zero; NaN or out of
 *                                      int64 range -> missing; a timestamp
 *                                      gives its raw count in its unit
 *   year month day dayofweek hour minute (t)  UTC calendar parts of a
 *                                      timestamp (dayofweek: Monday = 0)
 * Precedence, loosest first: or, and, not, comparisons, + -, * / %, unary
 * -, **. Types: arithmetic and the float functions give float64 (computed
 * in double; missing in, NaN out); comparisons, logic, isnull/notnull give
 * int64 0/1, never missing (a comparison with a missing value is false,
 * except != which is true, as pandas); int() and calendar parts give int64
 * (missing in, missing out); if() gives int64 when both branches are int64,
 * else float64. A lone timestamp column gives a timestamp column. Strings
 * are allowed only inside isnull/notnull, timestamps only in calendar
 * parts, int(), isnull/notnull. Limits: 64 levels of nesting (parentheses,
 * calls, unary operators), 256 levels in the whole expression tree.
 * Errors are INVALID_ARGUMENT with the 1-based position and the token:
 * "sheaf_frame_with_column: expression 'log(x) + * y' at column 10:
 * unexpected '*'" (also unknown column or function, wrong arity, a string
 * or timestamp in arithmetic, nesting too deep). NOMEM. */
SHEAF_API sheaf_status sheaf_frame_with_column(const sheaf_ctx *ctx, const sheaf_frame *in,
                                               const char *name, const char *expr,
                                               sheaf_frame **out);

/* Column `column` converted to type `to`, stored under `name` (appended, or
 * replacing a column of that name in place) or, with name NULL, replacing
 * the column itself. Conversions (missing stays missing throughout):
 *   float64 -> int64      truncation toward zero; NaN or out of range -> missing
 *   int64 -> float64      nearest double
 *   timestamp -> int64    the raw count in the column's unit
 *   int64 -> timestamp    the value as nanoseconds since the epoch
 *   any -> string         as pandas' astype(str): integers "12", floats the
 *                         shortest repr that round-trips ("0.1", "1.5",
 *                         "1e+16", "-0.0", "inf"), timestamps "2020-01-02",
 *                         "2020-01-02 03:04:05" or with .fff/.ffffff/
 *                         .fffffffff as the finest row of the column needs
 *                         (pandas would write "nan"/"NaT" for missing values;
 *                         here they stay missing)
 *   string -> float64     the CSV reader's parser; pandas' missing markers
 *                         and unparsable text give missing, as
 *                         pandas.to_numeric(errors="coerce")
 *   string -> int64       an integer, or a number that is an integer within
 *                         int64 ("2.0"); anything else gives missing
 *   string -> timestamp   ISO-8601 as the CSV reader (ns); else missing
 * Casting to the column's own type shares it. Other pairs (float64 <->
 * timestamp) are INVALID_ARGUMENT naming both types; so is an unknown
 * column or type. NOMEM. */
SHEAF_API sheaf_status sheaf_frame_cast(const sheaf_ctx *ctx, const sheaf_frame *in,
                                        const char *column, sheaf_type to, const char *name,
                                        sheaf_frame **out);

#ifdef __cplusplus
}
#endif
#endif
