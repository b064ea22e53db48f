#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The demo: the fwc tool against the emulator that with_emulator.sh started
# (FWC_URL, FWC_CA_FILE, FWC_CLIENT_ID, FWC_CLIENT_SECRET_FILE are set).
# It gets a token, reads the API entry point, and uploads a generated file.
set -euo pipefail
fwc=${FWC_BIN:-build/fwc}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== fwc token --json   (the token itself is shown only by its first 4 characters)"
"$fwc" token --json | "${PYTHON:-/usr/bin/python3}" -c '
import json, sys
d = json.load(sys.stdin)
print("token %s... (%d characters), type %s, expires in %d s"
      % (d["access_token"][:4], len(d["access_token"]), d["token_type"], d["expires_in"]))'

echo "== fwc get /fotoweb/me/"
"$fwc" get /fotoweb/me/ --accept application/json
echo

echo "== fwc upload   (a generated 3 MiB file, three 1 MiB chunks)"
head -c $((3 * 1024 * 1024)) /dev/urandom > "$work/demo.jpg"
url=$("$fwc" upload "$work/demo.jpg" --to /fotoweb/archives/5000-Uploads/ --folder demo \
  --field 5="uploaded by the fwc demo")
echo "new asset: $url"
