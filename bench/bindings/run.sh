#!/usr/bin/env bash
# Bindings overhead: records/s through the C API, Python, Go and Rust with a
# no-op handler (walk the records, ack), batch size 100, on the same topic of
# the real broker, in one run. Writes bench/results/bindings-overhead-<date>.txt,
# or OUTPUT when given.
#
#   bench/bindings/run.sh [RECORDS [OUTPUT]]   (default 1000000, 100-byte values, 4 partitions)
#   ROUNDS=N (default 2): rounds of all programs, each consuming with a fresh group.
# Needs build/ built (with benchmarks) and starts its own broker unless
# SLUICE_TEST_BOOTSTRAP is set. Targets: Go and Rust >= 0.8x C, Python >= 0.5x.
#
# Go runs twice per round: "go" reads each batch with AppendUnsafeRecords into
# one reused slice (zero-copy views, valid until Close: the hot-loop path the
# Go README documents), "go-copy" with Records() (copies that outlive the
# batch). Python runs twice per round too: "python" reads Batch.records (copies,
# as its README documents), "python-ack" is the issue's no-op handler taken
# literally: count (len), ack, close, no Record built.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
records=${1:-1000000}
rounds=${ROUNDS:-2}
out=${2:-bench/results/bindings-overhead-$(date +%Y-%m-%d).txt}
if [[ -z ${SLUICE_TEST_BOOTSTRAP:-} ]]; then
  export SLUICE_KAFKA_DIR=$root/build/kafka-bench
  trap './scripts/kafka down >/dev/null 2>&1 || true' EXIT
  SLUICE_TEST_BOOTSTRAP=$(./scripts/kafka up | tail -n 1)
fi
bs=$SLUICE_TEST_BOOTSTRAP
topic=overhead-$(date +%s)
export SLUICE_LIBRARY=$root/build/lib/libsluice.so.1 PKG_CONFIG_PATH=$root/build/lib/pkgconfig

rate() { grep -oE 'records_per_sec=[0-9.]+' | tail -n 1 | cut -d= -f2; }
{
  echo "# bindings overhead, $(date -u +%FT%TZ)"
  echo "# command: ${ROUNDS:+ROUNDS=$ROUNDS }bench/bindings/run.sh $records${2:+ $2}"
  echo "# library: $(readlink -f build/lib/libsluice.so.1) built $(date -u -r build/lib/libsluice.so.1 +%FT%TZ); HEAD $(git rev-parse --short HEAD 2>/dev/null)"
  echo "# cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores (nproc)"
  echo "# load at start (/proc/loadavg): $(cat /proc/loadavg)"
  echo "# topic: $records records, 100 B values, 4 partitions, real Kafka broker on loopback"
} | tee "$out"
build/bin/sluice_capi_overhead --bootstrap "$bs" --topic "$topic" --records "$records" --produce >/dev/null
gobin=$root/build/bin/sluice-overhead-go  # built once, outside the timed runs
(cd bindings/go && go build -o "$gobin" ./cmd/sluice-overhead)
declare -A r
for ((run = 1; run <= rounds; run++)); do  # each program consumes with a fresh group
  r[c$run]=$(build/bin/sluice_capi_overhead --bootstrap "$bs" --topic "$topic" --records "$records" | rate)
  r[python$run]=$(build/venv-python/bin/python bench/bindings/python_overhead.py --bootstrap "$bs" --topic "$topic" --records "$records" --batch-size 100 | rate)
  r[python-ack$run]=$(build/venv-python/bin/python bench/bindings/python_overhead.py --bootstrap "$bs" --topic "$topic" --records "$records" --batch-size 100 --work ack | rate)
  r[go$run]=$("$gobin" --bootstrap "$bs" --topic "$topic" --records "$records" --batch-size 100 --read reuse | rate)
  r[go-copy$run]=$("$gobin" --bootstrap "$bs" --topic "$topic" --records "$records" --batch-size 100 --read copy | rate)
  r[rust$run]=$( (cd bindings/rust && CARGO_TARGET_DIR=$root/build/rust-target cargo run -q --release -p sluice --example overhead -- --bootstrap "$bs" --topic "$topic" --records "$records" --batch-size 100) | rate)
done
# Per binding: the best round, its ratio to the best C round, and the median
# over rounds of the ratio to the same round's C (paired, so less sensitive to
# load that comes and goes during the run).
summary() {  # summary NAME -> "best ratio_of_best median_paired_ratio"
  local b=$1 vals=() cs=() i
  for ((i = 1; i <= rounds; i++)); do vals+=("${r[$b$i]}"); cs+=("${r[c$i]}"); done
  python3 -c "
import statistics, sys
v = [float(x) for x in sys.argv[1].split()]; c = [float(x) for x in sys.argv[2].split()]
print(f'{max(v):.0f} {max(v) / max(c):.2f} {statistics.median(a / b for a, b in zip(v, c)):.2f}')" "${vals[*]}" "${cs[*]}"
}
{
  printf "%-10s %14s %8s %8s %8s\n" binding records/s ratio paired target
  read -r cbest _ _ < <(summary c)
  printf '%-10s %14s %8s %8s %8s\n' C "$cbest" 1.00 1.00 -
  for b in go go-copy rust python python-ack; do
    read -r v ratio paired < <(summary "$b")
    t=0.8; [[ $b == python* ]] && t=0.5
    printf '%-10s %14s %8s %8s %8s\n' "$b" "$v" "$ratio" "$paired" ">= $t"
  done
  echo "# records/s and ratio: best of $rounds rounds (ratio to the best C round); paired: median over rounds of the ratio to that round's C"
  for ((run = 1; run <= rounds; run++)); do
    printf '# round %s:' "$run"
    for b in c go go-copy rust python python-ack; do printf ' %s=%.0f' "$b" "${r[$b$run]}"; done
    echo
  done
  echo "# go: AppendUnsafeRecords into a reused slice (zero-copy views); go-copy: Records() (copies)"
  echo "# python: Batch.records (Record copies); python-ack: len(batch), ack (no records built)"
  echo "# load at end (/proc/loadavg): $(cat /proc/loadavg)"
} | tee -a "$out"
