#!/usr/bin/env bash
# The Go binding's suite, against the library in <repo>/build (scripts/test
# builds it first): go vet, go test ./... and go test -race ./... (which also
# build the examples and cmd/sluice-overhead). The real-broker tests need SLUICE_TEST_BOOTSTRAP (they
# fail without it; scripts/test exports it).
# Ends with exactly one line "N passed, N failed" (test results over both
# runs, subtests included); exits non-zero on any failure or if no test ran.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
export PKG_CONFIG_PATH="$root/build/lib/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
export CGO_ENABLED=1
cd "$here"

passed=0
failed=0
rc=0
logdir=$(mktemp -d)
trap 'rm -rf "$logdir"' EXIT

if ! pkg-config --exists sluice; then
  echo "bindings/go/test.sh: pkg-config cannot find sluice in $root/build/lib/pkgconfig (build the library first)"
  echo "0 passed, 1 failed"
  exit 1
fi
[[ -n ${SLUICE_TEST_BOOTSTRAP:-} ]] ||
  echo "bindings/go/test.sh: SLUICE_TEST_BOOTSTRAP is not set: the real-broker tests will fail"

echo "--- go vet ./... and gofmt"
if ! go vet ./...; then
  echo "go vet failed"
  failed=$((failed + 1))
  rc=1
fi
unformatted=$(gofmt -l .)
if [[ -n $unformatted ]]; then
  echo "not gofmt'ed (run gofmt -w): $unformatted"
  failed=$((failed + 1))
  rc=1
fi

run() {  # run NAME go-test-args...
  local name=$1; shift
  local log="$logdir/$name.log"
  echo "--- go test -v -parallel 8 $* ./..."
  # Parallel tests mostly wait on brokers, so run more of them than cores.
  go test -v -count=1 -timeout 15m -parallel 8 "$@" ./... 2>&1 | tee "$log"
  local status=${PIPESTATUS[0]}
  local p f
  p=$(grep -cE '^\s*--- PASS: ' "$log")
  f=$(grep -cE '^\s*--- FAIL: ' "$log")
  # A crash (panic, timeout, build failure) may report no FAIL line: count it.
  if [[ $status != 0 && $f == 0 ]]; then
    echo "go test $* exited with $status without a failing test: counted as one failure"
    f=1
  fi
  echo "--- go test ${*:-(plain)}: $p passed, $f failed"
  passed=$((passed + p))
  failed=$((failed + f))
  [[ $status == 0 ]] || rc=1
}
run plain
run race -race

if ((passed == 0)); then
  echo "no test ran"
  rc=1
fi
((failed == 0)) || rc=1
echo "$passed passed, $failed failed"
exit $rc
