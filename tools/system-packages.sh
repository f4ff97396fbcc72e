#!/bin/sh
# WeasyPrint, which makes the briefings' PDFs, needs the Pango text library, and the PDF layout is
# measured with Liberation Sans (Arial's metrics). Self-hosted publishing builds every push in a
# bubblewrap sandbox (publishing/publish_sandbox.py). Install what is missing with apt-get;
# elsewhere say what to install. Run by the Makefile and publishing/install.sh (the browser tests'
# tools: tests/browser/install-tools.sh).
set -e
need=""
libraries=$( (ldconfig -p 2>/dev/null || /sbin/ldconfig -p 2>/dev/null) || true)
echo "$libraries" | grep -q 'libpango-1.0.so.0' || need="$need libpango-1.0-0"
echo "$libraries" | grep -q 'libpangoft2-1.0.so.0' || need="$need libpangoft2-1.0-0"
# HarfBuzz's subsetter: without it WeasyPrint falls back to fontTools, whose font subsets differ from
# run to run, so the same briefing would not give the same PDF bytes.
echo "$libraries" | grep -q 'libharfbuzz-subset.so.0' || need="$need libharfbuzz-subset0"
(fc-list 2>/dev/null | grep -q 'Liberation Sans') || need="$need fonts-liberation"
command -v bwrap >/dev/null 2>&1 || [ -x /usr/bin/bwrap ] || need="$need bubblewrap"
[ -z "$need" ] && exit 0

if command -v apt-get >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then as_root=""; elif command -v sudo >/dev/null 2>&1; then as_root="sudo"; fi
  if [ "$(id -u)" = 0 ] || [ -n "$as_root" ]; then
    echo "Installing the system packages the PDFs and the publishing sandbox need:$need"
    $as_root apt-get update -q
    DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -q --no-install-recommends $need
    exit 0
  fi
fi
echo "The briefings' PDFs, the publishing sandbox and their tests need these system packages:$need." >&2
echo "Install them with your system's package manager, then run make again." >&2
exit 1
