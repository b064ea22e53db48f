#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `make cross` for one CPU gives code for that CPU only:
#   check_cross_cpu.sh FOLDER ARCH FP_ARCH
# e.g. check_cross_cpu.sh build/cross/cortex-m33 v8-M.mainline FPv5/FP-D16
# FOLDER/rtos_task.elf and every object under FOLDER (fwc, the port, the
# task, mbedTLS's archives) must carry the ARM build attributes
# Tag_CPU_arch ARCH and Tag_FP_arch FP_ARCH (GCC writes Tag_CPU_name as
# the architecture, "8-M.MAIN" for a Cortex-M33, so the architecture is
# what is compared): one object left from another CPU (a build that did
# not react to a changed target) fails it. TAP.
set -u
dir=${1:?usage: check_cross_cpu.sh FOLDER ARCH FP_ARCH}
arch=${2:?usage}
fp=${3:?usage}
elf=$dir/rtos_task.elf
echo "1..3"
attr() { readelf -A "$1" 2>/dev/null | sed -n "s/^ *$2: *//p" | tr -d '"' | sort -u; }
n=0
fails=0
result() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fails=$((fails + 1)); fi; }

# FP_ARCH is the attribute's first word ("FPv5/FP-D16" of "FPv5/FP-D16 for ARMv8").
is_target() { [ "$(attr "$1" Tag_CPU_arch)" = "$arch" ] && [ "$(attr "$1" Tag_FP_arch | awk '{print $1}' | sort -u)" = "$fp" ]; }
is_target "$elf"
result $? "$elf: Tag_CPU_arch $arch, Tag_FP_arch $fp (found: $(attr "$elf" Tag_CPU_arch | tr '\n' ' ')/ $(attr "$elf" Tag_FP_arch | tr '\n' ' '))"

objs=$(find "$dir" -name '*.o' -type f | sort)
count=$(printf '%s\n' "$objs" | grep -c . || true)
bad=0
for o in $objs; do
  if ! is_target "$o"; then
    [ "$bad" -lt 10 ] && echo "# $o: $(attr "$o" Tag_CPU_arch | tr '\n' ' ')/ $(attr "$o" Tag_FP_arch | tr '\n' ' ')"
    bad=$((bad + 1))
  fi
done
[ "$count" -gt 20 ] && [ "$bad" = 0 ]
result $? "all $count objects under $dir are $arch ($bad others)"

# mbedTLS's archives were built for the same CPU, member by member.
bad=0
for a in "$dir"/mbedtls/lib/*.a; do
  [ -f "$a" ] || { bad=1; echo "# no archive in $dir/mbedtls/lib"; break; }
  archs=$(attr "$a" Tag_CPU_arch)
  [ "$archs" = "$arch" ] || { echo "# $a: $archs" | tr '\n' ' '; echo; bad=1; }
done
result $bad "mbedTLS's archives hold $arch code only"
exit $((fails > 0))
