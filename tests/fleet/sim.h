/* SPDX-License-Identifier: MIT */
/* The fleet simulator's shared state: one virtual clock at a time (the
 * device whose call is running), a seeded PRNG, and the virtual epoch. */
#ifndef FLEET_SIM_H
#define FLEET_SIM_H

#include <stdbool.h>
#include <stdint.h>

/* Virtual milliseconds of the device whose call runs now. Every device
 * keeps its own clock; the event loop copies it in before a call and out
 * after, so the library's sleeps advance only that device. Time 0 is one
 * hour before the power cut (room for the warm scenario's first fetch). */
extern int64_t sim_clock_ms;
/* The device the transport and the secret hook serve now. */
extern uint32_t sim_device;

#define SIM_BOOT_MS INT64_C(3600000)
/* The virtual wall clock at time 0: 2026-01-01T00:00:00Z. */
#define SIM_WALL_BASE INT64_C(1767225600)

void sim_seed(uint64_t seed);
uint64_t sim_rand(void);
/* Uniform in [0, n). */
uint32_t sim_rand_below(uint32_t n);

#endif
