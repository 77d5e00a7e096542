"""The examples the README shows run, the README shows them verbatim, and
the output it shows under `<!-- output:NAME -->` is what they print (the C
example's output is checked by `make test-demo`, which builds it)."""

import os
import re
import subprocess
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, os.pardir)


def readme_block(name, kind="example"):
    text = open(os.path.join(ROOT, "README.md")).read()
    match = re.search(r"<!-- %s:%s -->\n```\w*\n(.*?)```\n" % (kind, re.escape(name)), text, re.S)
    assert match, "README.md has no %s block for %s" % (kind, name)
    return match.group(1)


def run_example(name):
    """The example's stdout, run from the repository root (it reads data/)."""
    env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "python"))
    done = subprocess.run([sys.executable, os.path.join(ROOT, "examples", name)], cwd=ROOT,
                          capture_output=True, text=True, env=env, check=True)
    return done.stdout


def test_readme_shows_the_metrics_example_verbatim():
    with open(os.path.join(ROOT, "examples", "metrics_to_design.py")) as f:
        assert readme_block("metrics_to_design.py") == f.read()


def test_metrics_example_assembles_a_design_matrix():
    lines = run_example("metrics_to_design.py").splitlines()
    assert lines[0] == "(357, 9) (357,)"
    assert lines[1].startswith("['free', 'total', 'active', 'cached', 'used_lag1'")


def test_readme_shows_the_logreg_examples_verbatim():
    for name in ["logreg.py", "logreg_spector.c"]:
        with open(os.path.join(ROOT, "examples", name)) as f:
            assert readme_block(name) == f.read(), name


def spector_logit_params():
    """statsmodels' Logit(GRADE, [1, GPA, TUCE, PSI]) on the bundled CSV."""
    import pandas as pd
    import statsmodels.api as sm

    data = pd.read_csv(os.path.join(ROOT, "data", "spector.csv"))
    exog = sm.add_constant(data[["GPA", "TUCE", "PSI"]])
    return sm.Logit(data["GRADE"], exog).fit(disp=0).params


def test_logreg_example_prints_what_the_readme_shows():
    out = run_example("logreg.py")
    assert out == readme_block("logreg.py", "output")


def test_logreg_example_prints_statsmodels_coefficients():
    table = [line.split() for line in run_example("logreg.py").splitlines()[1:5]]
    rows = {words[0]: words[1] for words in table}  # name -> coefficient as printed
    for name, value in spector_logit_params().items():
        assert rows[name] == "%.6g" % value, (name, rows[name], value)


def test_readme_shows_the_var_example_verbatim():
    with open(os.path.join(ROOT, "examples", "var_granger_macro.c")) as f:
        assert readme_block("var_granger_macro.c") == f.read()


def test_var_example_output_is_statsmodels():
    """Every number README.md shows under the C VAR/Granger example (the
    output `make test-demo` checks the program prints) is statsmodels' on the
    bundled CSV: the ADF statistics and p-values (adfuller, autolag AIC) of
    the log levels ('ct') and growth rates ('c'), the lag-4 ssr F-test
    p-values of grangercausalitytests for each ordered pair, the
    select_order choices, the VAR's llf and AIC, and the forecasts with their
    95% interval."""
    import warnings

    import numpy as np
    import pandas as pd
    from statsmodels.tsa.api import VAR
    from statsmodels.tsa.stattools import adfuller, grangercausalitytests

    names = ["realgdp", "realcons", "realinv", "realgovt", "realdpi", "cpi"]
    levels = np.log(pd.read_csv(os.path.join(ROOT, "data", "macrodata.csv"))[names].to_numpy())
    growth = np.diff(levels, axis=0)
    lines = readme_block("var_granger_macro.c", "output").splitlines()
    for i, name in enumerate(names):
        row = lines[2 + i].split()
        assert row[0] == name
        level_test = adfuller(levels[:, i], regression="ct", autolag="AIC")
        growth_test = adfuller(growth[:, i], regression="c", autolag="AIC")
        assert row[1:] == ["%.3f" % level_test[0], "%.4f" % level_test[1],
                           "%.3f" % growth_test[0], "%.4f" % growth_test[1]], row
    first = lines.index(next(x for x in lines if x.startswith("Granger causality"))) + 2
    for i, name in enumerate(names):
        row = lines[first + i].replace("*", "").split()
        assert row[0] == name
        for j in range(len(names)):
            if i == j:
                assert row[1 + j] == "-"
                continue
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                p = grangercausalitytests(growth[:, [i, j]], 4, verbose=False)[4][0]["ssr_ftest"][1]
            assert row[1 + j] == "%.4f" % p, (name, names[j], row[1 + j], p)
    model = VAR(growth[:, :3])
    sel = model.select_order(8)
    at = lines.index(next(x for x in lines if x.startswith("VAR of")))
    assert lines[at] == ("VAR of realgdp, realcons, realinv: orders by AIC %d, BIC %d, HQIC %d, "
                         "FPE %d" % (sel.aic, sel.bic, sel.hqic, sel.fpe))
    res = model.fit(sel.aic)
    assert lines[at + 1] == "VAR(%d): %d observations, log-likelihood %.3f, AIC %.4f" % (
        res.k_ar, res.nobs, res.llf, res.aic)
    mid, lower, upper = res.forecast_interval(growth[-res.k_ar:, :3], 4, alpha=0.05)
    for h in range(4):
        words = lines[at + 3 + h].replace("[", " ").replace(",", " ").replace("]", " ").split()
        assert words[1:] == ["%.3f" % (100 * a) for a in (mid[h, 0], lower[h, 0], upper[h, 0])], \
            lines[at + 3 + h]


def test_timeseries_example_is_shown_verbatim_and_prints_what_the_readme_shows():
    with open(os.path.join(ROOT, "examples", "timeseries.py")) as f:
        assert readme_block("timeseries.py") == f.read()
    assert run_example("timeseries.py") == readme_block("timeseries.py", "output")


def test_timeseries_example_prints_statsmodels_numbers():
    """The same report computed with statsmodels 0.13.5 reads the same, line
    for line (BH over every off-diagonal test of lags 1..4 at once, as
    adjust='fdr_bh' documents)."""
    import warnings

    import numpy as np
    import pandas as pd
    from statsmodels.stats.multitest import multipletests
    from statsmodels.tsa.api import VAR
    from statsmodels.tsa.stattools import adfuller, grangercausalitytests

    warnings.simplefilter("ignore")
    levels = np.log(pd.read_csv(os.path.join(ROOT, "data", "macrodata.csv"))[
        ["realgdp", "realcons", "realinv"]])
    growth = levels.diff().dropna()
    lines = []
    stat, pvalue, usedlag, nobs, crit, icbest = adfuller(levels["realgdp"], regression="ct")
    lines.append("ADF log realgdp (ct): %.3f, p = %.4f, %d lags, 5%% critical %.3f" % (
        stat, pvalue, usedlag, crit["5%"]))
    stat, pvalue, usedlag, *_ = adfuller(growth["realgdp"])
    lines.append("ADF realgdp growth (c): %.3f, p = %.4f, %d lags" % (stat, pvalue, usedlag))
    y = growth.to_numpy()
    p = np.full((3, 3, 4), np.nan)
    for i in range(3):
        for j in range(3):
            if i != j:
                res = grangercausalitytests(y[:, [i, j]], 4, verbose=False)
                p[i, j] = [res[lag][0]["ssr_ftest"][1] for lag in range(1, 5)]
    off = ~np.isnan(p)
    adjusted = np.full_like(p, np.nan)
    adjusted[off] = multipletests(p[off], method="fdr_bh")[1]
    lines.append("Granger at lag 4, BH-adjusted p-values [caused, causing]:")
    lines += np.array2string(adjusted[:, :, 3], precision=4, suppress_small=True).splitlines()
    res = VAR(growth).fit(maxlags=8, ic="aic")
    lines.append("VAR(%d) chosen by AIC: llf %.3f, stable %s" % (res.k_ar, res.llf,
                                                              res.is_stable()))
    test = res.test_causality("realgdp", ["realinv"], kind="f")
    lines.append("realinv -> realgdp: F = %.4f, p = %.4f" % (test.test_statistic, test.pvalue))
    lines.append("realgdp response to an orthogonal realinv shock, 4 quarters: " +
                 str(np.round(res.irf(4).orth_irfs[1:, 0, 2], 5)))
    lines.append("forecast, 2 quarters:")
    lines += str(np.round(res.forecast(y[-res.k_ar:], 2), 5)).splitlines()
    assert readme_block("timeseries.py", "output").splitlines() == lines


def test_arima_examples_are_shown_verbatim_and_print_what_the_readme_shows():
    with open(os.path.join(ROOT, "examples", "arima_macro.c")) as f:
        assert readme_block("arima_macro.c") == f.read()
    with open(os.path.join(ROOT, "examples", "arima.py")) as f:
        assert readme_block("arima.py") == f.read()
    assert run_example("arima.py") == readme_block("arima.py", "output")


def test_arima_examples_print_statsmodels_numbers_at_the_optimum():
    """statsmodels 0.13.5's ARIMA(1,1,1) with drift, evaluated at sheaf's
    estimates of every series, gives the log-likelihood and the forecast
    intervals both examples print, and its own fit() scores no higher
    (it stops short on these log-scale series)."""
    import warnings

    import numpy as np
    import pandas as pd
    from statsmodels.tsa.arima.model import ARIMA

    sys.path.insert(0, os.path.join(ROOT, "python"))
    import sheaf

    data = pd.read_csv(os.path.join(ROOT, "data", "macro_long.csv"))
    c_lines = readme_block("arima_macro.c", "output").splitlines()
    for name, group in data.groupby("series"):
        y = group.sort_values("quarter")["log_level"].to_numpy()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ours = sheaf.ARIMA(y, order=(1, 1, 1), trend="t").fit()
            model = ARIMA(y, order=(1, 1, 1), trend="t")
            theirs = model.fit()
        at_ours = model.filter(ours.params)
        assert abs(at_ours.llf - ours.llf) <= 1e-8 * abs(ours.llf), name
        assert theirs.llf <= ours.llf + 1e-6 * abs(ours.llf), name
        fc = at_ours.get_forecast(4)
        mean, ci = np.exp(fc.predicted_mean), np.exp(fc.conf_int(alpha=0.05))
        row = next(x for x in c_lines if x.startswith(name + " "))
        words = row.replace("[", " ").replace(",", " ").replace("]", " ").split()
        want = ["%.1f" % v for h in (0, 3) for v in (mean[h], ci[h, 0], ci[h, 1])]
        assert words[1:] == want, (row, want)
        if name == "realgdp":
            assert "llf %.3f  AICc %.3f" % (at_ours.llf, at_ours.aicc) in "\n".join(c_lines)
