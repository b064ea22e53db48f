/* SPDX-License-Identifier: MIT */
/* Writes one byte past a stack array: AddressSanitizer must stop it. */
#include <string.h>

int main(int argc, char **argv)
{
    char buf[8];
    (void)argv;
    memset(buf, 'x', sizeof(buf) + (size_t)argc); /* argc is 1: 9 bytes */
    return buf[0] == 'x' ? 0 : 2;
}
