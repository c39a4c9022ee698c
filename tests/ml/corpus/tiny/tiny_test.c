#include <stdio.h>
#include "tiny.h"

int main(void) {
    long total = 0;
    unsigned acc = 0;
    for (long i = 0; i < 300; i++) {
        total += tiny_pick(i % 50, i);
        total += tiny_always(i);
        total += tiny_mix(i, i + 3);
    }
    const char *words[] = {"alpha", "beta", "gamma", "delta"};
    for (int i = 0; i < 200; i++)
        acc += tiny_lookup(words[i % 4], i % 2) + tiny_hash(words[i % 4]);
    printf("%ld %u\n", total, acc);
    return total == 0;
}
