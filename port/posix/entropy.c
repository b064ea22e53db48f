/* SPDX-License-Identifier: MIT */
/* Entropy for the POSIX port: getrandom(2) where the C library has it,
 * /dev/urandom otherwise. Never a fallback to anything weaker. */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#if defined(__linux__)
#include <sys/random.h>
#endif

#include "fwc/port.h"

static enum fwc_err from_urandom(uint8_t *buf, size_t len)
{
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    size_t got = 0;
    if (fd < 0)
        return FWC_ERR_TRANSPORT;
    while (got < len) {
        ssize_t n = read(fd, buf + got, len - got);
        if (n <= 0 && !(n < 0 && errno == EINTR))
            break;
        if (n > 0)
            got += (size_t)n;
    }
    close(fd);
    return got == len ? FWC_OK : FWC_ERR_TRANSPORT;
}

enum fwc_err fwc_port_entropy(uint8_t *buf, size_t len)
{
#if defined(__linux__)
    size_t got = 0;
    while (got < len) {
        ssize_t n = getrandom(buf + got, len - got, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return from_urandom(buf, len);
        got += (size_t)n;
    }
    return FWC_OK;
#else
    return from_urandom(buf, len);
#endif
}
