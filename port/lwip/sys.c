/* SPDX-License-Identifier: MIT */
/* port/lwip: time and locks from lwIP's sys layer (sys_arch). */
#define _POSIX_C_SOURCE 200809L /* lwIP's unix port wants SSIZE_MAX */
#include "lwip/opt.h"
#include "lwip/sys.h"

#include "fwc/port.h"

#if NO_SYS
#error "port/lwip needs lwIP with an OS (NO_SYS 0): sockets, sys_msleep, sys_mutex"
#endif

/* sys_now() is lwIP's millisecond clock: monotonic, wrapping at 2^32,
 * which is exactly what port.h asks (fwc only subtracts readings). */
uint32_t fwc_port_now_ms(void)
{
    return (uint32_t)sys_now();
}

void fwc_port_sleep_ms(uint32_t ms)
{
    /* sys_msleep(0) may not yield at all; fwc asks for 0 only when a
     * server said Retry-After: 0, where not waiting is right. */
    sys_msleep((u32_t)ms);
}

#if CONFIG_FWC_LOCKS
#if !LWIP_COMPAT_MUTEX
typedef char fwc_port_lock_holds_a_sys_mutex[sizeof(sys_mutex_t) <= CONFIG_FWC_PORT_LOCK_SIZE
                                                 ? 1
                                                 : -1];

static sys_mutex_t *mutex_of(struct fwc_port_lock *lock)
{
    return (sys_mutex_t *)(void *)lock->storage.bytes;
}

enum fwc_err fwc_port_lock_init(struct fwc_port_lock *lock)
{
    return sys_mutex_new(mutex_of(lock)) == ERR_OK ? FWC_OK : FWC_ERR_TRANSPORT;
}

void fwc_port_lock_acquire(struct fwc_port_lock *lock)
{
    sys_mutex_lock(mutex_of(lock));
}

void fwc_port_lock_release(struct fwc_port_lock *lock)
{
    sys_mutex_unlock(mutex_of(lock));
}

void fwc_port_lock_free(struct fwc_port_lock *lock)
{
    sys_mutex_free(mutex_of(lock));
}
#else
#error "port/lwip's locks need sys_mutex (LWIP_COMPAT_MUTEX 0)"
#endif
#endif
