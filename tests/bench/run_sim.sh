#!/bin/sh
# Build and run the simulator benchmark by hand (it is not a ctest).
#
#   tests/bench/run_sim.sh [BUILD_DIR] [-- REQUESTS]
#
# BUILD_DIR is a configured build tree (default: build-bench, configured
# here as Release). The benchmark links that tree's libazb_engine.a, so it
# times the simulator exactly as the program ships it: an M/M/4 node at
# utilisation 0.9 and a three-stage tandem, REQUESTS each (default
# 1,000,000), then peak memory after ten times as many. When SimPy is
# installed (Debian's python3-simpy, SimPy 2; or SimPy 3/4 from pip) the
# same two models run in SimPy in the same session and the ratio is printed.
# Environment: AZB_BENCH_RUNS (default 5), AZB_BENCH_CPU (the core to pin it
# to, default 0), AZB_SIMPY_REQUESTS (default 200,000: SimPy is slow),
# PYTHON (default: the first python3 that imports SimPy), CC (default cc).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-"$root/build-bench"}
[ $# -gt 0 ] && shift
[ "${1:-}" = "--" ] && shift
requests=${1:-1000000}

if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DAZB_TESTS=OFF >/dev/null
fi
cmake --build "$build" --target azb_engine -j 2 >/dev/null

${CC:-cc} -std=c11 -O2 -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wdouble-promotion \
    -Wmissing-prototypes -Wvla -Werror \
    -I"$root/engine/include" "$here/bench_sim.c" "$build/libazb_engine.a" \
    $(pkg-config --cflags --libs libcjson) -lm -o "$build/bench_sim"

pin=""
if command -v taskset >/dev/null 2>&1; then
    pin="taskset -c ${AZB_BENCH_CPU:-0}"
fi

out=$(AZBOARD_DATA="$root" $pin "$build/bench_sim" "$requests")
echo "$out"

python=${PYTHON:-}
if [ -z "$python" ]; then
    for p in /usr/bin/python3 python3; do
        if command -v "$p" >/dev/null 2>&1 &&
            "$p" -c 'import importlib.util as u, sys; sys.exit(0 if (u.find_spec("simpy") or u.find_spec("SimPy")) else 1)' 2>/dev/null; then
            python=$p
            break
        fi
    done
fi
if [ -z "$python" ]; then
    echo "SimPy: not installed (apt-get install python3-simpy), no ratio"
    exit 0
fi
simpy=$($pin "$python" "$here/simpy_models.py" "${AZB_SIMPY_REQUESTS:-200000}")
echo "$simpy"
# ratio of the medians, workload by workload
printf '%s\n%s\n' "$out" "$simpy" | awk '
    /^(mm4|tandem) / && /M model events/ && !c[$1]++ { for (i = 1; i <= NF; i++) if ($i == "median") c_rate[$1] = $(i + 1) }
    /^simpy (mm4|tandem) / { for (i = 1; i <= NF; i++) if ($i == "M") s_rate[$2] = $(i - 1) }
    END { for (w in c_rate) if (w in s_rate) printf "ratio %-7s azboard %.2f / SimPy %.3f M model events/s = %.0fx\n", w, c_rate[w], s_rate[w], c_rate[w] / s_rate[w] }'
