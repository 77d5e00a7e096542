#!/usr/bin/python3
"""Writes granger_refs.h: reference values for the Granger tests beyond
statsmodels' grangercausalitytests (sheaf_granger_entries and
sheaf_granger_by_key in include/sheaf_timeseries.h).

Run from anywhere with /usr/bin/python3 (Debian 12 packages: statsmodels 0.13.5,
numpy 1.24, scipy 1.10):
    /usr/bin/python3 tests/data/timeseries/gen_granger_refs.py
Data: MACRO_Y, EU_Y and GEN_Y are read back from var_refs.h (written by
gen_var_refs.py; every double is stored exactly), so both headers describe the
same series; the keyed panel is drawn from numpy.random.default_rng(SEED).
Nothing is downloaded. What each block is computed with:
  - lag sets and common samples: statsmodels' grangercausalitytests, on the
    trimmed series y[m - L:] for lag L of a common sample (m = max lag);
  - information criteria: OLS(y, X).fit().aic / .bic of the unrestricted
    regression on the common sample, X built by hand, also recomputed from the
    formula -2 llf + 2 p, -2 llf + log(n) p;
  - conditional tests: OLS fits of y_i on a constant and the lags of every
    series (unrestricted) and without series j's lags (restricted):
    compare_f_test (ssr F), compare_lr_test (LR), f_test of j's lags (params F),
    nobs (ssr_r - ssr_u) / ssr_u (chi2, grangercausalitytests' formula);
  - Benjamini-Hochberg: statsmodels.stats.multitest.multipletests(p,
    method='fdr_bh')[1] over the off-diagonal p-values in [caused][causing][lag]
    order.
The script stops with an AssertionError when a cross-check fails. Rerunning
with the same package versions reproduces granger_refs.h byte for byte.
"""
import os
import re
import sys
import warnings

import numpy as np
import scipy
import scipy.stats as st
import statsmodels
import statsmodels.api as sm
from statsmodels.stats.multitest import multipletests
from statsmodels.tsa.stattools import grangercausalitytests

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, os.pardir))
from refgen import Header  # noqa: E402

SEED = 20260511
OUT = os.path.join(HERE, "granger_refs.h")
warnings.simplefilter("ignore")  # statsmodels 0.13 warns about verbose

header = Header(full_shapes=True)
lines, arr, comment, section, log = header.lines, header.arr, header.comment, header.section, header.log

# Columns of every table row (GR_* index macros in the header).
COLS = ["SSR_F", "SSR_F_P", "DF_DENOM", "DF_NUM", "CHI2", "CHI2_P", "LR", "LR_P", "PARAMS_F",
        "PARAMS_F_P", "NOBS", "SSR_R", "SSR_U", "AIC", "BIC", "LAG"]
NC = len(COLS)


def read_var_refs(name):
    """A data array of var_refs.h as (rows, cols)."""
    text = open(os.path.join(HERE, "var_refs.h")).read()
    rows = int(re.search(rf"#define {name}_ROWS (\d+)", text).group(1))
    cols = int(re.search(rf"#define {name}_COLS (\d+)", text).group(1))
    body = re.search(rf"static const double {name}\[\d+\] = \{{(.*?)\}};", text, re.S).group(1)
    vals = [float(v) for v in body.replace("\n", " ").split(",") if v.strip()]
    assert len(vals) == rows * cols
    return np.array(vals).reshape(rows, cols)


def rel(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return float(np.nanmax(np.abs(a - b) / np.maximum(np.abs(b), 1e-300)))


MACRO = read_var_refs("MACRO_Y")
EU = read_var_refs("EU_Y")
GEN = read_var_refs("GEN_Y")


def lag_design(Y, t, L, series):
    """[1, y_m,t-l for l = 1..L, m in series] at rows t (constant first)."""
    cols = [np.ones(len(t))]
    for l in range(1, L + 1):
        for m in series:
            cols.append(Y[t - l, m])
    return np.column_stack(cols)


def ic_formula(ssr, n, p):
    llf = -n / 2 * np.log(2 * np.pi) - n / 2 * np.log(ssr / n) - n / 2
    return -2 * llf + 2 * p, -2 * llf + np.log(n) * p


def pair_row(x, L):
    """The GR_ row of grangercausalitytests(x, [L]) at lag L (column 1 -> 0)."""
    r, (m_r, m_u, _) = grangercausalitytests(x, maxlag=[L], verbose=False)[L]
    s, c, lr, pf = r["ssr_ftest"], r["ssr_chi2test"], r["lrtest"], r["params_ftest"]
    assert s[3] == L and s[2] == m_u.df_resid and m_u.nobs == x.shape[0] - L
    a, b = ic_formula(m_u.ssr, m_u.nobs, 2 * L + 1)
    assert rel(a, m_u.aic) < 1e-12 and rel(b, m_u.bic) < 1e-12 and m_u.df_model + 1 == 2 * L + 1
    return [s[0], s[1], s[2], s[3], c[0], c[1], lr[0], lr[1], pf[0], pf[1], m_u.nobs, m_r.ssr,
            m_u.ssr, m_u.aic, m_u.bic, L]


def pair_table(Y, lags, common):
    """[i][j][q] rows for every ordered pair; common: lag L on Y[m - L:]."""
    k, m = Y.shape[1], max(lags)
    out = np.full((k, k, len(lags), NC), np.nan)
    for i in range(k):
        for j in range(k):
            if i != j:
                for q, L in enumerate(lags):
                    x = Y[m - L:, [i, j]] if common else Y[:, [i, j]]
                    out[i, j, q] = pair_row(x, L)
    return out


def conditional_row(Y, i, j, L, first):
    """Conditional test of j -> i at lag L on rows first..T-1 by statsmodels OLS."""
    k, T = Y.shape[1], Y.shape[0]
    t = np.arange(first, T)
    y = Y[t, i]
    Xu = lag_design(Y, t, L, range(k))
    keep = [0] + [1 + (l - 1) * k + m for l in range(1, L + 1) for m in range(k) if m != j]
    Xr = Xu[:, keep]
    ru, rr = sm.OLS(y, Xu).fit(), sm.OLS(y, Xr).fit()
    n, p = len(t), k * L + 1
    assert ru.nobs == n and ru.df_resid == n - p and ru.k_constant == 1
    F, Fp, df_diff = ru.compare_f_test(rr)
    lr, lrp, lr_df = ru.compare_lr_test(rr)
    assert df_diff == L and lr_df == L
    R = np.zeros((L, p))
    for l in range(1, L + 1):
        R[l - 1, 1 + (l - 1) * k + j] = 1.0
    ft = ru.f_test(R)
    chi2 = n * (rr.ssr - ru.ssr) / ru.ssr
    # cross-checks: the F from the sums, and the criteria from the formula
    assert rel(F, (rr.ssr - ru.ssr) / L / (ru.ssr / (n - p))) < 1e-9
    assert rel(float(np.squeeze(ft.fvalue)), F) < 1e-8 and ft.df_denom == n - p and ft.df_num == L
    a, b = ic_formula(ru.ssr, n, p)
    assert rel(a, ru.aic) < 1e-12 and rel(b, ru.bic) < 1e-12
    return [F, Fp, n - p, L, chi2, st.chi2.sf(chi2, L), lr, lrp, float(np.squeeze(ft.fvalue)),
            float(ft.pvalue), n, rr.ssr, ru.ssr, ru.aic, ru.bic, L]


def conditional_table(Y, lags, common):
    k, m = Y.shape[1], max(lags)
    out = np.full((k, k, len(lags), NC), np.nan)
    for i in range(k):
        for j in range(k):
            if i != j:
                for q, L in enumerate(lags):
                    out[i, j, q] = conditional_row(Y, i, j, L, m if common else L)
    return out


def choose(table, lags, col):
    """Chosen lag per pair by the smallest criterion (column col), 0 on the
    diagonal; asserts the choice is clear (gap > 1e-6) so rounding cannot flip it."""
    k = table.shape[0]
    out = np.zeros((k, k))
    for i in range(k):
        for j in range(k):
            if i != j:
                v = table[i, j, :, col]
                order = np.argsort(v, kind="stable")
                assert v[order[1]] - v[order[0]] > 1e-6, (i, j, v)
                out[i, j] = lags[order[0]]
    return out


def ic_recheck(Y, lags, chosen, col, conditional):
    """The chosen lags again, from OLS(...).aic / .bic on the common sample."""
    k, T, m = Y.shape[1], Y.shape[0], max(lags)
    t = np.arange(m, T)
    for i in range(k):
        for j in range(k):
            if i == j:
                continue
            vals = []
            for L in lags:
                X = lag_design(Y, t, L, range(k) if conditional else [i, j])
                res = sm.OLS(Y[t, i], X).fit()
                vals.append(res.aic if col == "AIC" else res.bic)
            assert lags[int(np.argmin(vals))] == chosen[i, j]


def pick(table, chosen, lags):
    """The rows of table at the chosen lags, shape (k, k, NC)."""
    k = table.shape[0]
    out = np.full((k, k, NC), np.nan)
    for i in range(k):
        for j in range(k):
            if i != j:
                out[i, j] = table[i, j, lags.index(int(chosen[i, j]))]
    return out


def bh(p, per_lag):
    """multipletests fdr_bh of the off-diagonal entries of p (k, k, n), in
    [i][j][q] order, all at once or one family per q; NaN on the diagonal."""
    k, n = p.shape[0], p.shape[2]
    out = np.full(p.shape, np.nan)
    off = ~np.eye(k, dtype=bool)
    if per_lag:
        for q in range(n):
            out[:, :, q][off] = multipletests(p[:, :, q][off], method="fdr_bh")[1]
    else:
        out[off] = multipletests(p[off].reshape(-1), method="fdr_bh")[1].reshape(-1, n)
    return out


def emit_table(name, table, call):
    arr(name, table, call + "; rows [caused][causing][lag position], columns GR_*, NAN on the "
        "diagonal")


lines.append(f"#define GR_COLS {NC}")
for c, nm in enumerate(COLS):
    lines.append(f"#define GR_{nm} {c}")
lines.append("")

# =========================================================================
section("1. Explicit lag sets (bivariate, statsmodels' per-lag samples)")
MACRO_LAGS = [3, 1, 6]
arr("GR_MACRO_LAGSET_LAGS", MACRO_LAGS, "the lag list, in this order")
macro_set = pair_table(MACRO, MACRO_LAGS, False)
emit_table("GR_MACRO_LAGSET", macro_set,
           "grangercausalitytests(MACRO_Y[:, [i, j]], maxlag=[L])[L] for L in GR_MACRO_LAGSET_LAGS")
log("lag sets: grangercausalitytests rows; aic/bic of the unrestricted fit equal -2 llf + 2 p "
    "and -2 llf + log(n) p (rel < 1e-12)")

# =========================================================================
section("2. A common sample: lag L of lags 1..m on rows m..T-1, i.e. grangercausalitytests\n"
        "on y[m - L:]; and the per-lag samples of the same lags beside it")
EU_LAGS = [1, 2, 3, 4, 5]
eu_common = pair_table(EU, EU_LAGS, True)
eu_perlag = pair_table(EU, EU_LAGS, False)
emit_table("GR_EU_COMMON", eu_common, "grangercausalitytests(EU_Y[5 - L:, [i, j]], maxlag=[L])[L], L = 1..5")
emit_table("GR_EU_PERLAG", eu_perlag, "grangercausalitytests(EU_Y[:, [i, j]], maxlag=5)[L], L = 1..5")
GEN_LAGS = [1, 2, 3, 4]
gen_common = pair_table(GEN, GEN_LAGS, True)
gen_perlag = pair_table(GEN, GEN_LAGS, False)
emit_table("GR_GEN_COMMON", gen_common, "grangercausalitytests(GEN_Y[4 - L:, [i, j]], maxlag=[L])[L], L = 1..4")
emit_table("GR_GEN_PERLAG", gen_perlag, "grangercausalitytests(GEN_Y[:, [i, j]], maxlag=4)[L], L = 1..4")
assert np.array_equal(eu_common[:, :, 4], eu_perlag[:, :, 4], equal_nan=True)
log("common sample: at the largest lag the common and per-lag rows are identical")

# =========================================================================
section("3. The lag chosen per pair by AIC / BIC of the unrestricted regression on the common\n"
        "sample (argmin over the candidates; 0 on the diagonal). The test reported at that lag\n"
        "is the common-sample row (common_sample = 1) or the per-lag row (common_sample = 0).")
choices = {}
for nm, Y, lags, tab in (("EU", EU, EU_LAGS, eu_common), ("GEN", GEN, GEN_LAGS, gen_common)):
    for crit in ("AIC", "BIC"):
        ch = choose(tab, lags, COLS.index(crit))
        ic_recheck(Y, lags, ch, crit, False)
        choices[(nm, crit)] = ch
        arr(f"GR_{nm}_{crit}_LAG", ch, f"argmin over L of OLS(y_i, [1, y_i lags, y_j lags]).fit()."
            f"{crit.lower()} on {nm}_Y rows {max(lags)}..T-1")
        log(f"{nm} {crit}: chosen lags {sorted(set(ch[~np.eye(len(ch), dtype=bool)].astype(int).tolist()))}, "
            "rechecked with OLS(...).fit() on the common sample")

# =========================================================================
section("4. Conditional tests: y_i on a constant and lags 1..L of every series (unrestricted)\n"
        "against the same without series j's lags (restricted), p_u = k L + 1; statsmodels OLS\n"
        "compare_f_test, compare_lr_test, f_test; chi2 = nobs (ssr_r - ssr_u) / ssr_u.")
gen_cond = conditional_table(GEN, GEN_LAGS, False)
gen_cond_common = conditional_table(GEN, GEN_LAGS, True)
EU_COND_LAGS = [2, 1, 3]
eu_cond_common = conditional_table(EU, EU_COND_LAGS, True)
macro_cond = conditional_table(MACRO, MACRO_LAGS, False)
emit_table("GR_GEN_COND", gen_cond, "conditional tests on GEN_Y, lags 1..4, rows L..T-1")
emit_table("GR_GEN_COND_COMMON", gen_cond_common, "conditional tests on GEN_Y, lags 1..4, rows 4..T-1")
arr("GR_EU_COND_LAGS", EU_COND_LAGS, "the lag list, in this order")
emit_table("GR_EU_COND_COMMON", eu_cond_common, "conditional tests on EU_Y, lags [2, 1, 3], rows 3..T-1")
emit_table("GR_MACRO_COND", macro_cond, "conditional tests on MACRO_Y, lags [3, 1, 6], rows L..T-1")
gen_cond_bic = choose(gen_cond_common, GEN_LAGS, COLS.index("BIC"))
ic_recheck(GEN, GEN_LAGS, gen_cond_bic, "BIC", True)
arr("GR_GEN_COND_BIC_LAG", gen_cond_bic, "argmin over L of OLS(y_i, [1, lags of every series]).fit().bic "
    "on GEN_Y rows 4..T-1 (the same for every j)")
# with two series the conditional test is the bivariate one
pair2 = conditional_table(GEN[:, :2], GEN_LAGS, False)
bi2 = pair_table(GEN[:, :2], GEN_LAGS, False)
d = rel(pair2[~np.isnan(pair2)], bi2[~np.isnan(bi2)])
assert d < 1e-8, d
log(f"conditional: with k = 2 it equals grangercausalitytests (rel {d:.1e}); params F (f_test) "
    "equals the ssr F (rel < 1e-8)")

# =========================================================================
section("5. Benjamini-Hochberg: multipletests(p, method='fdr_bh')[1] over the off-diagonal\n"
        "p-values in [i][j][lag] order, all at once (_ALL) or one family per lag (_PER_LAG)")
P = COLS.index("SSR_F_P")
arr("GR_MACRO_LAGSET_BH_ALL", bh(macro_set[..., P], False), "ssr F p-values of GR_MACRO_LAGSET")
arr("GR_MACRO_LAGSET_BH_PER_LAG", bh(macro_set[..., P], True), "ssr F p-values of GR_MACRO_LAGSET")
arr("GR_GEN_COND_LR_BH_ALL", bh(gen_cond[..., COLS.index("LR_P")], False), "lrtest p-values of GR_GEN_COND")
eu_aic_common = pick(eu_common, choices[("EU", "AIC")], EU_LAGS)
arr("GR_EU_AIC_COMMON_BH", bh(eu_aic_common[..., P][:, :, None], False)[:, :, 0],
    "ssr F p-values of GR_EU_COMMON at the GR_EU_AIC_LAG lags (k x k)")
own = macro_set[..., P][~np.eye(3, dtype=bool)].reshape(-1)
o = np.argsort(own)
raw = own[o] * len(own) / np.arange(1, len(own) + 1)
mine = np.minimum(np.minimum.accumulate(raw[::-1])[::-1], 1)
back = np.empty_like(mine)
back[o] = mine
assert rel(back, multipletests(own, method="fdr_bh")[1]) < 1e-15
log("fdr_bh recomputed by hand (sort, p n / rank, running minimum from the top, cap 1)")

# =========================================================================
section("6. Many panels: PANEL_KEY (key 0..5), PANEL_TIME, PANEL_Y (3 series) in shuffled row\n"
        "order; each key's rows sorted by time are one panel. Keys 0, 1, 4: VAR(1) panels of\n"
        "120, 80, 60 rows; key 2: 6 rows (too short for lag 2: needs more than 7); key 3:\n"
        "series 1 constant; key 5: 50 rows with one NaN in series 2. PANEL_REF[key][i][j][lag-1]\n"
        "= grangercausalitytests(panel[:, [i, j]], maxlag=2) rows (NAN for the failing keys).")
rng = np.random.default_rng(SEED)
sizes = [120, 80, 6, 40, 60, 50]
A = np.array([[0.5, 0.0, 0.0], [0.3, 0.4, 0.0], [0.0, -0.25, 0.3]])
keys, times, vals = [], [], []
for key, n in enumerate(sizes):
    y = np.zeros((n, 3))
    e = rng.standard_normal((n, 3))
    for t in range(n):
        y[t] = (A @ y[t - 1] if t else 0) + e[t]
    if key == 3:
        y[:, 1] = 2.5
    if key == 5:
        y[17, 2] = np.nan
    t0 = int(rng.integers(0, 1000))
    keys += [key] * n
    times += [t0 + 3 * t for t in range(n)]
    vals.append(y)
Yp = np.vstack(vals)
perm = rng.permutation(len(keys))
PK, PT, PY = np.array(keys, float)[perm], np.array(times, float)[perm], Yp[perm]
arr("PANEL_KEY", PK, "key of each row (shuffled)")
arr("PANEL_TIME", PT, "time of each row: t0(key) + 3 t")
arr("PANEL_Y", PY, f"3 series; y_t = A y_(t-1) + e_t, A = {A.tolist()}")
ref = np.full((len(sizes), 3, 3, 2, NC), np.nan)
bh_ref = np.full((len(sizes), 3, 3, 2), np.nan)
for key in range(len(sizes)):
    rows = np.where(PK == key)[0]
    panel = PY[rows[np.argsort(PT[rows], kind="stable")]]
    if key in (2, 3, 5):
        try:
            pair_table(panel, [1, 2], False)
            outcome = "no error"
        except Exception as ex:  # noqa: BLE001 - recorded, not hidden
            outcome = f"{type(ex).__name__}: {str(ex).splitlines()[0][:80]}"
        comment(f"statsmodels on panel {key}: {outcome}")
        continue
    ref[key] = pair_table(panel, [1, 2], False)
    bh_ref[key] = bh(ref[key][..., P], False)
arr("PANEL_REF", ref, "per key, grangercausalitytests(panel[:, [i, j]], maxlag=2)[lag] rows (GR_* columns)")
arr("PANEL_BH", bh_ref, "per key, multipletests of its off-diagonal ssr F p-values, lags 1 and 2 together")
log("panels: keys 0, 1, 4 from grangercausalitytests on each key's time-sorted rows")

# =========================================================================
body = "\n".join(lines)
head = [
    "/* granger_refs.h - GENERATED by tests/data/timeseries/gen_granger_refs.py; do not edit.",
    f" * python {sys.version.split()[0]}, numpy {np.__version__}, scipy {scipy.__version__}, "
    f"statsmodels {statsmodels.__version__}",
    f" * seed: numpy.random.default_rng({SEED}) for the panels; MACRO_Y, EU_Y, GEN_Y are var_refs.h's.",
    " * Checks printed by the script when it ran:",
] + [" *   " + s for s in header.notes] + [
    " * Arrays are flat row-major doubles with _DIM0.. (3-D and up), _ROWS/_COLS (2-D) and _LEN",
    " * macros. Include var_refs.h for the data. */",
    "#ifndef SHEAF_TESTS_GRANGER_REFS_H",
    "#define SHEAF_TESTS_GRANGER_REFS_H",
    "",
    "#include <math.h>",
    "",
]
with open(OUT, "w") as fh:
    fh.write("\n".join(head) + "\n" + body + "\n#endif /* SHEAF_TESTS_GRANGER_REFS_H */\n")
print(f"wrote {OUT} ({os.path.getsize(OUT)} bytes)")
