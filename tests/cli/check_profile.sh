#!/bin/sh
# check_profile.sh - end-to-end test of `sheaf profile`: its statistics
# against pandas (tests/cli/profile_reference.py) on the bundled data sets
# and on a generated file with every column type and missing values, for
# several thread and partition counts; bit-identical output across thread
# counts; and the error paths (exit status 1, "sheaf: " on stderr).
# Run from the repository root: BUILD=build sh tests/cli/check_profile.sh
set -eu

BUILD=${BUILD:-build}
PYTHON=${PYTHON:-/usr/bin/python3}
SHEAF=$BUILD/sheaf
REF=tests/cli/profile_reference.py

[ -x "$SHEAF" ] || { echo "check_profile: $SHEAF not built" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

passed=0
failed=0
ok() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL: $*" >&2; }

"$PYTHON" "$REF" --generate "$tmp/mixed.csv" 20000 7

# statistics against pandas
for data in data/longley.csv data/airquality.csv "$tmp/mixed.csv"; do
    for tp in 1:1 2:3 4:16 8:64; do
        t=${tp%:*} p=${tp#*:}
        if "$SHEAF" profile --tsv --threads "$t" --partitions "$p" "$data" >"$tmp/out.tsv" &&
            "$PYTHON" "$REF" "$data" "$tmp/out.tsv"; then
            ok
        else
            fail "profile $data (threads $t, partitions $p) differs from pandas"
        fi
    done
done

# the same partitions give the same bits whatever the thread count
"$SHEAF" profile --tsv --threads 1 --partitions 16 "$tmp/mixed.csv" >"$tmp/t1.tsv"
"$SHEAF" profile --tsv --threads 8 --partitions 16 "$tmp/mixed.csv" >"$tmp/t8.tsv"
if cmp -s "$tmp/t1.tsv" "$tmp/t8.tsv"; then ok; else fail "output depends on the thread count"; fi

# the human-readable table
if "$SHEAF" profile data/airquality.csv >"$tmp/table.txt" &&
    grep -q '^Date  *timestamp  *153  *0  *1973-07-16 ' "$tmp/table.txt" &&
    grep -q '^MonthName  *string  *153  *0  *5  *May  *31$' "$tmp/table.txt" &&
    grep -q '^Ozone  *int64  *116  *37 ' "$tmp/table.txt"; then
    ok
else
    fail "table output"
fi

# errors: status 1 and one "sheaf: " line first on stderr
expect_error() { # expect_error PATTERN ARGS...
    pattern=$1
    shift
    if "$SHEAF" "$@" >"$tmp/stdout" 2>"$tmp/stderr"; then
        fail "sheaf $* succeeded"
    elif [ $? -ne 1 ]; then
        fail "sheaf $* exit status is not 1"
    elif ! head -n 1 "$tmp/stderr" | grep -q "^sheaf: .*$pattern"; then
        fail "sheaf $*: stderr is '$(head -n 1 "$tmp/stderr")'"
    elif [ -s "$tmp/stdout" ]; then
        fail "sheaf $* wrote to stdout"
    else
        ok
    fi
}
printf 'a,b\n1,2\n3,"x\n' >"$tmp/bad.csv"
expect_error 'no/such.csv' profile "$tmp/no/such.csv"
expect_error 'bad.csv' profile "$tmp/bad.csv"
expect_error "unknown option '--bogus'" profile --bogus data/longley.csv
expect_error "--threads wants an integer" profile --threads x data/longley.csv
expect_error "--partitions wants an integer >= 1" profile --partitions 0 data/longley.csv
expect_error "missing FILE" profile
expect_error "unknown command 'frobnicate'" frobnicate
expect_error "missing command"
if grep -q 'usage:' "$tmp/stderr"; then ok; else fail "no usage message after a usage error"; fi

# help and version
if "$SHEAF" --help | grep -q 'sheaf profile'; then ok; else fail "--help"; fi
if "$SHEAF" profile --help | grep -q -- '--partitions N'; then ok; else fail "profile --help"; fi
version=$(sed -n 's/.*SHEAF_VERSION_STRING "\(.*\)"/\1/p' include/sheaf_core.h)
if [ "$("$SHEAF" --version)" = "sheaf $version" ]; then ok; else fail "--version"; fi

echo "profile check: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
