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
# apt-get, waiting while another apt or dpkg (a parallel run, unattended upgrades) holds its
# locks instead of failing at once; its output is shown when it fails.
apt_get() {
  local out attempt
  for attempt in $(seq 1 30); do
    if out=$("${SUDO[@]}" apt-get -o DPkg::Lock::Timeout=300 "$@" 2>&1); then
      return 0
    fi
    if ! grep -q "Could not get lock" <<<"$out"; then
      break
    fi
    echo "install-browser: apt is busy (attempt $attempt of 30), waiting" >&2
    sleep "${LINEAGE_APT_RETRY_SECONDS:-10}"
  done
  echo "$out" >&2
  return 1
}
apt_get update -qq
apt_get install -y -qq "${PACKAGES[@]}"
"$CHROMIUM" --version
"$FIREFOX" --version
