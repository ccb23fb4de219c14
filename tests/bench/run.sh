#!/bin/sh
# Build and run the model benchmark by hand (it is not a ctest).
#
#   tests/bench/run.sh [BUILD_DIR] [-- SIZES...]
#
# BUILD_DIR is a configured build tree (default: build-bench, configured
# here as Release). The benchmark links that tree's libazb_engine.a, so it
# times the engine exactly as the program ships it. Environment:
# AZB_BENCH_RUNS (default 51), AZB_BENCH_CPU (the core to pin it to,
# default 0; pick one the machine's other work leaves alone), CC (default cc).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-"$root/build-bench"}
[ $# -gt 0 ] && shift
[ "${1:-}" = "--" ] && shift

if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DAZB_TESTS=OFF >/dev/null
fi
cmake --build "$build" --target azb_engine -j 2 >/dev/null

${CC:-cc} -std=c11 -O2 -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wdouble-promotion \
    -Wmissing-prototypes -Wvla -Werror \
    -I"$root/engine/include" "$here/bench_model.c" "$build/libazb_engine.a" \
    $(pkg-config --cflags --libs libcjson) -lm -o "$build/bench_model"

# taskset pins it to one core when available, so the figures are one core's
if command -v taskset >/dev/null 2>&1; then
    AZBOARD_DATA="$root" exec taskset -c "${AZB_BENCH_CPU:-0}" "$build/bench_model" "$@"
fi
AZBOARD_DATA="$root" exec "$build/bench_model" "$@"
