#!/usr/bin/env bash
# Install the headless browser the browser tests drive: Debian's chromium (no browser download
# of Playwright's own; Playwright only drives this binary). Does nothing when it is there.
set -euo pipefail
CHROMIUM=${LINEAGE_CHROMIUM:-/usr/bin/chromium}
if [ -x "$CHROMIUM" ]; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1; then
  SUDO=(sudo -n)
else
  echo "install-browser: $CHROMIUM is missing and installing it needs root (apt-get install chromium)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq chromium >/dev/null
"$CHROMIUM" --version
