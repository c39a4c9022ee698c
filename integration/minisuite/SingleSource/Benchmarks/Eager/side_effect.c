/* Must not fire: the argument's computation writes global state (a counter and a buffer) that
 * later code reads, so deferring or dropping it would change the output. */
#include <stdio.h>

#define N 1024
static int hist[N];
static long calls;

static int noisy_sum(int salt) {
  int s = 0;
  calls++;
  for (int i = 0; i < N; i++) {
    hist[i] += (i ^ salt) & 1;
    s += hist[i];
  }
  return s;
}

static long rarely(int i, int v) {
  if ((i & 1023) == 0)
    return v;
  return 1;
}

int main(void) {
  long acc = 0;
  for (int i = 0; i < 600000; i++)
    acc += rarely(i, noisy_sum(i));
  long h = 0;
  for (int i = 0; i < N; i++) h = h * 31 + hist[i];
  printf("acc %ld calls %ld h %ld\n", acc, calls, h);
  return 0;
}
