# Peer for bench granger_matrix: R's lmtest::grangertest for every ordered
# pair (i caused, j causing), i != j, of the series of a
# bench/gen/gen_granger_series.py folder and every order 1..MAXLAG
# (grangertest takes one order per call: y ~ Lags(y, 1:L) + Lags(x, 1:L)
# against y ~ Lags(y, 1:L), F test by waldtest, on the rows t = L..T-1 that
# statsmodels uses too), timed REPEAT times (the whole loop). The F
# statistics and p-values of the last run go to OUT_FILE as raw float64: F
# then p, each K x K x MAXLAG at [(i K + j) MAXLAG + lag - 1] (0-based), NaN
# on the diagonal. Prints, one per line:
#   median_s 60.123456
#   pairs 2450
#   blas /usr/lib/.../libblas.so.3 lapack /usr/lib/.../libopenblasp-r0.3.21.so
#   r R version 4.2.2 ... lmtest 0.9.40
# (lm fits with R's own LINPACK-derived QR, dqrdc2, not with BLAS/LAPACK.)
# usage: Rscript --vanilla bench/peers/granger_lmtest.R DIR T K MAXLAG REPEAT OUT_FILE
suppressPackageStartupMessages(library(lmtest))

args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 6) {
    stop("usage: Rscript --vanilla bench/peers/granger_lmtest.R DIR T K MAXLAG REPEAT OUT_FILE")
}
folder <- args[1]
n <- as.integer(args[2])
k <- as.integer(args[3])
maxlag <- as.integer(args[4])
repeats <- as.integer(args[5])
out_file <- args[6]

con <- file(file.path(folder, "Y.f64"), "rb")
# Y.f64 is row-major T x K: read it as K x T and transpose.
y <- t(matrix(readBin(con, "double", n * k, size = 8, endian = "little"), nrow = k))
close(con)

# stat[lag, j, i] in R's column-major order is [(i K + j) MAXLAG + lag - 1]
# in C's row-major one: the layout sheaf_granger_matrix writes.
all_pairs <- function() {
    stat <- array(NaN, c(maxlag, k, k))
    pval <- array(NaN, c(maxlag, k, k))
    for (i in seq_len(k)) {
        for (j in seq_len(k)) {
            if (i == j) next
            for (lag in seq_len(maxlag)) {
                w <- grangertest(y[, j], y[, i], order = lag)
                stat[lag, j, i] <- w$F[2]
                pval[lag, j, i] <- w[["Pr(>F)"]][2]
            }
        }
    }
    list(stat = stat, pval = pval)
}

times <- numeric(repeats)
for (r in seq_len(repeats)) {
    start <- proc.time()[["elapsed"]]
    res <- all_pairs()
    times[r] <- proc.time()[["elapsed"]] - start
}
con <- file(out_file, "wb")
writeBin(c(as.vector(res$stat), as.vector(res$pval)), con, size = 8, endian = "little")
close(con)
info <- sessionInfo()
cat(sprintf("median_s %.6f\n", median(times)))
cat(sprintf("pairs %d\n", k * (k - 1)))
cat(sprintf("blas %s lapack %s\n", info$BLAS, info$LAPACK))
cat(sprintf("r %s lmtest %s\n", R.version.string, as.character(packageVersion("lmtest"))))
