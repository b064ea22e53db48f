#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The capture task over port/lwip, linked into one relocatable object for
# Cortex-M4 (make cross): what it still needs from outside must be lwIP's
# API, the board's HAL and task hooks, mbedTLS and the C library. Anything
# else left undefined (an fwc function, a port function) is a missing piece.
#   check_lwip_link.sh OBJECT
set -u
obj=${1:?usage: check_lwip_link.sh OBJECT}
allowed='^(lwip_|sys_|tcpip_|netif_|dhcp_|lock_tcpip_core$|hal_|ethernetif_init$|board_|mbedtls_|__aeabi_|__errno$|errno$|mem(cpy|set|cmp|move|chr)$|str(len|cmp|ncmp|chr|rchr|str)$)'
echo "1..3"
undefined=$(arm-none-eabi-nm -u "$obj" | awk '{print $NF}' | sort -u)
stray=$(printf '%s\n' "$undefined" | grep -vE "$allowed" || true)
if [ -z "$stray" ]; then echo "ok 1 - only lwIP, the board, mbedTLS and libc left undefined"
else echo "not ok 1 - undefined and not lwIP/board/mbedTLS/libc:"; printf '# %s\n' $stray; fi
# The port really is lwIP's: its sockets and sys layer are what it calls.
if printf '%s\n' "$undefined" | grep -qx lwip_poll && printf '%s\n' "$undefined" | grep -qx sys_now
then echo "ok 2 - port/lwip calls lwip_poll and sys_now"; else echo "not ok 2 - lwip_poll or sys_now not used"; fi
if arm-none-eabi-nm "$obj" | awk '$2 == "T" {print $3}' | grep -qx capture_task &&
   arm-none-eabi-nm "$obj" | awk '$2 == "T" {print $3}' | grep -qx fwc_port_tcp_connect
then echo "ok 3 - the task and the port are in it"; else echo "not ok 3 - task or port missing"; fi
[ -z "$stray" ]
