/* Adversarial: the callee skips the argument on a path that is statically
 * plausible but taken in only 0.1% of calls. A static model cannot know;
 * the profile policy must decline (use ratio 0.999). */
#include <stdio.h>
#include <stdlib.h>

#define N 256
static int table[N];

static int checksum(const int *t, int n, int salt) {
  int s = salt;
  for (int i = 0; i < n; i++)
    s = s * 31 + (t[i] ^ salt);
  return s;
}

__attribute__((noinline)) static long consume(int kind, int sum) {
  if (kind == 0)
    return -1;
  return (long)(sum & 0xffff) * kind;
}

int main(int argc, char **argv) {
  int iters = argc > 1 ? atoi(argv[1]) : 1000000;
  for (int i = 0; i < N; i++) table[i] = i * 7 + 1;
  long acc = 0;
  for (int i = 0; i < iters; i++)
    acc += consume(i % 1000 != 0, checksum(table, N, i));
  printf("%ld\n", acc);
  return 0;
}
