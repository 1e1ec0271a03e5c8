#!/usr/bin/env bash
# scripts/kafka, twice in a row in a fresh state dir of its own: up, topic,
# produce and consume with kcat, down, and the broker's pid is gone.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
export SLUICE_KAFKA_DIR=$(mktemp -d /tmp/sluice-kafka-script-test.XXXXXX)
trap '"$root/scripts/kafka" down >/dev/null 2>&1 || true; rm -rf "$SLUICE_KAFKA_DIR"' EXIT
for round in 1 2; do
  addr=$("$root/scripts/kafka" up | tail -n 1)
  [[ $addr =~ ^127\.0\.0\.1:[0-9]+$ ]] || { echo "round $round: bad address '$addr'"; exit 1; }
  pid=$(cat "$SLUICE_KAFKA_DIR/broker.pid")
  "$root/scripts/kafka" topic "script-test-$round" 3
  printf 'a\nb\nc\n' | kcat -b "$addr" -t "script-test-$round" -P -p 1
  got=$(kcat -b "$addr" -t "script-test-$round" -C -p 1 -o beginning -e -q | tr '\n' ' ')
  [[ $got == "a b c " ]] || { echo "round $round: consumed '$got'"; exit 1; }
  "$root/scripts/kafka" status >/dev/null
  "$root/scripts/kafka" down
  if "$root/scripts/kafka" status >/dev/null 2>&1; then echo "round $round: still running after down"; exit 1; fi
  # Gone, or a zombie waiting for init to reap it, within a few seconds.
  for _ in $(seq 50); do
    state=$(awk '/^State:/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
    [[ -z $state || $state == Z ]] && break
    sleep 0.1
  done
  [[ -z $state || $state == Z ]] || { echo "round $round: pid $pid still running ($state)"; exit 1; }
  echo "round $round ok ($addr)"
done
