#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A throwaway CA and a server certificate for localhost / 127.0.0.1 / ::1,
# made with the openssl CLI into DIR (ca.pem, server.pem, server.key).
# FWC_PKI_EXTRA_SAN adds names (",IP:10.77.0.1") for a test's own network.
# Nothing here is ever committed; DIR lives under build/ or a temp folder.
set -euo pipefail
dir=${1:?usage: make_pki.sh DIR}
mkdir -p "$dir"
cd "$dir"
san="DNS:localhost,IP:127.0.0.1,IP:::1${FWC_PKI_EXTRA_SAN:-}"
# Made once per DIR, and again when the names asked for change.
[ -s server.pem ] && [ -s ca.pem ] && [ "$(cat server.san 2>/dev/null)" = "$san" ] && exit 0
ec=(-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes)
openssl req -x509 "${ec[@]}" -keyout ca.key -out ca.pem -days 30 \
  -subj "/CN=fwc throwaway test CA" 2>/dev/null
openssl req "${ec[@]}" -keyout server.key -out server.csr -subj "/CN=localhost" 2>/dev/null
printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' "$san" > server.ext
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 \
  -extfile server.ext -out server.pem 2>/dev/null
rm -f ca.key server.csr server.ext ca.srl
chmod 600 server.key
echo "$san" > server.san
