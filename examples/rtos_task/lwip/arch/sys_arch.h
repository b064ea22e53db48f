/* SPDX-License-Identifier: MIT */
/* lwIP's OS types for the capture device: FreeRTOS handles, opaque here.
 * The board's lwIP build links a sys_arch.c over FreeRTOS that implements
 * them (semaphores, mutexes, mailboxes, threads); fwc sees only these
 * declarations, through port/lwip's use of sys_mutex_* and sys_now. */
#ifndef RTOS_TASK_ARCH_SYS_ARCH_H
#define RTOS_TASK_ARCH_SYS_ARCH_H

typedef void *sys_sem_t;
typedef void *sys_mutex_t;
typedef void *sys_mbox_t;
typedef void *sys_thread_t;
typedef int sys_prot_t;

#define SYS_MBOX_NULL ((sys_mbox_t)0)
#define SYS_SEM_NULL ((sys_sem_t)0)
#define sys_sem_valid(s) (*(s) != 0)
#define sys_sem_set_invalid(s) (*(s) = 0)
#define sys_mutex_valid(m) (*(m) != 0)
#define sys_mutex_set_invalid(m) (*(m) = 0)
#define sys_mbox_valid(m) (*(m) != 0)
#define sys_mbox_set_invalid(m) (*(m) = 0)

#endif
