# Peer for the bench entries arima_fit, sarima_fit and auto_arima: R's
# stats::arima and forecast::auto.arima in a loop over the first SUBSET
# series of a bench/gen/gen_arima_series.py folder (raw float64 Y.f64, N x T
# row-major), timed REPEAT times (the whole loop; run.py scales a subset by
# the series count). KIND picks the model:
#   arima   arima(y, order = c(1,1,1), xreg = 1:T, method = "ML"): the drift
#           as a regressor (R differences it with y), as statsmodels' trend 't'
#   sarima  arima(y, order = c(1,0,1), seasonal = list(order = c(1,1,1),
#           period = 12), method = "ML")
#   auto    forecast::auto.arima(ts(y, frequency = M)), every default
#           (stepwise, AICc, KPSS for d, the seasonal-strength test for D
#           when M > 1, approximation when T > 150 or M > 12)
# A fit that stops with an error writes a row with ok = 0. OUT_FILE gets raw
# float64, SUBSET x 29 row-major, bench_arima's result layout:
#   0 loglik (R's), 1 aicc (R's: aic + 2k(k+1)/(n.used - k - 1), k = the
#   coefficients + 1, as forecast computes it), 2 converged (optim code 0),
#   3 ok, 4 iterations (NaN: not reported), 5..11 p, d, q, P, D, Q, s (s = 0
#   for a non-seasonal model), 12 trend (0 none, 1 mean, 2 drift/xreg 1:T),
#   13.. the estimates in statsmodels' order - trend term, ar, ma, seasonal
#   ar, seasonal ma, R's sigma2 - NaN after the last.
# R's loglik is its own diffuse approximation when d + D > 0 (sigma2
# concentrated out, kappa = 1e6; tests/data/timeseries/arima_refs.h,
# CONVENTIONS), so run.py compares fits through bench_arima loglike, which
# evaluates these estimates in statsmodels' convention (sheaf's).
# Prints, one per line:
#   median_s 60.123456
#   series 2000
#   per_fit_ms 16.2
#   failed 0
#   not_converged 0
#   blas /usr/lib/.../libblas.so.3 lapack /usr/lib/.../libopenblasp-r0.3.21.so
#   r R version 4.2.2 ... forecast 8.20
# (arima's Kalman filter and optim are plain C; only the solve of the Hessian
# for var.coef calls LAPACK.)
# usage: Rscript --vanilla bench/peers/arima_r.R DIR KIND T M SUBSET REPEAT OUT_FILE
suppressPackageStartupMessages(library(forecast))

args <- commandArgs(trailingOnly = TRUE)
usage <- "usage: Rscript --vanilla bench/peers/arima_r.R DIR KIND T M SUBSET REPEAT OUT_FILE"
if (length(args) != 7) stop(usage)
folder <- args[1]
kind <- args[2]
n <- as.integer(args[3])
m <- as.integer(args[4])
subset <- as.integer(args[5])
repeats <- as.integer(args[6])
out_file <- args[7]
if (!(kind %in% c("arima", "sarima", "auto"))) stop("KIND must be arima, sarima or auto")

con <- file(file.path(folder, "Y.f64"), "rb")
# Y.f64 is row-major N x T: the first SUBSET rows, read as T x SUBSET (column i = series i).
y <- matrix(readBin(con, "double", n * subset, size = 8, endian = "little"), nrow = n)
close(con)
if (ncol(y) != subset) stop("short file Y.f64")

width <- 29

# One result row of a fitted arima object; trend: 0 none, 1 mean, 2 drift.
result_row <- function(f, trend) {
    a <- f$arma # p, q, P, Q, s, d, D
    cf <- coef(f)
    narma <- sum(a[1:4])
    k <- length(cf) + 1
    aicc <- f$aic + 2 * k * (k + 1) / (f$nobs - k - 1)
    seasonal <- a[3] + a[7] + a[4] > 0
    params <- c(cf[narma + seq_len(length(cf) - narma)], cf[seq_len(narma)], f$sigma2)
    row <- c(f$loglik, aicc, f$code == 0, 1, NaN, a[1], a[6], a[2], a[3], a[7], a[4],
             if (seasonal) a[5] else 0, trend, params)
    c(row, rep(NaN, width - length(row)))
}

fit_one <- function(x) {
    if (kind == "arima") {
        return(result_row(arima(x, order = c(1, 1, 1), xreg = seq_along(x), method = "ML"), 2))
    }
    if (kind == "sarima") {
        return(result_row(arima(x, order = c(1, 0, 1),
                                seasonal = list(order = c(1, 1, 1), period = 12),
                                method = "ML"), 0))
    }
    f <- auto.arima(ts(x, frequency = m))
    trend <- if ("drift" %in% names(coef(f))) 2 else if ("intercept" %in% names(coef(f))) 1 else 0
    result_row(f, trend)
}

all_series <- function() {
    out <- matrix(NaN, width, subset)
    out[4, ] <- 0 # ok
    for (i in seq_len(subset)) {
        row <- tryCatch(suppressWarnings(fit_one(y[, i])), error = function(e) NULL)
        if (!is.null(row)) out[, i] <- as.numeric(row)
    }
    out
}

times <- numeric(repeats)
for (r in seq_len(repeats)) {
    start <- proc.time()[["elapsed"]]
    res <- all_series()
    times[r] <- proc.time()[["elapsed"]] - start
}
con <- file(out_file, "wb")
writeBin(as.vector(res), con, size = 8, endian = "little") # column i = row i of the file
close(con)
info <- sessionInfo()
cat(sprintf("median_s %.6f\n", median(times)))
cat(sprintf("series %d\n", subset))
cat(sprintf("per_fit_ms %.3f\n", 1e3 * median(times) / subset))
cat(sprintf("failed %d\n", sum(res[4, ] == 0)))
cat(sprintf("not_converged %d\n", sum(res[4, ] == 1 & res[3, ] == 0)))
cat(sprintf("blas %s lapack %s\n", info$BLAS, info$LAPACK))
cat(sprintf("r %s forecast %s\n", R.version.string, as.character(packageVersion("forecast"))))
