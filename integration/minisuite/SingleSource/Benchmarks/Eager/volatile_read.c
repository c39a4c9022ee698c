/* Must not fire: the argument reads volatile memory (a device-like register), whose reads may
 * not be removed or reordered, even though the callee rarely uses the value. */
#include <stdio.h>

#define N 512
static volatile int reg[N];

static int sample(int salt) {
  int s = salt;
  for (int i = 0; i < N; i++)
    s = s * 7 + reg[i];
  return s;
}

static long keep_if(int i, int v) {
  if ((i % 500) == 0)
    return v & 0xff;
  return 0;
}

int main(void) {
  for (int i = 0; i < N; i++) reg[i] = i * 3;
  long acc = 0;
  for (int i = 0; i < 150000; i++)
    acc += keep_if(i, sample(i));
  printf("acc %ld\n", acc);
  return 0;
}
