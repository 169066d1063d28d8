#!/usr/bin/env bash
# Make sure Debian's `chromium` is installed at /usr/bin/chromium (the browser tests drive it
# with playwright-core; `npx playwright install` cannot download here).
# Idempotent: does nothing when it is already there. Installing needs root or passwordless sudo.
# Usage: bash scripts/ensure-chromium.sh        (exit 0 = chromium is there)
set -euo pipefail
# shellcheck source=lib/apt-install.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/apt-install.sh"

CHROMIUM=/usr/bin/chromium

# Without a Chinese font every screenshot shows boxes where the text should be.
has_cjk_font() { command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list :lang=zh 2>/dev/null | head -n 1)" ]; }

if [ -x "$CHROMIUM" ] && has_cjk_font; then
  echo "chromium: $("$CHROMIUM" --version 2>/dev/null || echo 'present') ($CHROMIUM), with a Chinese font"
  exit 0
fi

apt_install ensure-chromium "$CHROMIUM" chromium fonts-noto-cjk

if [ ! -x "$CHROMIUM" ]; then
  echo "ensure-chromium: apt-get finished but $CHROMIUM is still missing" >&2
  exit 1
fi
echo "chromium: $("$CHROMIUM" --version 2>/dev/null || echo 'installed') ($CHROMIUM)"
