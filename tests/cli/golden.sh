#!/usr/bin/env bash
# Golden tests of the command line. Each line of cases.txt is
#   NAME | COMMAND
# COMMAND runs in bash from tests/cli with $AZB (the binary) and $T (a fresh
# temporary folder). Its stdout, stderr and exit code must equal
# tests/reference/NAME.txt. AZB_UPDATE_GOLDEN=1 rewrites the references.
set -u
AZB="$1"
TESTS="$2"
ROOT="$3"
export AZB
export AZBOARD_DATA="$ROOT"
cd "$TESTS/cli" || exit 2
pass=0
fail=0
failed=()
while IFS= read -r line; do
    case "$line" in ''|'#'*) continue ;; esac
    name="${line%% | *}"
    cmd="${line#* | }"
    T="$(mktemp -d)"
    export T
    out="$(bash -c "$cmd" 2>"$T.err")"
    rc=$?
    got="$(printf '$ %s\n%s\n--- stderr\n%s\n--- exit %d\n' "$cmd" "$out" "$(cat "$T.err")" "$rc" \
        | sed -e "s#$T#\$T#g" -e "s#$ROOT#\$ROOT#g")"
    ref="$TESTS/reference/$name.txt"
    if [ "${AZB_UPDATE_GOLDEN:-0}" = 1 ]; then
        printf '%s\n' "$got" > "$ref"
    fi
    if [ -f "$ref" ] && [ "$got" = "$(cat "$ref")" ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        failed+=("$name")
        echo "FAIL $name" >&2
        if [ -f "$ref" ]; then
            diff <(printf '%s\n' "$got") "$ref" | head -40 >&2
        else
            echo "  no reference $ref; got:" >&2
            printf '%s\n' "$got" | head -40 >&2
        fi
    fi
    rm -rf "$T" "$T.err"
done < cases.txt
echo "cli golden: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
