#!/bin/sh
# Installs, with apt-get, every Debian package sheaf's build, tests and
# benchmarks need; does nothing when all are present.
set -eu
PACKAGES="build-essential pkg-config libopenblas-openmp-dev liblapacke-dev libgsl-dev
libcriterion-dev python3-numpy python3-pandas python3-scipy python3-statsmodels
python3-sklearn python3-pytest python3-bottleneck python3-numexpr python3-mpmath r-base-core
liblinear-tools r-cran-lmtest r-cran-urca r-cran-tseries r-cran-forecast"
missing=""
for p in $PACKAGES; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "make deps: installing$missing"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
