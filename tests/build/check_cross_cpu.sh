#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `make cross` for one CPU gives code for that CPU only:
#   check_cross_cpu.sh FOLDER CPU_NAME ARCH
# e.g. check_cross_cpu.sh build/cross/cortex-m33 Cortex-M33 v8-M.mainline
# FOLDER/rtos_task.elf and every object under FOLDER (fwc, the port, the
# task, mbedTLS's archives) must carry the ARM build attributes
# Tag_CPU_name CPU_NAME and Tag_CPU_arch ARCH: one object left from another
# CPU (a build that did not react to a changed target) fails it. TAP.
set -u
dir=${1:?usage: check_cross_cpu.sh FOLDER CPU_NAME ARCH}
cpu=${2:?usage}
arch=${3:?usage}
elf=$dir/rtos_task.elf
echo "1..3"
attr() { readelf -A "$1" 2>/dev/null | sed -n "s/^ *$2: *//p" | tr -d '"' | sort -u; }
n=0
fails=0
result() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fails=$((fails + 1)); fi; }

[ "$(attr "$elf" Tag_CPU_name)" = "$cpu" ] && [ "$(attr "$elf" Tag_CPU_arch)" = "$arch" ]
result $? "$elf: Tag_CPU_name $cpu, Tag_CPU_arch $arch ($(attr "$elf" Tag_CPU_name | tr '\n' ' ')/$(attr "$elf" Tag_CPU_arch | tr '\n' ' '))"

objs=$(find "$dir" -name '*.o' -type f | sort)
count=$(printf '%s\n' "$objs" | grep -c . || true)
bad=0
for o in $objs; do
  if [ "$(attr "$o" Tag_CPU_name)" != "$cpu" ] || [ "$(attr "$o" Tag_CPU_arch)" != "$arch" ]; then
    echo "# $o: $(attr "$o" Tag_CPU_name | tr '\n' ' ')$(attr "$o" Tag_CPU_arch | tr '\n' ' ')"
    bad=1
  fi
done
[ "$count" -gt 20 ] && [ "$bad" = 0 ]
result $? "all $count objects under $dir are $cpu ($arch)"

# mbedTLS's archives were built for the same CPU, member by member.
bad=0
for a in "$dir"/mbedtls/lib/*.a; do
  [ -f "$a" ] || { bad=1; echo "# no archive in $dir/mbedtls/lib"; break; }
  names=$(readelf -A "$a" 2>/dev/null | sed -n 's/^ *Tag_CPU_name: *//p' | tr -d '"' | sort -u)
  [ "$names" = "$cpu" ] || { echo "# $a: $names"; bad=1; }
done
result $bad "mbedTLS's archives are $cpu only"
exit $((fails > 0))
