/* sheaf_logreg.h - logistic regression (binomial and multinomial) fitted on
 * row-range partitions of a dense design, with Spark ML's objective
 *   sum_i w_i logloss_i / sum_i w_i + reg (alpha |b|_1 + (1 - alpha)/2 |b|^2)
 * (intercepts unpenalised; with standardization on, b is the coefficient
 * vector in the space of features divided by their sample std), minimised by
 * Newton's method on the merged Hessian (smooth objectives, few parameters),
 * L-BFGS (smooth) or OWL-QN (alpha > 0); inference for unpenalised and L2
 * binomial fits from the merged Hessian. */
#ifndef SHEAF_LOGREG_H
#define SHEAF_LOGREG_H

#include "sheaf_core.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum sheaf_logreg_family {
    SHEAF_LOGREG_AUTO = 0,       /* binomial when k <= 2 classes, else multinomial */
    SHEAF_LOGREG_BINOMIAL = 1,   /* one coefficient row (class 1 against class 0) */
    SHEAF_LOGREG_MULTINOMIAL = 2 /* softmax with k coefficient rows */
} sheaf_logreg_family;

typedef enum sheaf_logreg_solver {
    SHEAF_LOGREG_SOLVER_AUTO = 0,  /* NEWTON when allowed and at most 256 free parameters
                                      (64 for multinomial fits), else LBFGS */
    SHEAF_LOGREG_SOLVER_LBFGS = 1, /* L-BFGS; OWL-QN when alpha > 0; projected under bounds */
    SHEAF_LOGREG_SOLVER_NEWTON = 2 /* damped Newton on the merged Hessian: not with alpha > 0
                                      and reg > 0, nor bounds, at most 4096 parameters */
} sheaf_logreg_solver;

typedef struct sheaf_logreg_params {
    double reg_param;         /* >= 0 (default 0) */
    double elastic_net_param; /* alpha in [0, 1] (default 0: L2) */
    sheaf_logreg_family family;
    int fit_intercept;   /* 0 or 1 (default 1) */
    int standardization; /* 0 or 1 (default 1) */
    size_t max_iter;     /* optimizer steps at most, <= 1000000 (default 100) */
    double tol;          /* relative objective reduction that stops (default 1e-6, >= 0) */
    double gtol;         /* gradient tolerance relative to max(1, objective) (default 1e-6, >= 0) */
    double threshold;    /* binomial predict: class 1 when P(1) > threshold, in [0, 1] (0.5) */
    sheaf_logreg_solver solver; /* default AUTO */
    size_t num_classes;         /* declared k (labels must be < k), 0: largest label + 1 */
    /* Optional box bounds (Spark ML's bounds on coefficients and intercepts),
     * borrowed for the fit: coefficients rows x n_features row-major in the
     * original feature scale, intercepts rows values (rows = 1 binomial, k
     * multinomial); NULL leaves a side unbounded, entries may be -inf/+inf.
     * Only with the L-BFGS solver and alpha * reg = 0. Multinomial
     * intercepts are not centred when intercept bounds are given. */
    const double *lower_coefficients, *upper_coefficients;
    const double *lower_intercepts, *upper_intercepts;
} sheaf_logreg_params;

/* The defaults listed above. */
SHEAF_API sheaf_logreg_params sheaf_logreg_params_default(void);

/* INVALID_ARGUMENT naming the first bad field and its value, else SHEAF_OK. */
SHEAF_API sheaf_status sheaf_logreg_params_check(const sheaf_logreg_params *params);

/* A fitted model (opaque, immutable). */
typedef struct sheaf_logreg sheaf_logreg;

/* Fits on rows x[i * ld + j] (i < n_rows, j < n_features, ld >= n_features),
 * labels y[i] in {0, 1, ..., k-1} given as doubles (k = params->num_classes,
 * or when that is 0 the largest label + 1; at least 2, at most 100000),
 * weights (NULL: all 1; >= 0, positive sum). The rows are split into
 * sheaf_ctx_partitions(ctx) contiguous ranges (ctx may be NULL: defaults);
 * for one partition count the result is bit-identical for any thread count.
 * Statuses: INVALID_ARGUMENT (bad params, NULL pointers, label not an
 * integer in range naming row and value, negative weight, zero weight sum,
 * n_rows = 0, n_features = 0 without intercept, binomial family with k > 2,
 * bounds with lower > upper or NaN naming the entry), UNSUPPORTED (NEWTON
 * forced with L1 or bounds or over 4096 parameters; bounds with L1),
 * DIMENSION (ld < n_features), NONFINITE (NaN/Inf in x, y or weights, naming
 * row and column), NOMEM; *out = NULL on failure. Non-convergence is not an
 * error: see sheaf_logreg_converged. Documented outcomes:
 *  - unpenalised data that the fitted model separates strictly (every row's
 *    own class has the unique largest margin): no finite optimum exists;
 *    converged = 0, reason "separable", coefficients = the last finite iterate;
 *  - a feature with zero std under standardization: coefficient 0;
 *  - a class 0..k-1 with no weight in a multinomial fit: its row is fixed at
 *    coefficients 0 and intercept -inf (probability 0); the others are fitted;
 *    binomial with a single class present (and an intercept): coefficients 0,
 *    intercept -inf or +inf, converged, reason "single_class";
 *  - collinear or constant columns unpenalised without standardization: the
 *    optimizer's answer (not unique; the fitted margins are those of the
 *    identifiable model); inference reports SINGULAR, or huge standard errors
 *    when rounding leaves the Hessian barely positive definite. */
SHEAF_API sheaf_status sheaf_logreg_fit(const sheaf_ctx *ctx, const double *x, size_t n_rows,
                                        size_t n_features, size_t ld, const double *y,
                                        const double *weights, const sheaf_logreg_params *params,
                                        sheaf_logreg **out);

/* As sheaf_logreg_fit on the blocks of a design (sheaf_features.h), which
 * must have a label; its partitions are the fit's partitions (the ctx's
 * partition count is not used), all weights 1. Statuses as sheaf_logreg_fit,
 * INVALID_ARGUMENT for a design without a label. */
typedef struct sheaf_design sheaf_design;
SHEAF_API sheaf_status sheaf_logreg_fit_design(const sheaf_ctx *ctx, const sheaf_design *design,
                                               const sheaf_logreg_params *params,
                                               sheaf_logreg **out);

/* Frees a model; NULL is a no-op. */
SHEAF_API void sheaf_logreg_free(sheaf_logreg *model);

/* k (>= 2 for binomial). */
SHEAF_API size_t sheaf_logreg_num_classes(const sheaf_logreg *model);
SHEAF_API size_t sheaf_logreg_num_features(const sheaf_logreg *model);
/* Coefficient rows: 1 for binomial, k for multinomial. */
SHEAF_API size_t sheaf_logreg_num_rows(const sheaf_logreg *model);
/* Copies rows x features coefficients (original feature scale, row-major)
 * into out (caller-allocated). */
SHEAF_API void sheaf_logreg_coefficients(const sheaf_logreg *model, double *out);
/* Copies rows intercepts (0 without intercept; multinomial: centred over the
 * classes present, -inf for absent classes). */
SHEAF_API void sheaf_logreg_intercepts(const sheaf_logreg *model, double *out);
SHEAF_API size_t sheaf_logreg_iterations(const sheaf_logreg *model);
/* Objective at the returned coefficients. */
SHEAF_API double sheaf_logreg_objective(const sheaf_logreg *model);
/* Copies the objective after 0, 1, ..., iterations steps (iterations + 1
 * values; the history may rise by rounding near the optimum, see
 * src/models/optim.h) into out (caller-allocated). */
SHEAF_API void sheaf_logreg_objective_history(const sheaf_logreg *model, double *out);
/* 1 when a stopping rule ended the fit; reason: "gradient", "function",
 * "line_search", "max_iter", "separable" or "single_class" (static storage
 * of the model). */
SHEAF_API int sheaf_logreg_converged(const sheaf_logreg *model, const char **reason);
/* The solver that ran: "newton", "lbfgs", "owlqn" or "none" (single class). */
SHEAF_API const char *sheaf_logreg_solver_name(const sheaf_logreg *model);

/* Quality of a model on labelled rows (weights as frequencies). */
typedef struct sheaf_logreg_metrics {
    double log_loss;   /* weighted mean of -log P(own class) (no penalty) */
    double accuracy;   /* weighted share of rows whose predicted class is their own */
    double auc;        /* area under the ROC curve, ties counted half (sklearn's
                          roc_auc_score); multinomial: mean of the one-vs-rest
                          areas (multi_class='ovr', average='macro'); NaN when
                          a class needed for an area has no weight */
    double weight_sum; /* sum of the weights (rows when unweighted) */
} sheaf_logreg_metrics;

/* The metrics on the training rows, computed once at the end of the fit
 * (Spark ML's training summary; the objective history is above). */
SHEAF_API void sheaf_logreg_training_summary(const sheaf_logreg *model, sheaf_logreg_metrics *out);
/* The metrics on new rows x (n_rows x n_features, leading dimension ld),
 * labels y in 0..k-1 and weights (NULL: 1), partitions in parallel.
 * Statuses as the prediction functions, plus INVALID_ARGUMENT for a label
 * out of range or a negative weight (naming row and value), n_rows = 0 or a
 * zero weight sum. */
SHEAF_API sheaf_status sheaf_logreg_evaluate(const sheaf_ctx *ctx, const sheaf_logreg *model,
                                             const double *x, size_t n_rows, size_t ld,
                                             const double *y, const double *weights,
                                             sheaf_logreg_metrics *out);

/* Raw margins b_k + x . w_k: n_rows x rows (binomial: one column). */
SHEAF_API sheaf_status sheaf_logreg_decision_function(const sheaf_logreg *model, const double *x,
                                                      size_t n_rows, size_t ld, double *out);
/* Class probabilities: n_rows x k (binomial: P(0), P(1)). */
SHEAF_API sheaf_status sheaf_logreg_predict_proba(const sheaf_logreg *model, const double *x,
                                                  size_t n_rows, size_t ld, double *out);
/* Predicted classes as doubles: binomial 1 when P(1) > threshold, else
 * the class of largest probability (lowest index on ties). */
SHEAF_API sheaf_status sheaf_logreg_predict(const sheaf_logreg *model, const double *x,
                                            size_t n_rows, size_t ld, double *out);
/* Prediction statuses: INVALID_ARGUMENT for NULL pointers, DIMENSION for
 * ld < n_features, NONFINITE naming row and column for NaN/Inf in x. */

/* Number of inference values: n_features + fit_intercept. */
SHEAF_API size_t sheaf_logreg_num_params(const sheaf_logreg *model);
/* Standard errors, z = coef / se and two-sided normal p-values, intercept
 * first (statsmodels' order), each num_params long (any may be NULL), from
 * the inverse Hessian of the summed weighted log-likelihood (weights as
 * frequencies) plus, for L2, sum(w) * reg * s_j^2 on coefficient j (s_j the
 * feature std under standardization, else 1). UNSUPPORTED for multinomial or
 * alpha > 0 with reg > 0 or more than 1000 parameters; SINGULAR when the
 * Hessian is not positive definite (constant or collinear columns). A
 * coefficient fixed at 0 by standardization (zero-std feature) is left out
 * of the Hessian and gets NaN in bse, z and p. */
SHEAF_API sheaf_status sheaf_logreg_inference(const sheaf_logreg *model, double *bse, double *z,
                                              double *p);

/* Wald confidence intervals coef -/+ z_{1 - alpha/2} bse (normal quantile),
 * intercept first, num_params values each in lower and upper (statsmodels'
 * conf_int). alpha in (0, 1) (INVALID_ARGUMENT otherwise); the other
 * statuses and the NaN of a fixed coefficient as sheaf_logreg_inference. */
SHEAF_API sheaf_status sheaf_logreg_conf_int(const sheaf_logreg *model, double alpha, double *lower,
                                             double *upper);

#ifdef __cplusplus
}
#endif
#endif
