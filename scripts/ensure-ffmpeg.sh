#!/usr/bin/env bash
# Make sure Debian's `ffmpeg` and `ffprobe` are installed (the worker transcodes uploaded video with
# them, the API probes uploads with ffprobe, the video tests and the demo generate clips with them,
# the demo draws Chinese captions with fonts-wqy-zenhei).
# Idempotent: does nothing when they are already there. Installing needs root or passwordless sudo.
# Usage: bash scripts/ensure-ffmpeg.sh        (exit 0 = ffmpeg and ffprobe are there)
set -euo pipefail

has_ffmpeg() { command -v ffmpeg >/dev/null 2>&1 && command -v ffprobe >/dev/null 2>&1; }
has_font() { command -v fc-list >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi 'wqy-zenhei'; }

if has_ffmpeg && has_font; then
  echo "ffmpeg: $(ffmpeg -version 2>/dev/null | head -n 1) ($(command -v ffmpeg)), with fonts-wqy-zenhei"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-ffmpeg: ffmpeg/ffprobe are missing and there is no apt-get; install FFmpeg by hand" >&2
  exit 1
fi

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO=(sudo -n)
  else
    echo "ensure-ffmpeg: ffmpeg is missing; run as root (or: sudo apt-get install ffmpeg fonts-wqy-zenhei)" >&2
    exit 1
  fi
fi

echo "ensure-ffmpeg: installing Debian's ffmpeg and fonts-wqy-zenhei"
# Wait for the dpkg lock instead of failing when another apt run holds it.
APT=("${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300)
"${APT[@]}" update -qq
"${APT[@]}" install -y -qq ffmpeg fonts-wqy-zenhei

if ! has_ffmpeg; then
  echo "ensure-ffmpeg: apt-get finished but ffmpeg/ffprobe are still missing" >&2
  exit 1
fi
echo "ffmpeg: $(ffmpeg -version 2>/dev/null | head -n 1) ($(command -v ffmpeg))"
