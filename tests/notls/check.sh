#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs the modem program (tests/notls/modem_main.c), then checks that the
# linked binary holds nothing of mbedTLS and no socket code of the port.
set -u
prog=${1:?usage: check.sh build/notls/modem}
out=$("$prog" 2>&1)
rc=$?
printf '%s\n' "$out" | grep -v '^1\.\.'
n=$(printf '%s\n' "$out" | grep -cE '^(not )?ok ')
bad=0
check() {
  n=$((n + 1))
  if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; bad=1; fi
}
syms=$(nm "$prog") || { echo "not ok $((n + 1)) - nm cannot read $prog"; exit 1; }
! printf '%s\n' "$syms" | grep -qiE ' [TtDdBbRr] (mbedtls_|psa_)'
check $? "no mbedTLS code or data in the binary"
! printf '%s\n' "$syms" | grep -qE ' [TtU] (fwc_port_tcp_|socket$|connect$)'
check $? "no fwc_port_tcp_* and no socket calls in the binary"
check "$rc" "the modem program exited 0"
echo "1..$n"
exit $(( rc != 0 || bad ))
