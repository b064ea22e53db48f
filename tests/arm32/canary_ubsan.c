/* SPDX-License-Identifier: MIT */
/* Overflows a signed int: UndefinedBehaviorSanitizer must stop it. */
#include <limits.h>

int main(int argc, char **argv)
{
    int x = INT_MAX - 1 + argc; /* argc is 1: INT_MAX */
    (void)argv;
    return x + argc > 0 ? 0 : 2;
}
