/* SPDX-License-Identifier: MIT */
/* make bench's launcher: run one command, note its wall time and its own
 * resource use.
 *
 *   bench_run RESULT_FILE COMMAND [ARGS...]
 *
 * Writes "wall_ns=N maxrss_kib=N utime_us=N stime_us=N status=N" to
 * RESULT_FILE and exits with the command's exit status (128 + signal when
 * it was killed, 127 when it could not be started).
 *
 * Why not time it from Python: on Linux a process's maximum RSS starts at
 * the high-water mark of the address space it was forked from, so anything
 * Python starts reports at least Python's own ~30 MB. Forked from this small
 * program, the command's figure is its own. The wall time is taken here
 * too, around fork and wait4, so Python's process start-up is not in it. */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE /* wait4 */
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long ns_between(const struct timespec *a, const struct timespec *b)
{
    return (long long)(b->tv_sec - a->tv_sec) * 1000000000LL + (long long)(b->tv_nsec - a->tv_nsec);
}

static long long us_of(const struct timeval *t)
{
    return (long long)t->tv_sec * 1000000LL + (long long)t->tv_usec;
}

int main(int argc, char **argv)
{
    struct timespec start, end;
    struct rusage ru;
    int status = 0, code;
    pid_t pid;
    FILE *out;

    if (argc < 3) {
        fprintf(stderr, "usage: bench_run RESULT_FILE COMMAND [ARGS...]\n");
        return 2;
    }
    memset(&ru, 0, sizeof(ru));
    clock_gettime(CLOCK_MONOTONIC, &start);
    pid = fork();
    if (pid == 0) {
        execvp(argv[2], argv + 2);
        perror(argv[2]);
        _exit(127);
    }
    if (pid < 0 || wait4(pid, &status, 0, &ru) != pid) {
        perror("bench_run");
        return 127;
    }
    clock_gettime(CLOCK_MONOTONIC, &end);
    code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    out = fopen(argv[1], "w");
    if (out == NULL) {
        perror(argv[1]);
        return 127;
    }
    fprintf(out, "wall_ns=%lld maxrss_kib=%ld utime_us=%lld stime_us=%lld status=%d\n",
            ns_between(&start, &end), ru.ru_maxrss, us_of(&ru.ru_utime), us_of(&ru.ru_stime),
            code);
    if (fclose(out) != 0)
        return 127;
    return code;
}
