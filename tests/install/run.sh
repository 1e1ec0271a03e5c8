#!/usr/bin/env bash
# Installs the build tree into a temporary prefix, then builds and runs a
# separate project against it twice: through find_package(sluice) and through
# pkg-config (what the Go and Rust bindings use).
set -euo pipefail
build=$1
src=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d /tmp/sluice-install.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
test -L "$tmp/prefix/lib/libsluice.so.1" || test -L "$tmp"/prefix/lib/*/libsluice.so.1
cmake -S "$src" -B "$tmp/cmake" -G Ninja -DCMAKE_PREFIX_PATH="$tmp/prefix" >/dev/null
cmake --build "$tmp/cmake" >/dev/null
LD_LIBRARY_PATH=$(dirname "$(find "$tmp/prefix" -name libsluice.so.1 | head -n 1)") "$tmp/cmake/install_check"
pc_dir=$(dirname "$(find "$tmp/prefix" -name sluice.pc | head -n 1)")
cc "$src/main.c" -o "$tmp/pc_check" $(PKG_CONFIG_PATH=$pc_dir pkg-config --define-variable=prefix="$tmp/prefix" --cflags --libs sluice)
LD_LIBRARY_PATH=$(dirname "$(find "$tmp/prefix" -name libsluice.so.1 | head -n 1)") "$tmp/pc_check"
