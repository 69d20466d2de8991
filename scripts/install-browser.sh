#!/usr/bin/env bash
# Install the headless browsers the browser tests drive: Debian's chromium (no browser download
# of Playwright's own; Playwright only drives this binary) and Debian's firefox-esr (driven over
# its own WebDriver BiDi server; no geckodriver). Does nothing when both are there. Where it
# cannot install them (not root and no sudo, or no apt-get), it says why, records the reason in
# .venv/lineage-no-browser for the browser tests to skip with, and succeeds.
set -euo pipefail
NOTE="$(dirname "$0")/../.venv/lineage-no-browser"
rm -f "$NOTE"
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
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  SUDO=(sudo -n)
else
  SUDO=(none)
fi
if [ "${SUDO[*]}" = none ] || ! command -v apt-get >/dev/null 2>&1; then
  REASON="scripts/install-browser.sh could not install ${PACKAGES[*]} (needs root or sudo, and apt-get)"
  echo "install-browser: $REASON; the browser tests will be skipped" >&2
  mkdir -p "$(dirname "$NOTE")"
  echo "$REASON" >"$NOTE"
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq "${PACKAGES[@]}" >/dev/null
"$CHROMIUM" --version
"$FIREFOX" --version
