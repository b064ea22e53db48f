/* SPDX-License-Identifier: MIT */
/* Locks for the POSIX port: a pthread mutex in the caller's storage. */
#include <pthread.h>

#include "fwc/port.h"

typedef char fwc_port_lock_holds_a_mutex[sizeof(pthread_mutex_t) <= CONFIG_FWC_PORT_LOCK_SIZE
                                             ? 1
                                             : -1];

static pthread_mutex_t *mutex_of(struct fwc_port_lock *lock)
{
    return (pthread_mutex_t *)(void *)lock->storage.bytes;
}

enum fwc_err fwc_port_lock_init(struct fwc_port_lock *lock)
{
    return pthread_mutex_init(mutex_of(lock), NULL) == 0 ? FWC_OK : FWC_ERR_TRANSPORT;
}

void fwc_port_lock_acquire(struct fwc_port_lock *lock)
{
    (void)pthread_mutex_lock(mutex_of(lock));
}

void fwc_port_lock_release(struct fwc_port_lock *lock)
{
    (void)pthread_mutex_unlock(mutex_of(lock));
}

void fwc_port_lock_free(struct fwc_port_lock *lock)
{
    (void)pthread_mutex_destroy(mutex_of(lock));
}
