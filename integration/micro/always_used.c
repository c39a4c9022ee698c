/* The costly argument is used on every path: nothing to gain; every policy must decline. */
#include <stdio.h>
#include <stdlib.h>

#define N 1024
static int table[N];

static int checksum(const int *t, int n, int salt) {
  int s = salt;
  for (int i = 0; i < n; i++)
    s = s * 31 + (t[i] ^ salt);
  return s;
}

__attribute__((noinline)) static long combine(int kind, int sum) {
  if (kind == 7)
    return (long)sum * 3;
  return (long)sum + kind;
}

int main(int argc, char **argv) {
  int iters = argc > 1 ? atoi(argv[1]) : 200000;
  for (int i = 0; i < N; i++) table[i] = i * 7 + 1;
  long acc = 0;
  for (int i = 0; i < iters; i++)
    acc += combine(i % 11, checksum(table, N, i));
  printf("%ld\n", acc);
  return 0;
}
