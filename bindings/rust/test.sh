#!/usr/bin/env bash
# bindings/rust/test.sh: builds and runs the Rust binding's tests against the
# library in <repo>/build (scripts/test builds it first and exports
# SLUICE_TEST_BOOTSTRAP, the real broker the kafka tests need: without it they
# fail, they are not skipped).
#
# Runs `cargo test` over the workspace with the `mock` feature (sluice-sys's
# header checker, the safe crate's unit, mock, real-broker and doc tests, and
# builds the examples). The cargo target dir is <repo>/build/rust-target, so
# the source tree stays clean. The first run fetches crates from crates.io.
# Ends with one line "N passed, N failed" summed over cargo's "test result:"
# lines; exits non-zero on any failure, a build failure, or when no test ran.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

export PKG_CONFIG_PATH=$root/build/lib/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/build/rust-target}
jobs=${SLUICE_JOBS:-2}

if [[ ! -f $root/build/lib/pkgconfig/sluice.pc ]]; then
  echo "bindings/rust/test.sh: $root/build/lib/pkgconfig/sluice.pc is missing: build the library first" >&2
  echo "  (cmake -S $root -B $root/build -G Ninja && cmake --build $root/build)" >&2
  echo "0 passed, 1 failed"
  exit 1
fi
if ! command -v cargo >/dev/null; then
  echo "bindings/rust/test.sh: cargo is not installed (https://rustup.rs, or the distribution's cargo)" >&2
  echo "0 passed, 1 failed"
  exit 1
fi
if [[ -z ${SLUICE_TEST_BOOTSTRAP:-} ]]; then
  echo "bindings/rust/test.sh: SLUICE_TEST_BOOTSTRAP is not set: the real-broker tests will fail" >&2
fi

mkdir -p "$CARGO_TARGET_DIR"
log=$CARGO_TARGET_DIR/test.log
cd "$here"
rc=0
cargo test -j "$jobs" --workspace --features sluice/mock,sluice-sys/mock --no-fail-fast 2>&1 | tee "$log" || rc=$?

passed=0
failed=0
while read -r p f; do
  passed=$((passed + p))
  failed=$((failed + f))
done < <(sed -nE 's/^test result: [A-Za-z]+\. ([0-9]+) passed; ([0-9]+) failed.*/\1 \2/p' "$log")

status=0
if ((rc != 0)); then
  status=1
  if ((failed == 0)); then
    echo "bindings/rust/test.sh: cargo test exited with $rc without a failed test (build error?)" >&2
    failed=1
  fi
fi
if ((failed > 0)); then
  status=1
fi
if ((passed + failed == 0)); then
  echo "bindings/rust/test.sh: no test ran" >&2
  status=1
fi
echo "$passed passed, $failed failed"
exit $status
