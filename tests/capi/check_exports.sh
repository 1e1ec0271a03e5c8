#!/usr/bin/env bash
# Compares the dynamic symbols libsluice.so exports with the SLUICE_API
# functions its headers declare: nothing missing, nothing extra (hidden
# visibility keeps the C++ core and its dependencies out).
set -euo pipefail
lib=$1; shift
declared=$(grep -vh '^#' "$@" | tr '\n' ' ' | grep -oE 'SLUICE_API[^;(]*\(' | grep -oE '[a-z_0-9]+ *\($' | tr -d ' (' | sort -u)
exported=$(nm -D --defined-only "$lib" | awk '$2 ~ /^[TW]$/ {print $3}' | sort -u)
missing=$(comm -23 <(echo "$declared") <(echo "$exported"))
extra=$(comm -13 <(echo "$declared") <(echo "$exported"))
n=$(echo "$declared" | wc -l)
if [[ -n $missing || -n $extra ]]; then
  [[ -n $missing ]] && printf 'declared but not exported:\n%s\n' "$missing"
  [[ -n $extra ]] && printf 'exported but not declared:\n%s\n' "$extra"
  exit 1
fi
echo "libsluice exports exactly the $n declared functions"
