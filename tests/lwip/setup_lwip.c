/* SPDX-License-Identifier: MIT */
/* port/lwip's conformance run: lwIP's stack up on the namespace's TAP
 * device before the first case (tests/lwip/netns.sh). */
#include "lwip_host.h"

int port_setup(void);

int port_setup(void)
{
    return lwip_host_up();
}
