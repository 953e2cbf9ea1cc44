# shellcheck shell=bash
# Sourced by scripts/wizard and scripts/test: installs what is missing, then syncs the venv.
# Safe to run again; it only installs what is not there yet.

set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

apt_ensure() {
    # apt_ensure PKG... : install the Debian packages that are not installed yet.
    command -v dpkg >/dev/null 2>&1 || return 0
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
    done
    if [ "${#missing[@]}" -gt 0 ]; then
        echo "==> installing Debian packages: ${missing[*]}"
        $SUDO apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
}

uv_ensure() {
    export PATH="$HOME/.local/bin:$PATH"
    command -v uv >/dev/null 2>&1 && return 0
    echo "==> installing uv"
    if ! python3 -m pip --version >/dev/null 2>&1; then apt_ensure python3-pip; fi
    python3 -m pip install --quiet --user uv 2>/dev/null \
        || python3 -m pip install --quiet uv 2>/dev/null \
        || python3 -m pip install --quiet --break-system-packages uv
    hash -r
}

sync_venv() {
    # sync_venv [extra uv args]: the locked environment in .venv, with bytecode compiled
    # ahead of time: where PYTHONDONTWRITEBYTECODE is set, every start would otherwise
    # recompile Textual and friends from source (about 0.5 s more before the first screen).
    UV_PYTHON_DOWNLOADS=never uv sync --frozen --quiet --compile-bytecode "$@"
    "$ROOT/.venv/bin/python" -m compileall -q "$ROOT/diagwizard" "$ROOT/checks" "$ROOT/kb" >/dev/null || true
}
