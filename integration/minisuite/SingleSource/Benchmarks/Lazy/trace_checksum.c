/* Lazification pays: a costly pure checksum over a buffer is passed to a tracing function that
 * only prints it when the event is "interesting" (1 call in 512). */
#include <stdio.h>

#define N 2048
static unsigned char buf[N];

static unsigned fnv(const unsigned char *p, int n, unsigned seed) {
  unsigned h = 2166136261u ^ seed;
  for (int i = 0; i < n; i++)
    h = (h ^ p[i]) * 16777619u;
  return h;
}

static unsigned long traced;

static void trace(int event, unsigned digest) {
  if ((event & 511) == 511) {
    traced += digest % 1000;
  }
}

int main(void) {
  for (int i = 0; i < N; i++) buf[i] = (unsigned char)(i * 13 + 7);
  unsigned long work = 0;
  for (int ev = 0; ev < 30000; ev++) {
    for (int j = 0; j < 600; j++) /* the real work of each event: not deferrable */
      work = work * 6364136223846793005ul + (unsigned long)(ev ^ j);
    trace(ev, fnv(buf, N, (unsigned)ev));
  }
  printf("work %lu traced %lu\n", work % 1000003, traced);
  return 0;
}
