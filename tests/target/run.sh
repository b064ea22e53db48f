#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# make target: the fwc firmware (tests/target/firmware.c) in QEMU's
# mps2-an386, on a TAP device in a private network namespace with the
# FotoWeb emulator and a DHCP server on the other side; nothing is routed
# out of the namespace (tests/lwip/netns.sh).
#
#   run.sh FIRMWARE.elf HOST_TOKEN_PROGRAM
#
# 1. The full run: DHCP, a token over TLS 1.2, an API request, a 1 MiB
#    upload whose SHA-256 the emulator confirms, then the figures.
# 2. A wrong CA: the firmware must end in the same named error as fwc on
#    the host (HOST_TOKEN_PROGRAM, examples/token) against the same server.
# 3. An unreachable server (a closed port): the same, for connecting.
# 4. The image has no allocator: mbedTLS's heap is its arena, and neither
#    fwc, the port, lwIP nor the C library pulled in malloc.
# TAP lines, the firmware's console as comments, and last the firmware's
# summary line: "target: token ok, request ok, upload ok, stack N B, ...".
#
# QEMU runs with -icount shift=0: one virtual nanosecond per instruction,
# which the firmware turns into instruction counts (Debian's QEMU ships no
# TCG plugins); FWC_ICOUNT_SHIFT=1 doubles every count, a check that they
# follow instructions, not wall time. Each boot is bounded by a generous
# timeout (FWC_TARGET_TIMEOUT, 180 s; a run takes seconds) so a hang fails
# instead of stalling; no run is held to a time budget.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
elf=${1:?usage: run.sh FIRMWARE.elf HOST_TOKEN_PROGRAM}
host_token=${2:?usage: run.sh FIRMWARE.elf HOST_TOKEN_PROGRAM}
case "$elf" in /*) ;; *) elf=$root/$elf ;; esac
case "$host_token" in /*) ;; *) host_token=$root/$host_token ;; esac

if [ -z "${FWC_TARGET_IN_NETNS:-}" ]; then
  for tool in qemu-system-arm dnsmasq openssl; do
    command -v "$tool" >/dev/null || { echo "Bail out! $tool is missing (make target installs it)"; exit 1; }
  done
  # Full-size frames: the firmware's lwIP has no trouble with them.
  FWC_TARGET_IN_NETNS=1 exec "$root/tests/lwip/netns.sh" --mtu 1500 --emulator --tcp-nodelay \
    -- "$0" "$elf" "$host_token"
fi

# ---- inside the namespace, with the emulator on 10.77.0.1 ---------------
tmp=$(mktemp -d)
dhcp=
cleanup() {
  [ -n "$dhcp" ] && kill "$dhcp" 2>/dev/null && wait "$dhcp" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
n=0
fails=0
tap() { # tap OK DESCRIPTION
  n=$((n + 1))
  if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fails=$((fails + 1)); fi
}

echo "1..4"
# The address the firmware asks for: dnsmasq as the namespace's DHCP
# server, on the TAP only, no DNS (port 0), leases in the temporary folder.
dnsmasq --keep-in-foreground --conf-file=/dev/null --port=0 --interface=fwctap0 \
  --bind-interfaces --dhcp-authoritative --dhcp-range=10.77.0.50,10.77.0.99,255.255.255.0,1h \
  --dhcp-leasefile="$tmp/leases" --pid-file="$tmp/dnsmasq.pid" --user=root --group=root \
  --log-facility="$tmp/dnsmasq.log" &
dhcp=$!

# qemu LOG URL CA: one boot of the firmware; its exit status.
qemu() {
  timeout --kill-after=10 "${FWC_TARGET_TIMEOUT:-180}" qemu-system-arm -M mps2-an386 \
    -display none -monitor none -serial none -nodefaults \
    -icount shift=${FWC_ICOUNT_SHIFT:-0},align=off,sleep=on \
    -semihosting-config "enable=on,target=native,arg=fwc,arg=url=$2,arg=ca=$3,arg=secret=$FWC_CLIENT_SECRET_FILE,arg=id=$FWC_CLIENT_ID" \
    -nic tap,ifname=fwctap0,script=no,downscript=no,model=lan9118,mac=52:54:00:77:00:02 \
    -kernel "$elf" >"$1" 2>&1
}
show() { sed 's/^/# /' "$1"; }
# The sentence fwc_strerror gave: "token: <it> (<code>)" on the target,
# "no token: <it> (HTTP ...)" from the host's examples/token.
target_error() { sed -n 's/^token: \(.*\) (-[0-9]*)$/\1/p' "$1" | head -n 1; }
host_error() { sed -n 's/^no token: \(.*\) (HTTP.*$/\1/p' "$1" | head -n 1; }

# 1. The real job.
qemu "$tmp/run.log" "$FWC_URL" "$FWC_CA_FILE"
rc=$?
show "$tmp/run.log"
summary=$(grep -E '^target: token ok, request ok, upload ok, stack [0-9]+ B, heap [0-9]+ B, ram [0-9]+ B, flash [0-9]+ B$' "$tmp/run.log")
[ "$rc" -eq 0 ] && [ -n "$summary" ] && grep -q "^upload: emulator's SHA-256 = device's" "$tmp/run.log"
tap $? "the firmware took an address, fetched a token, called the API and uploaded 1 MiB the emulator confirms (exit $rc)"
[ "$rc" -eq 0 ] || { echo "# DHCP server's log:"; sed 's/^/# /' "$tmp/dnsmasq.log" 2>/dev/null; }

# 2. A CA that did not sign the server's certificate.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$tmp/wrong.key" \
  -out "$tmp/wrong-ca.pem" -days 2 -subj "/CN=fwc wrong CA" 2>/dev/null
qemu "$tmp/wrongca.log" "$FWC_URL" "$tmp/wrong-ca.pem"
show "$tmp/wrongca.log"
FWC_CA_FILE="$tmp/wrong-ca.pem" "$host_token" >"$tmp/host-wrongca.log" 2>&1
want="server certificate rejected"
got_target=$(target_error "$tmp/wrongca.log")
got_host=$(host_error "$tmp/host-wrongca.log")
[ "$got_target" = "$want" ] && [ "$got_host" = "$want" ]
tap $? "a wrong CA ends in the same named error on the target and the host (target: ${got_target:-none}; host: ${got_host:-none})"

# 3. Nothing listens on port 9 of the emulator's address: refused.
unreachable="https://${FWC_URL#https://}"
unreachable="${unreachable%:*}:9"
qemu "$tmp/refused.log" "$unreachable" "$FWC_CA_FILE"
show "$tmp/refused.log"
FWC_URL="$unreachable" "$host_token" >"$tmp/host-refused.log" 2>&1
want="connection refused or unreachable"
got_target=$(target_error "$tmp/refused.log")
got_host=$(host_error "$tmp/host-refused.log")
[ "$got_target" = "$want" ] && [ "$got_host" = "$want" ]
tap $? "an unreachable server ends in the same named error on the target and the host (target: ${got_target:-none}; host: ${got_host:-none})"

# 4. No allocator linked (symbols of newlib's malloc family and its sbrk).
heap=$(arm-none-eabi-nm "$elf" | awk '$2 ~ /[TtWw]/ {print $3}' |
  grep -xE '(malloc|calloc|realloc|free|_malloc_r|_calloc_r|_realloc_r|_free_r|_sbrk|_sbrk_r)' | tr '\n' ' ')
arena=$(arm-none-eabi-nm "$elf" | awk '$3 == "mbedtls_memory_buffer_alloc_init"')
[ -z "$heap" ] && [ -n "$arena" ]
tap $? "no allocator in the image (${heap:-none found}), mbedTLS allocates from its arena"

if [ "$fails" -eq 0 ]; then
  echo "$summary"
  exit 0
fi
echo "target: FAILED ($fails of $n)"
exit 1
