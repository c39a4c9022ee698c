/* lazycc demo: a costly, pure argument that the callee rarely needs.
 *
 * `describe` only looks at `checksum` for one record in 1000; with
 * call-by-value the checksum over the whole table is computed for every
 * record anyway. lazycc defers it behind a memoised thunk, and the
 * validator proves the rewrite before it reaches the object file.
 */
#include <stdio.h>
#include <stdlib.h>

#define N 4096

static unsigned table[N];

__attribute__((noinline)) static unsigned long checksum(const unsigned *t, int n, unsigned seed) {
    unsigned long h = seed;
    for (int i = 0; i < n; i++)
        h = h * 1099511628211ul ^ t[i];
    return h;
}

__attribute__((noinline)) static long describe(int id, unsigned long sum) {
    if (id % 1000 == 7)
        return (long)(sum % 1000003);
    return id & 3;
}

int main(int argc, char **argv) {
    int rounds = argc > 1 ? atoi(argv[1]) : 20000;
    for (int i = 0; i < N; i++)
        table[i] = (unsigned)(i * 2654435761u);
    long total = 0;
    for (int r = 0; r < rounds; r++)
        total += describe(r, checksum(table, N, (unsigned)r));
    printf("total = %ld\n", total);
    return 0;
}
