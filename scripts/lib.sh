# Shared by scripts/run and scripts/test: the Debian packages azboard needs,
# installed only when missing, so a second run costs nothing.
AZB_PACKAGES="build-essential cmake pkg-config libsdl2-dev libsdl2-ttf-dev libcjson-dev libcmocka-dev libpng-dev"

azb_ensure_packages() {
    local missing=()
    local p
    for p in $AZB_PACKAGES; do
        if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
            missing+=("$p")
        fi
    done
    if [ ${#missing[@]} -eq 0 ]; then
        return 0
    fi
    echo "azboard: installing ${missing[*]}" >&2
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        if ! command -v sudo >/dev/null 2>&1; then
            echo "azboard: need root or sudo to install: ${missing[*]}" >&2
            exit 1
        fi
        sudo="sudo"
    fi
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

azb_jobs() {
    nproc 2>/dev/null || echo 2
}
