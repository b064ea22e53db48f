#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Checks the Cortex-M4 build of the capture task (make cross):
#   check_elf.sh ELF OBJECT...
# - the ELF is a 32-bit ARM executable in Thumb code, hard-float ABI;
# - the whole program is there: the task, fwc's token and upload paths, and
#   mbedTLS's handshake, each linked in rather than left undefined;
# - no object built from src/ or port/ calls an allocator (the host check,
#   tests/check_no_heap.sh, reads the host objects; these are the target's),
#   and none has static RAM (.data or .bss).
# TAP output, one line per check.
set -u
elf=${1:?usage: check_elf.sh ELF OBJECT...}
shift
nm=arm-none-eabi-nm
n=0
fails=0
check() { # check DESCRIPTION COMMAND...
  n=$((n + 1))
  if "${@:2}" >/dev/null 2>&1; then echo "ok $n - $1"; else echo "not ok $n - $1"; fails=$((fails + 1)); fi
}
has_symbol() { $nm "$elf" | awk -v s="$1" '$3 == s && $2 ~ /[TtDdBbRr]/ {found=1} END {exit !found}'; }
heap_free() {
  local o hits
  for o in "$@"; do
    case "$o" in build/cross/*/src/* | build/cross/*/port/*) ;; *) continue ;; esac
    hits=$($nm -u "$o" | awk '{print $NF}' |
      grep -xE '(malloc|calloc|realloc|free|_malloc_r|_calloc_r|_realloc_r|_free_r|strdup|strndup)')
    [ -z "$hits" ] || { echo "$o: $hits" >&2; return 1; }
  done
}
no_static_ram() {
  local o
  for o in "$@"; do
    case "$o" in build/cross/*/src/* | build/cross/*/port/*) ;; *) continue ;; esac
    arm-none-eabi-size "$o" | awk 'NR == 2 && $2 + $3 != 0 {exit 1}' ||
      { echo "$o has .data or .bss" >&2; return 1; }
  done
}
echo "1..9"
check "ELF is 32-bit ARM" sh -c "readelf -h '$elf' | grep -q 'Machine:.*ARM' && readelf -h '$elf' | grep -q 'Class:.*ELF32'"
check "hard-float EABI" sh -c "readelf -h '$elf' | grep -q 'hard-float ABI'"
thumb_entry() { local e; e=$(readelf -h "$elf" | sed -n 's/.*Entry point address: *//p'); [ $((e % 2)) = 1 ]; }
check "entry point is Thumb code" thumb_entry
check "the task is linked" has_symbol capture_task
check "fwc's token path is linked" has_symbol fwci_token_response_read_in_place
check "fwc's upload path is linked" has_symbol fwc_upload
check "mbedTLS's handshake is linked" has_symbol mbedtls_ssl_handshake
check "no fwc object calls an allocator" heap_free "$@"
check "no fwc object has .data or .bss (all state is the application's)" no_static_ram "$@"
echo "# $(arm-none-eabi-size "$elf" | tail -n 1 | awk '{print "text " $1 ", data " $2 ", bss " $3}')"
exit $((fails > 0))
