/* Two deferred arguments of one call plus a caller-side use after the call. */
#include <stdio.h>
#include <stdlib.h>

#define N 2048
static unsigned table[N];

static unsigned hash(const unsigned *t, int n, unsigned seed) {
  unsigned h = seed;
  for (int i = 0; i < n; i++)
    h = (h ^ t[i]) * 16777619u;
  return h;
}

static unsigned pick(int mode, unsigned a, unsigned b) {
  switch (mode) {
  case 0: return a;
  case 1: return b;
  default: return (unsigned)mode;
  }
}

int main(int argc, char **argv) {
  int iters = argc > 1 ? atoi(argv[1]) : 100000;
  for (int i = 0; i < N; i++) table[i] = (unsigned)i * 2654435761u;
  unsigned acc = 0;
  for (int i = 0; i < iters; i++) {
    int mode = (i % 997 == 0) ? 0 : (i % 991 == 0) ? 1 : 2 + (i & 3);
    acc += pick(mode, hash(table, N, (unsigned)i), hash(table, N / 2, (unsigned)i * 3u));
  }
  printf("%u\n", acc);
  return 0;
}
