#!/usr/bin/env bash
# bench/filter/rounds.sh: interleaved throughput rounds, medians per configuration.
# The machine is shared and noisy: one pass (scripts/filter-compare) can be 20 % off;
# this runs every engine ROUNDS times, alternating, and prints median/min/max docs/s.
#
#   bench/filter/rounds.sh [--rounds N] [--seconds S] [--no-java] [NAME=BINARY ...]
#
# Default engines: sluice (build/filter-compare/sluice_filter_benchmark, built by
# scripts/filter-compare) and event-ruler (the Maven program here). NAME=BINARY adds
# another sluice_filter_benchmark (e.g. old=/tmp/old/sluice_filter_benchmark).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
rounds=7 seconds=1 java=1
declare -a names=(sluice) bins=("${SLUICE_FILTER_BUILD:-$root/build/filter-compare}/sluice_filter_benchmark")
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --no-java) java=0; shift ;;
    *=*) names+=("${1%%=*}"); bins+=("${1#*=}"); shift ;;
    *) echo "usage: $0 [--rounds N] [--seconds S] [--no-java] [NAME=BINARY ...]" >&2; exit 2 ;;
  esac
done
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
for r in $(seq "$rounds"); do
  for i in "${!names[@]}"; do
    "${bins[$i]}" --data "$here/data" --seconds "$seconds" | tail -n 6 | sed "s/^sluice /${names[$i]} /" >> "$out"
  done
  if [ "$java" = 1 ]; then
    (cd "$here" && java -cp "target/classes:$(cat target/cp.txt)" sluice.bench.FilterCompare bench "$here/data" "$seconds") \
      | tail -n 6 >> "$out"
  fi
  echo "round $r/$rounds done, $(uptime | sed 's/.*load average/load average/')" >&2
done
python3 - "$out" <<'PY'
import collections, statistics, sys
d = collections.defaultdict(list)
for line in open(sys.argv[1]):
    p = line.split()
    if len(p) >= 6 and p[3].isdigit():
        d[(p[0], p[1], p[2])].append(int(p[3]))
print("%-12s %-5s %8s %10s %10s %10s %3s" % ("engine", "docs", "patterns", "median", "min", "max", "n"))
for (e, docs, n), v in d.items():
    print("%-12s %-5s %8s %9.2fM %9.2fM %9.2fM %3d" % (e, docs, n, statistics.median(v) / 1e6,
          min(v) / 1e6, max(v) / 1e6, len(v)))
PY
