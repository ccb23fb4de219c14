#!/usr/bin/env bash
# Install into a temporary prefix and check that the installed binary reads
# its own share/azboard (not the source tree) when AZBOARD_DATA is unset,
# and that AZBOARD_DATA still wins.
set -u
build="$1"
prefix="$(mktemp -d)"
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null || { echo "install failed"; exit 1; }
fail=0
check() { # description, command output, expected substring
    if printf '%s' "$2" | grep -qF -- "$3"; then
        echo "ok   $1"
    else
        echo "FAIL $1: expected '$3' in:"; printf '%s\n' "$2"; fail=$((fail + 1))
    fi
}
[ -x "$prefix/bin/azboard" ] || { echo "FAIL no $prefix/bin/azboard"; exit 1; }
[ -f "$prefix/share/azboard/assets/catalog.json" ] || { echo "FAIL no catalog installed"; exit 1; }
[ -f "$prefix/share/azboard/scenarios/index.json" ] || { echo "FAIL no scenarios installed"; exit 1; }
out="$(env -u AZBOARD_DATA "$prefix/bin/azboard" version)"
check "installed binary reads share/azboard" "$out" "data: $prefix/bin/../share/azboard"
out="$(env -u AZBOARD_DATA "$prefix/bin/azboard" validate "$prefix/share/azboard/scenarios/url-shortener/starter.json")"
check "installed data validates" "$out" "ok"
out="$(AZBOARD_DATA=/nonexistent "$prefix/bin/azboard" catalog 2>&1)"
check "AZBOARD_DATA overrides" "$out" "/nonexistent/assets"
out="$(env -u AZBOARD_DATA "$build/azboard" version)"
check "build-tree binary reads the source tree" "$out" "data: $(cd "$(dirname "$0")/../.." && pwd)"
[ "$fail" -eq 0 ] && echo "install: 4 passed, 0 failed" || { echo "install: $((4 - fail)) passed, $fail failed"; exit 1; }
