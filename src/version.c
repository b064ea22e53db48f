/* SPDX-License-Identifier: MIT */
/* The library's version, as compiled into it (fwc/version.h). */
#include "fwc/version.h"

const char *fwc_version(void)
{
    return FWC_VERSION;
}

long fwc_version_number(void)
{
    return FWC_VERSION_NUMBER;
}
