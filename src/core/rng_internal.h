/* rng_internal.h - the raw Philox block function, shared with its tests. */
#ifndef SH_RNG_INTERNAL_H
#define SH_RNG_INTERNAL_H
#include <stdint.h>

/* One Philox4x32-10 block: out = philox(counter, key). */
void sh_philox4x32_10(const uint32_t counter[4], const uint32_t key[2], uint32_t out[4]);

#endif
