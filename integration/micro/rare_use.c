/* A costly pure argument (a scan over a table) that the callee needs in 0.1% of calls.
 * Deferral should pay: the scan runs ~100x instead of 100000x. */
#include <stdio.h>
#include <stdlib.h>

#define N 4096
static int table[N];
long events;

static int checksum(const int *t, int n, int salt) {
  int s = salt;
  for (int i = 0; i < n; i++)
    s = s * 31 + (t[i] ^ salt);
  return s;
}

static long record(int kind, int detail, int sum) {
  events++;
  if (kind == 7)            /* rare: only then is the checksum needed */
    return (long)sum + detail;
  if (kind > 3)
    return detail * 2;
  return detail;
}

int main(int argc, char **argv) {
  int iters = argc > 1 ? atoi(argv[1]) : 200000;
  for (int i = 0; i < N; i++) table[i] = i * 7 + 1;
  long acc = 0;
  for (int i = 0; i < iters; i++) {
    int kind = (i % 1000 == 999) ? 7 : i % 7 == 5 ? 3 : i % 5;
    acc += record(kind, i, checksum(table, N, i));
  }
  printf("%ld %ld\n", acc, events);
  return 0;
}
