#!/usr/bin/env bash
# System packages the end-to-end tests need: headless Chromium (Debian's `chromium`).
# Called by CI before the tests; does nothing when a Chromium is already installed.
set -euo pipefail

have_chromium() {
    command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 \
        || command -v google-chrome >/dev/null 2>&1
}

if have_chromium; then
    echo "chromium: already installed"
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "chromium: not found and no apt-get here; the e2e browser checks will be skipped" >&2
    exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
        echo "chromium: not root and no sudo; the e2e browser checks will be skipped" >&2
        exit 0
    fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends chromium
have_chromium && echo "chromium: installed"
