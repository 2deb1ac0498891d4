#!/usr/bin/env bash
# Makes sure Debian's chromium is there for the browser tests (test/browser), which drive it with
# playwright-core and never download a browser of their own. CI runs as root on a fresh machine, so
# we install it there; anywhere else we only say why the browser tests will be skipped.
set -u

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "ensure-chromium: $CHROMIUM is missing and we are not root; browser tests will be skipped." >&2
  echo "ensure-chromium: install it with: sudo apt-get install -y chromium" >&2
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: $CHROMIUM is missing and apt-get is not available; browser tests will be skipped." >&2
  exit 0
fi

echo "ensure-chromium: installing chromium with apt-get..." >&2
export DEBIAN_FRONTEND=noninteractive
if apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends chromium >/dev/null; then
  echo "ensure-chromium: installed $CHROMIUM" >&2
else
  echo "ensure-chromium: apt-get could not install chromium; browser tests will be skipped." >&2
fi
exit 0
