/* SPDX-License-Identifier: MIT */
/* port/lwip: entropy, wall time and log come from the board (see
 * fwc_port_lwip.h); lwIP has none of them. */
#include "fwc/port.h"
#include "fwc_port_lwip.h"

enum fwc_err fwc_port_entropy(uint8_t *buf, size_t len)
{
    if (buf == NULL && len > 0)
        return FWC_ERR_INVALID_ARG;
    /* Anything but FWC_OK from the board is "no entropy": never pass on a
     * partial success. */
    return fwc_lwip_board_entropy(buf, len) == FWC_OK ? FWC_OK : FWC_ERR_TRANSPORT;
}

bool fwc_port_wall_time(int64_t *out_unix_seconds)
{
    int64_t t = 0;
    /* Before 2024 the RTC has simply not been set yet. */
    if (!fwc_lwip_board_wall_time(&t) || t < (int64_t)1704067200)
        return false;
    *out_unix_seconds = t;
    return true;
}

void fwc_port_log(int level, const char *line)
{
    fwc_lwip_board_log(level, line);
}
