/* SPDX-License-Identifier: MIT */
/* What the POSIX port offers a program beyond the contract in
 * include/fwc/port.h. Not part of the library: a program that links
 * another port has none of it. */
#ifndef FWC_PORT_POSIX_H
#define FWC_PORT_POSIX_H

#ifdef __cplusplus
extern "C" {
#endif

/* The run-time log threshold: fwc_port_log drops a line whose level is
 * above max_level (0 none, 1 error, 2 warning, 3 info, 4 debug).
 * CONFIG_FWC_LOG_LEVEL decides at build time which lines exist at all; this
 * chooses among them, as the fwc tool's -v does. Until it is called every
 * line the build has is written. Call it before any client is in use: it
 * is read without a lock. */
void fwc_port_posix_log_level(int max_level);

#ifdef __cplusplus
}
#endif

#endif
