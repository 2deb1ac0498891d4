#!/usr/bin/env bash
# Makes sure Debian's chromium is there for the browser tests (test/browser), which drive it with
# playwright-core and never download a browser of their own. npm runs this before `npm test`.
# CI runs as root on a fresh machine: install it there, and fail loudly if that does not work
# (silently skipped browser tests would read as passing). Anywhere else, say why they are skipped.
set -u

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "ensure-chromium: $CHROMIUM is missing and this is not root: the browser tests will be skipped." >&2
  echo "ensure-chromium: to run them: sudo apt-get install -y chromium" >&2
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: $CHROMIUM is missing and there is no apt-get: the browser tests will be skipped." >&2
  exit 0
fi

echo "ensure-chromium: installing chromium (apt-get)" >&2
export DEBIAN_FRONTEND=noninteractive
if apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends chromium >/dev/null; then
  echo "ensure-chromium: installed $CHROMIUM" >&2
  exit 0
fi
echo "ensure-chromium: apt-get could not install chromium, so the browser tests cannot run." >&2
exit 1
