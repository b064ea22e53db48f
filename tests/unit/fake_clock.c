#include "fake_clock.h"

#include "fwc/port.h"

/* Start near the wrap so every test also crosses 2^32. */
uint32_t fake_now_ms = 0xFFFFF000u;

void fake_clock_advance(uint32_t ms)
{
    fake_now_ms += ms;
}

uint32_t fwc_port_now_ms(void)
{
    return fake_now_ms;
}
