#!/bin/sh
# The steady-state model against the event simulator on every design in
# scenarios/: the table in docs/models.md ("How close the model is").
#
#   tests/bench/accuracy.sh [AZBOARD] [REQUESTS] [REPLICATIONS]
#
# For each design, `azboard sim --json` (the model) and `azboard sim --des
# --json` (REPLICATIONS runs of REQUESTS requests each, default 5 x 100,000,
# on all cores) at the design's own load, then one Markdown row: the
# model's mean, p50 and p99, the simulator's with the half-width of their
# 95% confidence intervals, and the model's error relative to the
# simulator. Run by hand (minutes, not seconds); needs python3 for the JSON.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
azb=${1:-"$root/build/azboard"}
requests=${2:-100000}
reps=${3:-5}

echo "| design | load rps | model mean / p50 / p99 ms | simulator mean / p50 / p99 ms (95% CI) | model error p50 / p99 | errors |"
echo "|---|---:|---|---|---|---:|"
for f in "$root"/scenarios/*/*.json; do
    grep -q '"azboard/design"' "$f" || continue
    name=${f#"$root"/scenarios/}
    "$azb" sim "$f" --json > /tmp/azb-acc-model.$$ 2>/dev/null
    if ! "$azb" sim "$f" --des --json --requests "$requests" --replications "$reps" \
        > /tmp/azb-acc-des.$$ 2> /tmp/azb-acc-err.$$; then
        # A design offered far more than it serves: the simulator stops once
        # its queues pass AZB_SIM_MAX_IN_FLIGHT visits and says so.
        echo "| $name | - | saturated (unbounded) | stopped: $(head -c 120 /tmp/azb-acc-err.$$) | - | - |"
        continue
    fi
    python3 - "$name" /tmp/azb-acc-model.$$ /tmp/azb-acc-des.$$ <<'PY'
import json, sys
name, mf, df = sys.argv[1:4]
m = json.load(open(mf)); d = json.load(open(df))
ml, dl = m["latency_ms"], d["latency_ms"]
ci = d.get("latency_ci95_ms", {})
def f(v): return "%.1f" % v if v < 1000 else "{:,.0f}".format(v)
def e(a, b): return "%+.1f%%" % (100.0 * (a - b) / b) if b > 0 else "-"
errs = d["errors"]; bad = errs["dropped"] + errs["timeouts"] + errs["throttled"] + errs["failed"]
if m["saturated"] or m.get("latency_unbounded"):
    model = "saturated (unbounded)"; err = "-"
else:
    model = "%s / %s / %s" % (f(ml["mean"]), f(ml["p50"]), f(ml["p99"]))
    err = "%s / %s" % (e(ml["p50"], dl["p50"]), e(ml["p99"], dl["p99"]))
sim = "%s / %s / %s" % tuple(
    f(dl[k]) + (" ± %s" % f(ci[k]) if k in ci else "") for k in ("mean", "p50", "p99"))
if d.get("overloaded"):
    sim += " (stopped: overloaded without bound)"
print("| %s | %s | %s | %s | %s | %s |" % (name, "{:,.0f}".format(m["offered_rps"]), model, sim, err,
      "{:,}".format(bad)))
PY
done
rm -f /tmp/azb-acc-model.$$ /tmp/azb-acc-des.$$ /tmp/azb-acc-err.$$
