#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs the 32-bit ARM unit tests under qemu-arm, one TAP line per program:
#   check.sh LIBDIR CANARY... -- TEST...
# Each program is first checked to really be 32-bit ARM code. The canaries
# must be stopped by their sanitizer (a sanitizer that silently stopped
# working under qemu would otherwise pass everything). LeakSanitizer cannot
# run under qemu-user (it needs ptrace), so leaks are checked by the amd64
# ASan runs only; ASan's other checks and UBSan run here.
set -u
libdir=$1; shift
canaries=()
while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do canaries+=("$1"); shift; done
shift
tests=("$@")
export QEMU_LD_PREFIX=/usr/arm-linux-gnueabihf
export LD_LIBRARY_PATH=$libdir
export ASAN_OPTIONS=detect_leaks=0
cpu=cortex-a15

is_arm32() {
  readelf -h "$1" 2>/dev/null | grep -q 'Class:.*ELF32' &&
    readelf -h "$1" | grep -q 'Machine:.*ARM$'
}

echo "1..$(( ${#canaries[@]} + ${#tests[@]} ))"
echo "# architecture: 32-bit ARM (armhf, EABI5 hard-float), run by $(qemu-arm --version | head -n 1) as $cpu on a $(uname -m) kernel"
echo "# sanitizers: AddressSanitizer (leak detection off: LeakSanitizer needs ptrace, which qemu-user lacks) and UndefinedBehaviorSanitizer"
n=0
fails=0
for prog in "${canaries[@]}"; do
  n=$((n + 1))
  out=$(qemu-arm -cpu "$cpu" "$prog" 2>&1)
  rc=$?
  if is_arm32 "$prog" && [ "$rc" -ne 0 ] && printf '%s' "$out" | grep -qE 'AddressSanitizer|runtime error'; then
    echo "ok $n - $prog: stopped by its sanitizer under qemu-arm"
  else
    echo "not ok $n - $prog: exit $rc, no sanitizer report: the sanitizers do not work here"
    printf '%s\n' "$out" | sed 's/^/# /' | head -n 20
    fails=$((fails + 1))
  fi
done
for prog in "${tests[@]}"; do
  n=$((n + 1))
  if ! is_arm32 "$prog"; then
    echo "not ok $n - $prog is not a 32-bit ARM program"
    fails=$((fails + 1))
    continue
  fi
  out=$(qemu-arm -cpu "$cpu" "$prog" 2>&1)
  rc=$?
  if [ "$rc" = 0 ]; then
    echo "ok $n - $prog (armhf): $(printf '%s\n' "$out" | grep -c '^\[       OK \]') cases"
  else
    echo "not ok $n - $prog (armhf): exit $rc"
    printf '%s\n' "$out" | grep -vE '^\[ +(RUN|OK) +\]' | sed 's/^/# /' | head -n 40
    fails=$((fails + 1))
  fi
done
exit $((fails > 0))
