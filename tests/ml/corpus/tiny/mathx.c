#include "tiny.h"

/* A pure, costly computation (the loop must progress: C11). */
static long costly(long n) {
    long s = 0;
    for (long i = 0; i < n; i++)
        s += i * i % 7;
    return s;
}

/* Uses `v` only when flag == 3: worth deferring when that is rare. */
__attribute__((noinline)) static long pick(long flag, long v) { return flag == 3 ? v : flag; }

/* Uses `v` unless flag is 0: deferring it is mostly overhead. */
__attribute__((noinline)) static long mostly(long flag, long v) { return flag != 0 ? v + 1 : 0; }

long tiny_pick(long flag, long n) { return pick(flag, costly(n)); }

long tiny_always(long n) { return mostly(n % 64, costly(n)); }

long tiny_mix(long a, long b) {
    long t = a * b + 7;
    if (t < 0)
        t = -t;
    return t % 1000;
}
