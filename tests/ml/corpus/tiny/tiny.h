#ifndef TINY_H
#define TINY_H
long tiny_pick(long flag, long n);
long tiny_always(long n);
long tiny_mix(long a, long b);
unsigned tiny_hash(const char *s);
unsigned tiny_lookup(const char *key, int want);
#endif
