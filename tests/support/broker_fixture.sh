#!/usr/bin/env bash
# CTest fixture for the 'kafka' label (see tests/CMakeLists.txt): starts the
# real broker before the kafka tests and stops it after them. CTest sets
# SLUICE_KAFKA_DIR=<build>/kafka, where the tests read the bootstrap address.
# With SLUICE_TEST_BOOTSTRAP set, someone else runs the broker: do nothing.
set -euo pipefail

case ${1:-} in
  up | down) ;;
  *) echo "usage: $0 up|down" >&2; exit 2 ;;
esac

if [[ -n ${SLUICE_TEST_BOOTSTRAP:-} ]]; then
  echo "broker_fixture: SLUICE_TEST_BOOTSTRAP=$SLUICE_TEST_BOOTSTRAP, not managing a broker"
  exit 0
fi

exec "$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/scripts/kafka" "$1"
