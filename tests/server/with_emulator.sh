#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Start the FotoWeb emulator over HTTPS on a free loopback port, with a
# throwaway CA (made once under build/pki), run a command with FWC_URL,
# FWC_CA_FILE, FWC_CLIENT_ID and FWC_CLIENT_SECRET_FILE set for it (the
# emulator's demo client), stop the emulator, and exit with the command's
# status. Extra emulator options go before "--":
#   with_emulator.sh [emulator options] -- command [args]
# FWC_EMULATOR_BIND=<IPv4 address> listens there instead of loopback, and the
# URL names that address (a test in its own network namespace); the
# certificate then needs it too (FWC_PKI_EXTRA_SAN, FWC_PKI_DIR).
set -u
here=$(cd "$(dirname "$0")" && pwd)
emu_args=()
while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do emu_args+=("$1"); shift; done
[ "${1:-}" = "--" ] && shift
[ "$#" -gt 0 ] || { echo "usage: $0 [emulator options] -- command [args]"; exit 2; }

pki=${FWC_PKI_DIR:-$here/../../build/pki}
"$here/make_pki.sh" "$pki"
dir=$(mktemp -d)
"${PYTHON:-/usr/bin/python3}" "$here/fotoweb_emulator.py" --bind "${FWC_EMULATOR_BIND:-127.0.0.1}" --port-file "$dir/port" \
  --tls-cert "$pki/server.pem" --tls-key "$pki/server.key" "${emu_args[@]}" &
emu=$!
trap 'kill "$emu" 2>/dev/null; wait "$emu" 2>/dev/null; rm -rf "$dir"' EXIT

for _ in $(seq 100); do
  [ -s "$dir/port" ] && break
  kill -0 "$emu" 2>/dev/null || { echo "emulator failed to start"; exit 1; }
  sleep 0.1
done
[ -s "$dir/port" ] || { echo "emulator not ready after 10 s"; exit 1; }
# The emulator's demo credentials, the secret in a file as the fwc tool wants.
printf 's3cr+t/with=odd&chars\n' > "$dir/secret"
chmod 600 "$dir/secret"
FWC_URL="https://${FWC_EMULATOR_BIND:-localhost}:$(cat "$dir/port")" FWC_CA_FILE="$pki/ca.pem" \
  FWC_CLIENT_ID=demo-client FWC_CLIENT_SECRET_FILE="$dir/secret" "$@"
