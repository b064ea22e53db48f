/* Logging for the POSIX port: one line to stderr, where systemd's journal
 * or the calling script picks it up. */
#include <stdio.h>

#include "fwc/port.h"

void fwc_port_log(int level, const char *line)
{
    static const char *const names[] = {"", "error", "warning", "info", "debug"};
    const char *name = (level >= 1 && level <= 4) ? names[level] : "log";
    (void)fprintf(stderr, "fwc: %s: %s\n", name, line); /* nowhere to report a failed log */
}
