/* rng.c - Philox4x32-10 (Salmon, Moraes, Dror and Shaw, "Parallel random
 * numbers: as easy as 1, 2, 3", SC 2011) and the draws built on it.
 *
 * Address layout. Key = seed XOR splitmix64(stream); counter words are
 * (draw, partition, index low, index high). Every draw made from one
 * address only advances the first counter word, so rows never share blocks
 * and a row's numbers are independent of which thread handles it. */
#include "internal.h"
#include "rng_internal.h"

#include <gsl/gsl_sf_gamma.h>
#include <math.h>

#define PHILOX_M0 0xD2511F53u
#define PHILOX_M1 0xCD9E8D57u
#define PHILOX_W0 0x9E3779B9u
#define PHILOX_W1 0xBB67AE85u

void sh_philox4x32_10(const uint32_t counter[4], const uint32_t key[2], uint32_t out[4])
{
    uint32_t c0 = counter[0], c1 = counter[1], c2 = counter[2], c3 = counter[3];
    uint32_t k0 = key[0], k1 = key[1];
    for (int round = 0; round < 10; round++) {
        uint64_t p0 = (uint64_t)PHILOX_M0 * c0;
        uint64_t p1 = (uint64_t)PHILOX_M1 * c2;
        uint32_t hi0 = (uint32_t)(p0 >> 32), lo0 = (uint32_t)p0;
        uint32_t hi1 = (uint32_t)(p1 >> 32), lo1 = (uint32_t)p1;
        c0 = hi1 ^ c1 ^ k0;
        c1 = lo1;
        c2 = hi0 ^ c3 ^ k1;
        c3 = lo0;
        k0 += PHILOX_W0;
        k1 += PHILOX_W1;
    }
    out[0] = c0;
    out[1] = c1;
    out[2] = c2;
    out[3] = c3;
}

static uint64_t splitmix64(uint64_t x)
{
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

void sheaf_rng_init(sheaf_rng *r, uint64_t seed, uint64_t stream, uint32_t partition,
                    uint64_t index)
{
    uint64_t key = seed ^ splitmix64(stream);
    r->key[0] = (uint32_t)key;
    r->key[1] = (uint32_t)(key >> 32);
    r->counter[0] = 0;
    r->counter[1] = partition;
    r->counter[2] = (uint32_t)index;
    r->counter[3] = (uint32_t)(index >> 32);
    r->next_word = 4; /* no block generated yet */
    r->has_spare_normal = 0;
    r->spare_normal = 0.0;
}

static uint32_t next_u32(sheaf_rng *r)
{
    if (r->next_word == 4) {
        sh_philox4x32_10(r->counter, r->key, r->block);
        r->counter[0]++;
        r->next_word = 0;
    }
    return r->block[r->next_word++];
}

uint64_t sheaf_rng_u64(sheaf_rng *r)
{
    uint64_t lo = next_u32(r);
    uint64_t hi = next_u32(r);
    return (hi << 32) | lo;
}

double sheaf_rng_uniform(sheaf_rng *r) { return (double)(sheaf_rng_u64(r) >> 11) * 0x1.0p-53; }

double sheaf_rng_normal(sheaf_rng *r, double mean, double sd)
{
    if (r->has_spare_normal) {
        r->has_spare_normal = 0;
        return mean + sd * r->spare_normal;
    }
    double u1 = 1.0 - sheaf_rng_uniform(r); /* (0, 1]: log stays finite */
    double u2 = sheaf_rng_uniform(r);
    double radius = sqrt(-2.0 * log(u1));
    double angle = 2.0 * M_PI * u2;
    r->spare_normal = radius * sin(angle);
    r->has_spare_normal = 1;
    return mean + sd * radius * cos(angle);
}

/* Inversion by sequential search; exact for small means. */
static uint64_t poisson_inversion(sheaf_rng *r, double lambda)
{
    double u = sheaf_rng_uniform(r);
    double p = exp(-lambda), cdf = p;
    uint64_t k = 0;
    /* The tail beyond k = 200 has probability below 1e-100 for lambda < 10;
     * the bound only guards against u rounding past the summed cdf. */
    while (u > cdf && k < 200) {
        k++;
        p *= lambda / (double)k;
        cdf += p;
    }
    return k;
}

/* PTRS: W. Hormann, "The transformed rejection method for generating
 * Poisson random variables", Insurance: Math. and Econ. 12 (1993). */
static uint64_t poisson_ptrs(sheaf_rng *r, double lambda)
{
    double slam = sqrt(lambda), loglam = log(lambda);
    double b = 0.931 + 2.53 * slam;
    double a = -0.059 + 0.02483 * b;
    double invalpha = 1.1239 + 1.1328 / (b - 3.4);
    double vr = 0.9277 - 3.6224 / (b - 2.0);
    for (;;) {
        double u = sheaf_rng_uniform(r) - 0.5;
        double v = sheaf_rng_uniform(r);
        double us = 0.5 - fabs(u);
        double k = floor((2.0 * a / us + b) * u + lambda + 0.43);
        if (us >= 0.07 && v <= vr) return (uint64_t)k;
        if (k < 0.0 || (us < 0.013 && v > us)) continue;
        if (log(v) + log(invalpha) - log(a / (us * us) + b) <=
            -lambda + k * loglam - gsl_sf_lngamma(k + 1.0))
            return (uint64_t)k;
    }
}

uint64_t sheaf_rng_poisson(sheaf_rng *r, double lambda)
{
    if (!(lambda > 0.0) || !isfinite(lambda)) return 0;
    return lambda < 10.0 ? poisson_inversion(r, lambda) : poisson_ptrs(r, lambda);
}

uint64_t sheaf_rng_integer(sheaf_rng *r, uint64_t n)
{
    if (n == 0) return 0;
    /* D. Lemire, "Fast random integer generation in an interval", 2019. */
    unsigned __int128 m = (unsigned __int128)sheaf_rng_u64(r) * n;
    uint64_t low = (uint64_t)m;
    if (low < n) {
        uint64_t threshold = (0 - n) % n;
        while (low < threshold) {
            m = (unsigned __int128)sheaf_rng_u64(r) * n;
            low = (uint64_t)m;
        }
    }
    return (uint64_t)(m >> 64);
}
