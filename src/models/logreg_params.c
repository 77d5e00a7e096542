/* logreg_params.c - the defaults and the checker of sheaf_logreg_params;
 * the defaults are Spark ML's LogisticRegression defaults (regParam 0,
 * elasticNetParam 0, family auto, fitIntercept, standardization, maxIter
 * 100, tol 1e-6, threshold 0.5) plus the optimizer's gradient tolerance. */
#include "models/logreg_internal.h"

#include <math.h>

sheaf_logreg_params sheaf_logreg_params_default(void)
{
    sheaf_logreg_params p = {0}; /* num_classes 0, no bounds */
    p.reg_param = 0.0;
    p.elastic_net_param = 0.0;
    p.family = SHEAF_LOGREG_AUTO;
    p.fit_intercept = 1;
    p.standardization = 1;
    p.max_iter = 100;
    p.tol = 1e-6;
    p.gtol = 1e-6;
    p.threshold = 0.5;
    p.solver = SHEAF_LOGREG_SOLVER_AUTO;
    return p;
}

sheaf_status sheaf_logreg_params_check(const sheaf_logreg_params *p)
{
    const char *fn = "sheaf_logreg_params_check";
    if (!p) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: params is NULL", fn);
    if (!(p->reg_param >= 0.0) || isinf(p->reg_param))
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: reg_param = %g must be finite and >= 0", fn,
                       p->reg_param);
    if (!(p->elastic_net_param >= 0.0 && p->elastic_net_param <= 1.0))
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: elastic_net_param = %g must be in [0, 1]",
                       fn, p->elastic_net_param);
    if (p->family != SHEAF_LOGREG_AUTO && p->family != SHEAF_LOGREG_BINOMIAL &&
        p->family != SHEAF_LOGREG_MULTINOMIAL)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       "%s: family = %d must be AUTO (0), BINOMIAL (1) or MULTINOMIAL (2)", fn,
                       (int)p->family);
    if (p->solver != SHEAF_LOGREG_SOLVER_AUTO && p->solver != SHEAF_LOGREG_SOLVER_LBFGS &&
        p->solver != SHEAF_LOGREG_SOLVER_NEWTON)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       "%s: solver = %d must be AUTO (0), LBFGS (1) or NEWTON (2)", fn,
                       (int)p->solver);
    if (p->fit_intercept != 0 && p->fit_intercept != 1)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: fit_intercept = %d must be 0 or 1", fn,
                       p->fit_intercept);
    if (p->standardization != 0 && p->standardization != 1)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: standardization = %d must be 0 or 1", fn,
                       p->standardization);
    if (p->max_iter > 1000000)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: max_iter = %zu must be <= 1000000", fn,
                       p->max_iter);
    if (!(p->tol >= 0.0) || isinf(p->tol))
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: tol = %g must be finite and >= 0", fn,
                       p->tol);
    if (!(p->gtol >= 0.0) || isinf(p->gtol))
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: gtol = %g must be finite and >= 0", fn,
                       p->gtol);
    if (!(p->threshold >= 0.0 && p->threshold <= 1.0))
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: threshold = %g must be in [0, 1]", fn,
                       p->threshold);
    return SHEAF_OK;
}
