/* SPDX-License-Identifier: MIT */
/* Logging for the POSIX port: one line to stderr, where systemd's journal
 * or the calling script picks it up, for the levels the program chose at
 * run time (fwc_port_posix.h). */
#include <stdio.h>

#include "fwc/port.h"
#include "fwc_port_posix.h"

/* Every line the build has, until the program says otherwise. */
static int log_threshold = 4;

void fwc_port_posix_log_level(int max_level)
{
    log_threshold = max_level;
}

void fwc_port_log(int level, const char *line)
{
    static const char *const names[] = {"", "error", "warning", "info", "debug"};
    const char *name = (level >= 1 && level <= 4) ? names[level] : "log";
    if (level > log_threshold)
        return;
    (void)fprintf(stderr, "fwc: %s: %s\n", name, line); /* nowhere to report a failed log */
}
