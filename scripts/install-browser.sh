#!/usr/bin/env bash
# Install the headless browsers the browser tests drive: Debian's chromium (no browser download
# of Playwright's own; Playwright only drives this binary) and Debian's firefox-esr (driven over
# its own WebDriver BiDi server; no geckodriver). Does nothing when both are there.
set -euo pipefail
CHROMIUM=${LINEAGE_CHROMIUM:-/usr/bin/chromium}
FIREFOX=${LINEAGE_FIREFOX:-/usr/bin/firefox-esr}
PACKAGES=()
if [ ! -x "$CHROMIUM" ]; then
  PACKAGES+=(chromium)
fi
if [ ! -x "$FIREFOX" ]; then
  PACKAGES+=(firefox-esr)
fi
if [ ${#PACKAGES[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1; then
  SUDO=(sudo -n)
else
  echo "install-browser: installing ${PACKAGES[*]} needs root (apt-get install ${PACKAGES[*]})" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq "${PACKAGES[@]}" >/dev/null
"$CHROMIUM" --version
"$FIREFOX" --version
