/* mackinnon.h - the published tables behind the p-values and critical values
 * of the augmented Dickey-Fuller and KPSS tests (internal). The numbers live
 * in mackinnon_tables.c, generated from the published figures by
 * tests/data/timeseries/gen_stattools_refs.py, which also checks that
 * evaluating them as described here reproduces statsmodels 0.13.5's
 * mackinnonp, mackinnoncrit and kpss p-values bit for bit (up to the normal
 * CDF). Only N = 1 (one I(1) series, the ADF case) is kept; cointegration
 * tests with N > 1 would need the other rows of the papers.
 *
 * Every ADF array's first index is the deterministic part of the test
 * regression in sh_trend order (timeseries/lagged.h): 0 = n (none),
 * 1 = c (constant), 2 = ct (constant and trend), 3 = ctt (constant, trend
 * and squared trend). */
#ifndef SH_TIMESERIES_MACKINNON_H
#define SH_TIMESERIES_MACKINNON_H

#define SH_MACKINNON_TRENDS 4
#define SH_MACKINNON_SMALLP_TERMS 3
#define SH_MACKINNON_LARGEP_TERMS 4
#define SH_MACKINNON_LEVELS 3 /* 1%, 5%, 10% */
#define SH_MACKINNON_CRIT_TERMS 4
#define SH_KPSS_LEVELS 4 /* 10%, 5%, 2.5%, 1% */

/* MacKinnon (1994) p-value of a tau statistic t:
 *   t < sh_mackinnon_tau_min[r]  -> p = 0
 *   t > sh_mackinnon_tau_max[r]  -> p = 1 (tau_max is +INFINITY for n)
 *   t <= sh_mackinnon_tau_star[r] -> p = Phi(sum_i g_i t^i), i = 0..2,
 *        g_i = sh_mackinnon_smallp[r][i] * sh_mackinnon_smallp_scale[i]
 *   otherwise                    -> p = Phi(sum_i g_i t^i), i = 0..3,
 *        g_i = sh_mackinnon_largep[r][i] * sh_mackinnon_largep_scale[i]
 * Phi is the standard normal CDF. The coefficient arrays hold the figures as
 * printed, lowest power first; the scale multiplies them into the polynomial
 * coefficient. statsmodels multiplies once and evaluates by Horner's rule
 * from the highest power (numpy.polyval); doing the same gives its argument
 * to Phi bit for bit. */
extern const double sh_mackinnon_tau_min[SH_MACKINNON_TRENDS];
extern const double sh_mackinnon_tau_max[SH_MACKINNON_TRENDS];
extern const double sh_mackinnon_tau_star[SH_MACKINNON_TRENDS];
extern const double sh_mackinnon_smallp_scale[SH_MACKINNON_SMALLP_TERMS];
extern const double sh_mackinnon_smallp[SH_MACKINNON_TRENDS][SH_MACKINNON_SMALLP_TERMS];
extern const double sh_mackinnon_largep_scale[SH_MACKINNON_LARGEP_TERMS];
extern const double sh_mackinnon_largep[SH_MACKINNON_TRENDS][SH_MACKINNON_LARGEP_TERMS];

/* MacKinnon (2010) critical values at 1%, 5% and 10% for a test regression
 * with T observations:
 *   c(T) = b[0] + b[1]/T + b[2]/T^2 + b[3]/T^3,
 *   b = sh_mackinnon_crit[r][level]
 * (b[0] alone is the asymptotic value). statsmodels evaluates it by Horner's
 * rule in u = 1/T: ((b[3] u + b[2]) u + b[1]) u + b[0]. */
extern const double sh_mackinnon_crit[SH_MACKINNON_TRENDS][SH_MACKINNON_LEVELS]
                                     [SH_MACKINNON_CRIT_TERMS];

/* Kwiatkowski et al. (1992) Table 1: upper-tail critical values of the KPSS
 * statistic for level (eta_mu) and trend (eta_tau) stationarity, increasing,
 * at the tail probabilities sh_kpss_pvalues = {0.10, 0.05, 0.025, 0.01}.
 * statsmodels' p-value is linear interpolation of (crit, pvalues), clipped
 * to [0.01, 0.10] outside the table (numpy.interp). */
extern const double sh_kpss_crit_level[SH_KPSS_LEVELS];
extern const double sh_kpss_crit_trend[SH_KPSS_LEVELS];
extern const double sh_kpss_pvalues[SH_KPSS_LEVELS];

#endif /* SH_TIMESERIES_MACKINNON_H */
