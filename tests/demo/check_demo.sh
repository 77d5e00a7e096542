#!/bin/sh
# check_demo.sh - checks the compiled steps of `make demo` against known
# output: the airquality feature assembly (examples/airquality_features.c)
# gives its design matrix shape, and the logistic regression
# (examples/logreg_spector.c) prints statsmodels' Logit coefficient for GPA
# and exactly the output README.md shows under <!-- output:logreg_spector.c -->,
# the Granger/VAR example (examples/var_granger_macro.c) the output under
# <!-- output:var_granger_macro.c -->, and the ARIMA example
# (examples/arima_macro.c) the output under <!-- output:arima_macro.c -->
# (README.md's copy of the source itself is checked by
# tests/python/test_examples.py). Needs the programs built: `make test-demo`.
# Run from the repository root: BUILD=build sh tests/demo/check_demo.sh
set -eu

BUILD=${BUILD:-build}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

passed=0
failed=0
ok() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL: $*" >&2; }

if "$BUILD/examples/airquality_features" data/airquality.csv >"$tmp/airquality.txt" &&
    grep -q "design matrix: 96 rows x 10 features" "$tmp/airquality.txt"; then
    ok
else
    fail "airquality_features data/airquality.csv did not assemble 96 rows x 10 features"
fi

if "$BUILD/examples/logreg_spector" data/spector.csv >"$tmp/logreg.txt"; then
    ok
else
    fail "logreg_spector data/spector.csv failed"
fi

# statsmodels 0.13.5: Logit(GRADE, [1, GPA, TUCE, PSI]).fit().params["GPA"] = 2.8261125949
if grep -Eq "^GPA +2\.82611 " "$tmp/logreg.txt"; then
    ok
else
    fail "logreg_spector printed no GPA coefficient 2.82611 (statsmodels' value)"
fi

# README.md shows the program's output verbatim, in the block after its marker
awk '/<!-- output:logreg_spector.c -->/ {on = 1; next} on && /^```text$/ {inside = 1; next}
     inside && /^```$/ {exit} inside {print}' README.md >"$tmp/readme_logreg.txt"
if cmp -s "$tmp/readme_logreg.txt" "$tmp/logreg.txt"; then
    ok
else
    fail "README.md's output of logreg_spector.c differs from what it prints:"
    diff "$tmp/readme_logreg.txt" "$tmp/logreg.txt" >&2 || true
fi

if "$BUILD/examples/var_granger_macro" data/macrodata.csv >"$tmp/var.txt"; then
    ok
else
    fail "var_granger_macro data/macrodata.csv failed"
fi

# statsmodels 0.13.5: grangercausalitytests(growth[["realinv", "realgdp"]], 4)[4][0]
# ["ssr_ftest"] has p = 2.7e-08 (0.0000 printed); tests/python/test_examples.py
# checks every printed p-value against statsmodels
if grep -Eq "^realinv +0\.0000\* " "$tmp/var.txt"; then
    ok
else
    fail "var_granger_macro printed no realinv row starting 0.0000*"
fi

awk '/<!-- output:var_granger_macro.c -->/ {on = 1; next} on && /^```text$/ {inside = 1; next}
     inside && /^```$/ {exit} inside {print}' README.md >"$tmp/readme_var.txt"
if cmp -s "$tmp/readme_var.txt" "$tmp/var.txt"; then
    ok
else
    fail "README.md's output of var_granger_macro.c differs from what it prints:"
    diff "$tmp/readme_var.txt" "$tmp/var.txt" >&2 || true
fi

if "$BUILD/examples/arima_macro" data/macro_long.csv >"$tmp/arima.txt"; then
    ok
else
    fail "arima_macro data/macro_long.csv failed"
fi

# seven series, each with a forecast row (tests/python/test_examples.py
# checks the numbers against statsmodels)
if [ "$(grep -Ec '^(cpi|m1|realcons|realdpi|realgdp|realgovt|realinv) ' "$tmp/arima.txt")" -eq 7 ]; then
    ok
else
    fail "arima_macro did not print a forecast row for each of the seven series"
fi

awk '/<!-- output:arima_macro.c -->/ {on = 1; next} on && /^```text$/ {inside = 1; next}
     inside && /^```$/ {exit} inside {print}' README.md >"$tmp/readme_arima.txt"
if cmp -s "$tmp/readme_arima.txt" "$tmp/arima.txt"; then
    ok
else
    fail "README.md's output of arima_macro.c differs from what it prints:"
    diff "$tmp/readme_arima.txt" "$tmp/arima.txt" >&2 || true
fi

echo "demo check: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
