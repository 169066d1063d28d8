#!/usr/bin/env bash
# Make sure Debian's `ffmpeg` and `ffprobe` are installed (the worker transcodes uploaded video with
# them, the API probes uploads with ffprobe, the video tests and the demo generate clips with them,
# the demo draws Chinese captions with fonts-wqy-zenhei).
# Idempotent: does nothing when they are already there. Installing needs root or passwordless sudo.
# Usage: bash scripts/ensure-ffmpeg.sh        (exit 0 = ffmpeg and ffprobe are there)
set -euo pipefail
# shellcheck source=lib/apt-install.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/apt-install.sh"

has_ffmpeg() { command -v ffmpeg >/dev/null 2>&1 && command -v ffprobe >/dev/null 2>&1; }
has_font() { command -v fc-list >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi 'wqy-zenhei'; }

if has_ffmpeg && has_font; then
  echo "ffmpeg: $(ffmpeg -version 2>/dev/null | head -n 1) ($(command -v ffmpeg)), with fonts-wqy-zenhei"
  exit 0
fi

apt_install ensure-ffmpeg "ffmpeg/ffprobe" ffmpeg fonts-wqy-zenhei

if ! has_ffmpeg; then
  echo "ensure-ffmpeg: apt-get finished but ffmpeg/ffprobe are still missing" >&2
  exit 1
fi
echo "ffmpeg: $(ffmpeg -version 2>/dev/null | head -n 1) ($(command -v ffmpeg))"
