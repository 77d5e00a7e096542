#!/bin/sh
# check_install.sh - installs sheaf into a temporary prefix, builds
# examples/hello.c against it the way a user would (pkg-config --static),
# checks that README.md shows that file verbatim, that the program is linked statically against libsheaf, runs
# on data/longley.csv, and reports a failure with the library's message.
# Run from the repository root: BUILD=build sh tests/install/check_install.sh
set -eu

BUILD=${BUILD:-build}
MAKE=${MAKE:-make}
CC=${CC:-cc}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

passed=0
failed=0
ok() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL: $*" >&2; }
finish() {
    echo "install check: $passed passed, $failed failed"
    [ "$failed" -eq 0 ]
    exit
}

if "$MAKE" -s install BUILD="$BUILD" PREFIX="$tmp" >"$tmp/install.log" 2>&1 &&
    [ -f "$tmp/include/sheaf.h" ] && [ -f "$tmp/lib/libsheaf.a" ] &&
    [ -f "$tmp/lib/pkgconfig/sheaf.pc" ]; then
    ok
else
    cat "$tmp/install.log" >&2
    fail "make install PREFIX=$tmp"
    finish
fi

# the README shows examples/hello.c verbatim, in the block after its marker
awk '/<!-- example:hello.c -->/ {on = 1; next} on && /^```c$/ {inside = 1; next}
     inside && /^```$/ {exit} inside {print}' README.md >"$tmp/readme_hello.c"
if cmp -s "$tmp/readme_hello.c" examples/hello.c; then
    ok
else
    fail "README.md's hello.c differs from examples/hello.c"
fi

flags=$(PKG_CONFIG_PATH="$tmp/lib/pkgconfig" pkg-config --cflags --libs --static sheaf)
# shellcheck disable=SC2086 # pkg-config output is a list of words
if "$CC" examples/hello.c $flags -o "$tmp/hello" 2>"$tmp/cc.log"; then
    ok
else
    cat "$tmp/cc.log" >&2
    fail "cc examples/hello.c $flags"
    finish
fi

# static: no dynamic dependency on libsheaf, and the library code is inside
if readelf -d "$tmp/hello" | grep NEEDED | grep -q libsheaf ||
    ldd "$tmp/hello" | grep -q libsheaf; then
    fail "hello depends on libsheaf.so"
elif ! nm "$tmp/hello" | grep -q ' T sheaf_csv_read$'; then
    fail "hello does not contain sheaf_csv_read"
else
    ok
fi

if out=$("$tmp/hello" data/longley.csv) && [ "$out" = "16 rows, 8 columns" ]; then
    ok
else
    fail "hello data/longley.csv printed '${out:-}'"
fi

if "$tmp/hello" "$tmp/missing.csv" 2>"$tmp/err.txt"; then
    fail "hello on a missing file succeeded"
elif grep -q "^hello: .*missing.csv" "$tmp/err.txt"; then
    ok
else
    fail "hello on a missing file said '$(cat "$tmp/err.txt")'"
fi

finish
