/* SPDX-License-Identifier: MIT */
/* make bench: the ceiling mbedTLS puts on fwc's upload on this host. TLS
 * with the emulator runs AES-256-GCM; this encrypts MiB mebibytes (default
 * 256) in records of RECORD bytes (default 16384) with mbedtls_gcm on one
 * core, each with a TLS record's 13 bytes of additional data, and prints
 * "mib_per_s=N cpu_ms_per_mib=M mbedtls=VERSION". Both from the process's
 * CPU time, not the wall clock: make bench compares it with the CPU time of
 * the fwc process, and another job on the machine must not count.
 *
 *   bench_gcm [MIB [RECORD]] */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <mbedtls/gcm.h>
#include <mbedtls/version.h>

static unsigned char in[16384], out[16384];

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    long mib = argc > 1 ? strtol(argv[1], NULL, 10) : 256;
    long record = argc > 2 ? strtol(argv[2], NULL, 10) : (long)sizeof(in);
    unsigned char key[32] = {1}, iv[12] = {2}, aad[13] = {3}, tag[16];
    mbedtls_gcm_context gcm;
    long long done, total;
    double start, secs;

    if (mib <= 0 || mib > 65536 || record <= 0 || record > (long)sizeof(in)) {
        fprintf(stderr, "usage: bench_gcm [MIB [RECORD <= %u]]\n", (unsigned)sizeof(in));
        return 2;
    }
    total = (long long)mib << 20;
    mbedtls_gcm_init(&gcm);
    if (mbedtls_gcm_setkey(&gcm, MBEDTLS_CIPHER_ID_AES, key, 256) != 0)
        return 1;
    start = now_s();
    for (done = 0; done < total; done += record) {
        if (mbedtls_gcm_crypt_and_tag(&gcm, MBEDTLS_GCM_ENCRYPT, (size_t)record, iv, sizeof(iv),
                                      aad, sizeof(aad), in, out, sizeof(tag), tag) != 0)
            return 1;
        iv[11]++;
    }
    secs = now_s() - start;
    mbedtls_gcm_free(&gcm);
    printf("mib_per_s=%.1f cpu_ms_per_mib=%.3f mbedtls=%s\n", (double)mib / secs,
           secs * 1000 / (double)mib, MBEDTLS_VERSION_STRING);
    return 0;
}
