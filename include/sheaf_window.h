/* sheaf_window.h - time-series windows within a key ordered by time: lags
 * and leads, differences, percent change, rolling and expanding statistics,
 * exponentially weighted means, cumulative sums, row numbers, ranks and
 * forward/backward fill. Keyed operations run on the frame partitioned "by
 * key, ordered by time" (partitioning it first when it is not), so every
 * key's series lies inside one partition and partitions run in parallel.
 *
 * Every function has the same frame of arguments:
 *   (ctx, in, column, <parameters>, keys, n_keys, time, name, out)
 * and returns a new frame: in's columns (shared, not copied) plus a new
 * column `name` (NULL: the default the function names; a name in already
 * has is INVALID_ARGUMENT). ctx may be NULL (all cores, default partitions).
 *
 * The series. With keys (n_keys > 0) each distinct key tuple is one series,
 * its rows ordered by the time column (stable: equal times keep their row
 * order), or by their current row order when time is NULL. When in is
 * already laid out that way (sheaf_frame_partition_by_key_time with the
 * same keys and time, or the output of an earlier call of this header with
 * the same keys and time) it is used as is; otherwise it is repartitioned
 * first, so the OUTPUT ROWS COME BACK GROUPED BY KEY AND ORDERED BY TIME,
 * in the context's default number of partitions, and carry that layout
 * (the next call with the same keys and time does not reorder again).
 * Without keys the whole frame is one series: in row order when time is
 * NULL (rows and partitions unchanged), otherwise sorted by time (stable;
 * rows come back in that order, no reordering when already sorted). Then
 * windows cross partition boundaries: each partition reads the earlier
 * rows it needs (lag, diff, pct_change, rolling min/max, row numbers,
 * fills); results that pandas accumulates from the first row (rolling
 * sum/mean/std/var, expanding mean, cumsum, ewm, rank) run the unkeyed
 * series in one piece, to give pandas' bits. The time column must be
 * int64, float64 or timestamp with no missing value (INVALID_ARGUMENT
 * naming the row otherwise).
 *
 * Numbers follow pandas 1.5 on the frame sorted the same way, e.g. lag is
 * df.sort_values(keys + [time], kind='stable').groupby(keys)[col].shift(1).
 * Float results are float64 with NaN (and a missing flag) where pandas has
 * NaN. Numeric operations accept float64 and int64 columns (int64 is read
 * as float64; missing ints as NaN); other types are INVALID_ARGUMENT naming
 * the column and its type, as are an unknown column, key or time and bad
 * parameter values. NOMEM when memory runs out; on every failure *out is
 * NULL. Results are bit-identical for any thread count. */
#ifndef SHEAF_WINDOW_H
#define SHEAF_WINDOW_H

#include "sheaf_frame.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Aggregates of a rolling window; the numbers are part of the ABI. */
typedef enum sheaf_window_agg {
    SHEAF_WINDOW_MEAN = 0,
    SHEAF_WINDOW_SUM = 1,
    SHEAF_WINDOW_STD = 2, /* sample standard deviation (ddof 1) */
    SHEAF_WINDOW_VAR = 3, /* sample variance (ddof 1) */
    SHEAF_WINDOW_MIN = 4,
    SHEAF_WINDOW_MAX = 5
} sheaf_window_agg;

/* How ties are ranked (pandas' method=); the numbers are part of the ABI. */
typedef enum sheaf_rank_method {
    SHEAF_RANK_AVERAGE = 0, /* mean of the tied positions */
    SHEAF_RANK_MIN = 1,     /* lowest tied position */
    SHEAF_RANK_MAX = 2,     /* highest tied position */
    SHEAF_RANK_FIRST = 3,   /* positions in series order */
    SHEAF_RANK_DENSE = 4    /* like MIN, but ranks of distinct values are consecutive */
} sheaf_rank_method;

/* Value `periods` rows earlier in the series (periods > 0, a lag) or
 * -periods rows later (periods < 0, a lead): pandas shift(periods). Any
 * column type; the new column keeps it (strings keep their dictionary,
 * int64 stays int64), missing where the shifted row lies outside the
 * series. Default name "<column>_lag<periods>" or "<column>_lead<-periods>". */
SHEAF_API sheaf_status sheaf_frame_lag(const sheaf_ctx *ctx, const sheaf_frame *in,
                                       const char *column, long periods, const char *const *keys,
                                       size_t n_keys, const char *time, const char *name,
                                       sheaf_frame **out);

/* Difference x - x.shift(lag), applied order times (order d with seasonal
 * lag s: lag = s, order = d). float64; NaN in the first lag * order rows of
 * each series and wherever an operand is missing. lag >= 1 and order >= 1.
 * Default name "<column>_diff<lag>", "<column>_diff<lag>_order<order>" when
 * order > 1. */
SHEAF_API sheaf_status sheaf_frame_diff(const sheaf_ctx *ctx, const sheaf_frame *in,
                                        const char *column, size_t lag, size_t order,
                                        const char *const *keys, size_t n_keys, const char *time,
                                        const char *name, sheaf_frame **out);

/* pandas pct_change(periods) with its default fill_method='pad': within the
 * series, missing values are first forward-filled (f), then the result is
 * f / f.shift(periods) - 1 (x/0 gives +-inf, 0/0 NaN). float64; periods >= 1.
 * Default name "<column>_pct<periods>". */
SHEAF_API sheaf_status sheaf_frame_pct_change(const sheaf_ctx *ctx, const sheaf_frame *in,
                                              const char *column, size_t periods,
                                              const char *const *keys, size_t n_keys,
                                              const char *time, const char *name,
                                              sheaf_frame **out);

/* Rolling aggregate, as pandas rolling(window, min_periods).<agg>().
 * window_span == 0: the window is the current row and the window_rows - 1
 * rows before it in the series (window_rows >= 1; INVALID_ARGUMENT naming
 * both when window_rows exceeds the longest series of a non-empty frame).
 * window_span > 0: a time window (t - window_span, t] over the time column
 * (in its units: ns or s for timestamps), pandas rolling('<span>', on=time);
 * time must not be NULL and window_rows is ignored. NaN values are skipped:
 * the result is NaN unless the window holds at least min_periods non-NaN
 * values (0 = the default: window_rows for row windows, 1 for time windows;
 * a row window's min_periods may not exceed window_rows). Sums and means by
 * Kahan-compensated running sums, variance by Welford's update with removal,
 * min and max by a monotonic deque, exactly as pandas'
 * aggregations.pyx, so each costs O(rows). float64. Default name
 * "<column>_rolling_<agg><window_rows>" or "<column>_rolling_<agg>_t<span>". */
SHEAF_API sheaf_status sheaf_frame_rolling(const sheaf_ctx *ctx, const sheaf_frame *in,
                                           const char *column, sheaf_window_agg agg,
                                           size_t window_rows, int64_t window_span,
                                           size_t min_periods, const char *const *keys,
                                           size_t n_keys, const char *time, const char *name,
                                           sheaf_frame **out);

/* Mean of the series up to and including each row, skipping NaN; NaN
 * before the first value (pandas expanding(min_periods=1).mean()). float64.
 * Default name "<column>_expanding_mean". */
SHEAF_API sheaf_status sheaf_frame_expanding_mean(const sheaf_ctx *ctx, const sheaf_frame *in,
                                                  const char *column, const char *const *keys,
                                                  size_t n_keys, const char *time, const char *name,
                                                  sheaf_frame **out);

/* Cumulative sum skipping missing values, which stay missing (pandas
 * cumsum(skipna=True)). float64 input: float64, Kahan-compensated within a
 * key as pandas' groupby cumsum, plain running sum without keys as pandas'
 * Series.cumsum; int64 input: int64 (wrapping on overflow as numpy).
 * Default name "<column>_cumsum". */
SHEAF_API sheaf_status sheaf_frame_cumsum(const sheaf_ctx *ctx, const sheaf_frame *in,
                                          const char *column, const char *const *keys,
                                          size_t n_keys, const char *time, const char *name,
                                          sheaf_frame **out);

/* Exponentially weighted mean, pandas ewm(alpha=alpha, adjust=adjust,
 * ignore_na=False).mean(): with adjust the weights of the values seen are
 * (1-alpha)^age normalised to sum 1; without, y_t = (1-alpha) y_{t-1} +
 * alpha x_t. Missing values keep the previous mean and still age the
 * weights; NaN before the first value. alpha in (0, 1]. float64. Default
 * name "<column>_ewm". */
SHEAF_API sheaf_status sheaf_frame_ewm_mean(const sheaf_ctx *ctx, const sheaf_frame *in,
                                            const char *column, double alpha, int adjust,
                                            const char *const *keys, size_t n_keys,
                                            const char *time, const char *name, sheaf_frame **out);

/* Position of each row within its series counted from first: first = 1 is
 * Spark's row_number(), first = 0 pandas' cumcount(). int64, never missing.
 * There is no input column. Default name "row_number". */
SHEAF_API sheaf_status sheaf_frame_row_number(const sheaf_ctx *ctx, const sheaf_frame *in,
                                              int64_t first, const char *const *keys, size_t n_keys,
                                              const char *time, const char *name,
                                              sheaf_frame **out);

/* Rank of each value within its series, pandas groupby rank(method,
 * ascending, na_option='keep'): 1-based, float64, missing values NaN and
 * not counted. float64, int64 and timestamp columns (integers compared
 * exactly). FIRST breaks ties by series order in both directions. Default
 * name "<column>_rank". */
SHEAF_API sheaf_status sheaf_frame_rank(const sheaf_ctx *ctx, const sheaf_frame *in,
                                        const char *column, sheaf_rank_method method, int ascending,
                                        const char *const *keys, size_t n_keys, const char *time,
                                        const char *name, sheaf_frame **out);

/* The column with each missing value replaced by the last present value
 * before it in its series (backward = 0, pandas groupby ffill) or the next
 * present value after it (backward != 0, bfill); still missing where there
 * is none. Any column type; the column keeps its name, position and type.
 * A key or the time column is INVALID_ARGUMENT. */
SHEAF_API sheaf_status sheaf_frame_fill_forward(const sheaf_ctx *ctx, const sheaf_frame *in,
                                                const char *column, int backward,
                                                const char *const *keys, size_t n_keys,
                                                const char *time, sheaf_frame **out);

#ifdef __cplusplus
}
#endif
#endif
