#!/bin/sh
# Build and run the event-queue benchmark by hand (it is not a ctest).
#
#   tests/bench/run_events.sh [BUILD_DIR]
#
# The queue is internal (engine/src/azbi_events.h), so the benchmark is
# compiled with its two sources (events.c, rng.c) at -O2, the flags of the
# Release build, with the project's warnings; it needs nothing else from
# the tree. The binary goes to BUILD_DIR (default build-bench). Environment:
# AZB_BENCH_RUNS (default 7), AZB_BENCH_CPU (the core to pin it to, default
# 0), CC (default cc).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-"$root/build-bench"}
mkdir -p "$build"

${CC:-cc} -std=c11 -O2 -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wdouble-promotion \
    -Wmissing-prototypes -Wvla -Werror \
    -I"$root/engine/include" -I"$root/engine/src" "$here/bench_events.c" \
    "$root/engine/src/events.c" "$root/engine/src/rng.c" -lm -o "$build/bench_events"

# taskset pins it to one core when available, so the figures are one core's
if command -v taskset >/dev/null 2>&1; then
    exec taskset -c "${AZB_BENCH_CPU:-0}" "$build/bench_events"
fi
exec "$build/bench_events"
