#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Run a command in a private network namespace made for it: a TAP device
# fwctap0 whose kernel side is 10.77.0.1/24, for lwIP's tapif netif (the
# command's side, PRECONFIGURED_TAPIF=fwctap0, lwIP address 10.77.0.2).
# Nothing is routed anywhere: the namespace has only lo and the TAP, and
# disappears with the command.
#   netns.sh [--mtu N] [--dns] [--emulator [emulator options]] -- command [args]
# --mtu sets the TAP's MTU (576 unless given; see below): a stack other than
# Debian's liblwip (the target firmware in QEMU) takes full-size frames.
# --dns starts tests/port/dns_peer.py on 10.77.0.1 port 53 and exports
# FWC_PORT_DNS=10.77.0.1 for the board to use as its name server.
# --emulator starts the FotoWeb emulator inside the namespace on 10.77.0.1
# (tests/server/with_emulator.sh, with a certificate naming that address).
# The namespace or the TAP device being refused is a failure, never a skip:
# the test exists to run the real stack.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
if [ -z "${FWC_IN_NETNS:-}" ]; then
  if ! command -v unshare >/dev/null || ! command -v ip >/dev/null; then
    echo "Bail out! netns.sh needs unshare (util-linux) and ip (iproute2)"
    exit 1
  fi
  FWC_IN_NETNS=1 unshare --net -- "$0" "$@"
  rc=$?
  # unshare itself failing (no CAP_SYS_ADMIN, namespaces disabled) exits 1
  # before the script runs; the marker below tells the two apart.
  [ "$rc" -eq 0 ] || echo "netns.sh: exit status $rc (see above; a refused namespace is a failure)"
  exit "$rc"
fi

fail() { echo "Bail out! $*"; exit 1; }
mtu=576
if [ "${1:-}" = "--mtu" ]; then
  mtu=${2:?--mtu needs a value}
  shift 2
fi
ip link set lo up || fail "cannot bring lo up in the new namespace"
ip tuntap add dev fwctap0 mode tap || fail "the kernel refused a TAP device (/dev/net/tun, CAP_NET_ADMIN)"
ip addr add 10.77.0.1/24 dev fwctap0 || fail "cannot address fwctap0"
# MTU 576: with Debian's liblwip (2.1.3+dfsg1-2) a frame longer than about
# 600 bytes overflows the 616-byte pool block the tapif thread reads it into
# (ASan: heap-buffer-overflow in pbuf_take, on the first TLS flight); a bug
# of that build, not of fwc. Frames of at most 590 bytes fit, and the
# kernel then announces an MSS of 536.
ip link set fwctap0 mtu "$mtu" || fail "cannot set the MTU of fwctap0"
ip link set fwctap0 up || fail "cannot bring fwctap0 up"
export PRECONFIGURED_TAPIF=fwctap0 FWC_LWIP_ADDR=10.77.0.2 FWC_LWIP_PEER=10.77.0.1
export FWC_PORT_PEER=10.77.0.1 # tests/port/peer_kernel.c

dns_pid=
if [ "${1:-}" = "--dns" ]; then
  shift
  coproc DNS { exec "${PYTHON:-/usr/bin/python3}" "$here/../port/dns_peer.py" 10.77.0.1 10.77.0.1; }
  dns_pid=$DNS_PID
  # The server outlives the command in the namespace unless it is stopped.
  trap 'kill "$dns_pid" 2>/dev/null; wait "$dns_pid" 2>/dev/null' EXIT
  if ! read -r -t 10 line <&"${DNS[0]}" || [ "$line" != ready ]; then
    fail "the name server did not start"
  fi
  export FWC_PORT_DNS=10.77.0.1
fi

if [ "${1:-}" = "--emulator" ]; then
  shift
  # The URL names the address, so the certificate must carry it as an
  # iPAddress entry (fwc matches that itself, on mbedTLS 2.28 too).
  export FWC_EMULATOR_BIND=10.77.0.1 FWC_PKI_EXTRA_SAN=",IP:10.77.0.1"
  export FWC_PKI_DIR="$root/build/pki-netns"
  run=("$root/tests/server/with_emulator.sh" --control)
else
  run=()
  [ "${1:-}" = "--" ] && shift
fi
if [ -z "$dns_pid" ]; then
  exec "${run[@]}" "$@"
fi
"${run[@]}" "$@"
exit $?
