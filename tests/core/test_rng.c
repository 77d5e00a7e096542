/* test_rng.c - Philox4x32-10 against the Random123 known-answer vectors,
 * reproducibility of addressed draws, and the moments of every
 * distribution. Moment tolerances are 6 standard errors of the estimate
 * (computed from the true distribution), so a correct generator fails a
 * check with probability about 2e-9; the seeds are fixed anyway. */
#include "core/rng_internal.h"
#include "sheaf_core.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DRAWS 1000000
#define SIGMAS 6.0

static void check_kat(const uint32_t ctr[4], const uint32_t key[2], const uint32_t want[4])
{
    uint32_t out[4];
    sh_philox4x32_10(ctr, key, out);
    for (int i = 0; i < 4; i++)
        cr_assert_eq(out[i], want[i], "word %d: got 0x%08x, want 0x%08x", i, out[i], want[i]);
}

Test(rng, philox_matches_random123_kat_for_zero_counter_and_key)
{
    const uint32_t ctr[4] = {0, 0, 0, 0}, key[2] = {0, 0};
    const uint32_t want[4] = {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8};
    check_kat(ctr, key, want);
}

Test(rng, philox_matches_random123_kat_for_all_ones)
{
    const uint32_t ctr[4] = {0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff};
    const uint32_t key[2] = {0xffffffff, 0xffffffff};
    const uint32_t want[4] = {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd};
    check_kat(ctr, key, want);
}

Test(rng, philox_matches_random123_kat_for_pi_digits)
{
    const uint32_t ctr[4] = {0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344};
    const uint32_t key[2] = {0xa4093822, 0x299f31d0};
    const uint32_t want[4] = {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1};
    check_kat(ctr, key, want);
}

static void draw_u64s(uint64_t *out, size_t n, uint64_t seed, uint64_t stream, uint32_t partition,
                      uint64_t index)
{
    sheaf_rng r;
    sheaf_rng_init(&r, seed, stream, partition, index);
    for (size_t i = 0; i < n; i++)
        out[i] = sheaf_rng_u64(&r);
}

Test(rng, same_address_gives_the_same_draws)
{
    uint64_t a[16], b[16];
    draw_u64s(a, 16, 42, 3, 7, 123456789012ull);
    draw_u64s(b, 16, 42, 3, 7, 123456789012ull);
    cr_assert_eq(memcmp(a, b, sizeof a), 0);

    sheaf_rng r1, r2;
    sheaf_rng_init(&r1, 1, 2, 3, 4);
    sheaf_rng_init(&r2, 1, 2, 3, 4);
    for (int i = 0; i < 101; i++) {
        double x = sheaf_rng_normal(&r1, 0.0, 1.0), y = sheaf_rng_normal(&r2, 0.0, 1.0);
        cr_assert_eq(memcmp(&x, &y, sizeof x), 0, "normal draw %d", i);
    }
    for (int i = 0; i < 100; i++) {
        cr_assert_eq(sheaf_rng_poisson(&r1, 37.5), sheaf_rng_poisson(&r2, 37.5));
        cr_assert_eq(sheaf_rng_integer(&r1, 1000), sheaf_rng_integer(&r2, 1000));
    }
}

Test(rng, each_part_of_the_address_changes_the_draws)
{
    uint64_t base[4], other[4];
    draw_u64s(base, 4, 42, 3, 7, 11);
    const struct {
        uint64_t seed, stream;
        uint32_t partition;
        uint64_t index;
        const char *what;
    } addr[] = {
        {43, 3, 7, 11, "seed"},
        {42, 4, 7, 11, "stream"},
        {42, 3, 8, 11, "partition"},
        {42, 3, 7, 12, "index"},
        {42, 3, 7, 11 + (1ull << 32), "index high word"},
    };
    for (size_t i = 0; i < sizeof addr / sizeof addr[0]; i++) {
        draw_u64s(other, 4, addr[i].seed, addr[i].stream, addr[i].partition, addr[i].index);
        for (int j = 0; j < 4; j++)
            cr_assert_neq(base[j], other[j], "changing the %s left draw %d equal", addr[i].what, j);
    }
}

Test(rng, consecutive_draws_differ_and_blocks_do_not_repeat)
{
    uint64_t x[64];
    draw_u64s(x, 64, 0, 0, 0, 0);
    for (int i = 0; i < 64; i++)
        for (int j = i + 1; j < 64; j++)
            cr_assert_neq(x[i], x[j], "draws %d and %d", i, j);
}

/* Mean, variance, third and fourth central moments of n values. */
typedef struct moments {
    double mean, var, m3, m4;
} moments;

static moments moments_of(const double *x, size_t n)
{
    moments m = {0};
    for (size_t i = 0; i < n; i++)
        m.mean += x[i];
    m.mean /= (double)n;
    for (size_t i = 0; i < n; i++) {
        double d = x[i] - m.mean, d2 = d * d;
        m.var += d2;
        m.m3 += d2 * d;
        m.m4 += d2 * d2;
    }
    m.var /= (double)n;
    m.m3 /= (double)n;
    m.m4 /= (double)n;
    return m;
}

static void assert_within(double got, double want, double se, const char *what)
{
    cr_assert_leq(fabs(got - want), SIGMAS * se, "%s: got %.9g, want %.9g +- %.3g (6 se)", what,
                  got, want, SIGMAS * se);
}

Test(rng, uniform_has_the_moments_of_uniform_0_1)
{
    double *x = malloc(DRAWS * sizeof *x);
    cr_assert_not_null(x);
    sheaf_rng r;
    sheaf_rng_init(&r, 2024, 1, 0, 0);
    for (size_t i = 0; i < DRAWS; i++) {
        x[i] = sheaf_rng_uniform(&r);
        cr_assert(x[i] >= 0.0 && x[i] < 1.0);
    }
    moments m = moments_of(x, DRAWS);
    /* se(mean) = sqrt(1/12 / n); se(var) = sqrt((mu4 - sigma^4) / n) with
     * mu4 = 1/80, sigma^4 = 1/144. */
    assert_within(m.mean, 0.5, sqrt(1.0 / 12.0 / DRAWS), "uniform mean");
    assert_within(m.var, 1.0 / 12.0, sqrt((1.0 / 80.0 - 1.0 / 144.0) / DRAWS), "uniform var");
    free(x);
}

Test(rng, normal_has_the_moments_of_normal_2_3)
{
    double *x = malloc(DRAWS * sizeof *x);
    cr_assert_not_null(x);
    sheaf_rng r;
    sheaf_rng_init(&r, 2024, 2, 0, 0);
    for (size_t i = 0; i < DRAWS; i++)
        x[i] = sheaf_rng_normal(&r, 2.0, 3.0);
    moments m = moments_of(x, DRAWS);
    double sd = 3.0, s2 = sd * sd;
    /* se(mean) = sd/sqrt(n); se(var) = sd^2 sqrt(2/n); se(skew) = sqrt(6/n);
     * se(kurtosis) = sqrt(24/n). */
    assert_within(m.mean, 2.0, sd / sqrt(DRAWS), "normal mean");
    assert_within(m.var, s2, s2 * sqrt(2.0 / DRAWS), "normal var");
    assert_within(m.m3 / pow(m.var, 1.5), 0.0, sqrt(6.0 / DRAWS), "normal skew");
    assert_within(m.m4 / (m.var * m.var), 3.0, sqrt(24.0 / DRAWS), "normal kurtosis");
    free(x);
}

Test(rng, poisson_has_mean_and_variance_lambda)
{
    const double lambdas[] = {0.5, 3.0, 9.9, 10.0, 50.0, 1000.0};
    double *x = malloc(DRAWS * sizeof *x);
    cr_assert_not_null(x);
    for (size_t l = 0; l < sizeof lambdas / sizeof lambdas[0]; l++) {
        double lam = lambdas[l];
        sheaf_rng r;
        sheaf_rng_init(&r, 99, 3, (uint32_t)l, 0);
        for (size_t i = 0; i < DRAWS; i++)
            x[i] = (double)sheaf_rng_poisson(&r, lam);
        moments m = moments_of(x, DRAWS);
        char what[64];
        /* se(mean) = sqrt(lambda/n); se(var) = sqrt((mu4 - lambda^2)/n) with
         * the Poisson mu4 = lambda (1 + 3 lambda). */
        snprintf(what, sizeof what, "poisson(%g) mean", lam);
        assert_within(m.mean, lam, sqrt(lam / DRAWS), what);
        snprintf(what, sizeof what, "poisson(%g) var", lam);
        assert_within(m.var, lam, sqrt((lam + 2.0 * lam * lam) / DRAWS), what);
    }
    free(x);
}

/* Chi-square statistic of counts against expected counts (k cells). */
static double chi_square(const double *count, const double *expected, size_t k)
{
    double c2 = 0.0;
    for (size_t i = 0; i < k; i++) {
        double d = count[i] - expected[i];
        c2 += d * d / expected[i];
    }
    return c2;
}

/* Pass when chi2 <= df + 6 sqrt(2 df): 6 standard deviations of chi2(df). */
static void assert_chi_square(double c2, size_t df, const char *what)
{
    double limit = (double)df + SIGMAS * sqrt(2.0 * (double)df);
    cr_assert_leq(c2, limit, "%s: chi-square %.2f over %zu df exceeds %.2f", what, c2, df, limit);
}

Test(rng, poisson_follows_the_pmf_in_both_regimes)
{
    const double lambdas[] = {3.0, 10.0, 50.0};
    for (size_t l = 0; l < 3; l++) {
        double lam = lambdas[l];
        /* Cells: k < lo pooled, lo..hi-1 one each, k >= hi pooled; lo and hi
         * at about mean -+ 3 sd keep every expected count well above 5. */
        int lo = (int)fmax(0.0, floor(lam - 3.0 * sqrt(lam)));
        int hi = (int)ceil(lam + 3.0 * sqrt(lam));
        size_t k = (size_t)(hi - lo + 2);
        double *count = calloc(k, sizeof *count), *expected = calloc(k, sizeof *expected);
        cr_assert(count && expected);
        sheaf_rng r;
        sheaf_rng_init(&r, 5, 4, (uint32_t)l, 0);
        for (size_t i = 0; i < DRAWS; i++) {
            uint64_t v = sheaf_rng_poisson(&r, lam);
            size_t cell = v < (uint64_t)lo ? 0 : v >= (uint64_t)hi ? k - 1 : (size_t)(v - lo) + 1;
            count[cell]++;
        }
        double below = 0.0, inside = 0.0;
        for (int j = 0; j < hi; j++) {
            double pj = exp(-lam + j * log(lam) - lgamma(j + 1.0));
            if (j < lo)
                below += pj;
            else {
                expected[j - lo + 1] = pj * DRAWS;
                inside += pj;
            }
        }
        expected[0] = below * DRAWS;
        expected[k - 1] = (1.0 - below - inside) * DRAWS;
        size_t first = lo == 0 ? 1 : 0; /* no "below" cell when lo = 0 */
        char what[32];
        snprintf(what, sizeof what, "poisson(%g)", lam);
        assert_chi_square(chi_square(count + first, expected + first, k - first), k - first - 1,
                          what);
        free(count);
        free(expected);
    }
}

Test(rng, integer_is_uniform_over_ten_values)
{
    double count[10] = {0}, expected[10];
    sheaf_rng r;
    sheaf_rng_init(&r, 8, 5, 0, 0);
    for (size_t i = 0; i < DRAWS; i++) {
        uint64_t v = sheaf_rng_integer(&r, 10);
        cr_assert_lt(v, 10);
        count[v]++;
    }
    for (int i = 0; i < 10; i++)
        expected[i] = DRAWS / 10.0;
    assert_chi_square(chi_square(count, expected, 10), 9, "integer(10)");
}

Test(rng, integer_has_no_bias_for_a_bound_near_two_to_the_64)
{
    /* n = 3 * 2^62: a modulo reduction would put half again as many draws
     * in the lowest third as in the others; Lemire's rejection does not. */
    const uint64_t n = 3ull << 62;
    double count[3] = {0}, expected[3] = {DRAWS / 3.0, DRAWS / 3.0, DRAWS / 3.0};
    sheaf_rng r;
    sheaf_rng_init(&r, 8, 6, 0, 0);
    for (size_t i = 0; i < DRAWS; i++) {
        uint64_t v = sheaf_rng_integer(&r, n);
        cr_assert_lt(v, n);
        count[v >> 62]++;
    }
    assert_chi_square(chi_square(count, expected, 3), 2, "integer(3 * 2^62)");
}

Test(rng, degenerate_arguments_return_zero)
{
    sheaf_rng r;
    sheaf_rng_init(&r, 1, 1, 1, 1);
    cr_assert_eq(sheaf_rng_integer(&r, 0), 0);
    cr_assert_eq(sheaf_rng_integer(&r, 1), 0);
    cr_assert_eq(sheaf_rng_poisson(&r, NAN), 0);
    cr_assert_eq(sheaf_rng_poisson(&r, -1.0), 0);
    cr_assert_eq(sheaf_rng_poisson(&r, 0.0), 0);
    cr_assert_eq(sheaf_rng_poisson(&r, INFINITY), 0);
    cr_assert_eq(sheaf_rng_normal(&r, 5.0, 0.0), 5.0);
}
