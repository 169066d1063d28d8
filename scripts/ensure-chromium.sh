#!/usr/bin/env bash
# Make sure Debian's `chromium` is installed at /usr/bin/chromium (the browser tests drive it
# with playwright-core; `npx playwright install` cannot download here).
# Idempotent: does nothing when it is already there. Installing needs root or passwordless sudo.
# Usage: bash scripts/ensure-chromium.sh        (exit 0 = chromium is there)
set -euo pipefail

CHROMIUM=/usr/bin/chromium

# Without a Chinese font every screenshot shows boxes where the text should be.
has_cjk_font() { command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list :lang=zh 2>/dev/null | head -n 1)" ]; }

if [ -x "$CHROMIUM" ] && has_cjk_font; then
  echo "chromium: $("$CHROMIUM" --version 2>/dev/null || echo 'present') ($CHROMIUM), with a Chinese font"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: $CHROMIUM is missing and there is no apt-get; install Chromium by hand" >&2
  exit 1
fi

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO=(sudo -n)
  else
    echo "ensure-chromium: $CHROMIUM is missing; run as root (or: sudo apt-get install chromium)" >&2
    exit 1
  fi
fi

echo "ensure-chromium: installing Debian's chromium and a Chinese font"
# Wait for the dpkg lock instead of failing when another apt run holds it.
APT=("${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300)
"${APT[@]}" update -qq
"${APT[@]}" install -y -qq chromium fonts-noto-cjk

if [ ! -x "$CHROMIUM" ]; then
  echo "ensure-chromium: apt-get finished but $CHROMIUM is still missing" >&2
  exit 1
fi
echo "chromium: $("$CHROMIUM" --version 2>/dev/null || echo 'installed') ($CHROMIUM)"
