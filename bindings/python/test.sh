#!/usr/bin/env bash
# The Python binding's test suite, against build/ (scripts/test runs it from
# the repo root after building build/; any working directory works).
#
#  1. creates (once) the venv build/venv-python (--system-site-packages, so a
#     globally installed pytest is used; otherwise pytest is pip-installed),
#  2. pip-installs ./bindings/python into it, non-editable: the suite tests the
#     real install (building it needs setuptools from PyPI, as any pip install),
#  3. runs pytest with SLUICE_LIBRARY=build/lib/libsluice.so.1.
#
# Real-broker tests need SLUICE_TEST_BOOTSTRAP=host:port (scripts/test exports
# it); without it they fail, they never skip. The last line printed is always
# "N passed, N failed" (from pytest's JUnit XML; skips, which this suite never
# does on purpose, count as failed). Exits non-zero on any failure, including
# "no tests collected".
set -uo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
lib=$root/build/lib/libsluice.so.1
venv=$root/build/venv-python
junit=$root/build/python-junit.xml
python=${PYTHON:-python3}

die() {  # die MESSAGE: a setup failure counts as one failed test
  echo "bindings/python/test.sh: $*" >&2
  echo "0 passed, 1 failed"
  exit 1
}

[[ -f $lib ]] || die "$lib not found: build first (cmake --build build)"

if [[ ! -x $venv/bin/python ]]; then
  echo "creating $venv"
  "$python" -m venv --system-site-packages "$venv" || die "cannot create the venv $venv"
fi
if ! "$venv/bin/python" -c 'import pytest' 2>/dev/null; then
  "$venv/bin/python" -m pip install -q pytest || die "cannot install pytest into $venv"
fi
echo "installing bindings/python into $venv"
"$venv/bin/python" -m pip install -q --disable-pip-version-check --force-reinstall --no-deps \
  ./bindings/python || die "pip install ./bindings/python failed"

rm -f "$junit"
rc=0
(
  cd bindings/python &&
    SLUICE_LIBRARY=$lib SLUICE_PY_EXPECT_INSTALLED=$venv PYTHONDONTWRITEBYTECODE=1 \
      timeout --signal=TERM 1800 "$venv/bin/python" -m pytest tests -v -rfE -p no:cacheprovider \
      -o faulthandler_timeout=300 --junitxml="$junit"
) || rc=$?

if [[ ! -s $junit ]]; then
  echo "bindings/python/test.sh: pytest wrote no report (exit $rc)" >&2
  echo "0 passed, 1 failed"
  exit 1
fi
read -r passed failed skipped < <("$venv/bin/python" - "$junit" <<'EOF'
import sys
import xml.etree.ElementTree as ET

root = ET.parse(sys.argv[1]).getroot()
suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
n = {k: sum(int(s.get(k, 0)) for s in suites) for k in ("tests", "failures", "errors", "skipped")}
failed = n["failures"] + n["errors"]
print(n["tests"] - failed - n["skipped"], failed + n["skipped"], n["skipped"])
EOF
) || die "cannot read $junit"
if ((passed == 0 && failed == 0)); then failed=1; fi  # nothing ran: not a pass
((skipped == 0)) || echo "bindings/python/test.sh: $skipped test(s) skipped; counted as failed" >&2
if ((rc == 0 && (failed > 0 || passed == 0))); then rc=1; fi
if ((rc == 5)); then echo "bindings/python/test.sh: pytest collected no tests" >&2; fi
echo "$passed passed, $failed failed"
exit $rc
