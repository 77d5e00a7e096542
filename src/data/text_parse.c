/* text_parse.c - exact parsing of numbers and ISO-8601 timestamps from
 * byte ranges.
 *
 * Doubles: W. D. Clinger, "How to read floating point numbers accurately"
 * (PLDI 1990): when the decimal significand w is below 2^53 and |e| <= 22,
 * w and 10^|e| are exact doubles and one IEEE multiplication or division
 * rounds correctly. Every other input goes to strtod_l in the C locale, so
 * results always equal strtod's. Dates: days from the civil calendar by
 * H. Hinnant's algorithm ("chrono-compatible low-level date algorithms"). */
#include "data/text_parse.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* pandas' default markers (pandas.io.parsers STR_NA_VALUES), by length. */
static const char *const missing_by_length[9][6] = {
    [2] = {"NA"},
    [3] = {"#NA", "N/A", "NaN", "n/a", "nan"},
    [4] = {"#N/A", "-NaN", "-nan", "<NA>", "NULL", "null"},
    [6] = {"1.#IND"},
    [7] = {"-1.#IND", "1.#QNAN"},
    [8] = {"#N/A N/A", "-1.#QNAN"},
};

bool sh_is_missing_token(const char *s, size_t len)
{
    if (len == 0) return true;
    if (len > 8 || len == 1) return false;
    /* Most fields are numbers: one test on the first byte rejects them. */
    char c = s[0];
    if (c != '#' && c != '-' && c != '1' && c != '<' && c != 'N' && c != 'n') return false;
    for (int i = 0; i < 6 && missing_by_length[len][i]; i++)
        if (memcmp(missing_by_length[len][i], s, len) == 0) return true;
    return false;
}

static inline bool is_blank(char c) { return c == ' ' || c == '\t'; }

static inline void trim(const char **s, size_t *len)
{
    if (*len == 0 || (!is_blank(**s) && !is_blank((*s)[*len - 1]))) return;
    while (*len > 0 && is_blank(**s))
        (*s)++, (*len)--;
    while (*len > 0 && is_blank((*s)[*len - 1]))
        (*len)--;
}

static bool ascii_iequal(const char *s, size_t len, const char *word)
{
    size_t n = strlen(word);
    if (len != n) return false;
    for (size_t i = 0; i < n; i++)
        if ((s[i] | 0x20) != word[i]) return false;
    return true;
}

/* true when s[0..len) is [+-]digits[.digits][(e|E)[+-]digits] with at
 * least one mantissa digit. */
static bool is_decimal(const char *s, size_t len)
{
    size_t i = 0, mantissa_digits = 0;
    if (i < len && (s[i] == '+' || s[i] == '-')) i++;
    for (; i < len && (unsigned)(s[i] - '0') <= 9; i++)
        mantissa_digits++;
    if (i < len && s[i] == '.')
        for (i++; i < len && (unsigned)(s[i] - '0') <= 9; i++)
            mantissa_digits++;
    if (mantissa_digits == 0) return false;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < len && (s[i] == '+' || s[i] == '-')) i++;
        size_t exp_start = i;
        while (i < len && (unsigned)(s[i] - '0') <= 9)
            i++;
        if (i == exp_start) return false;
    }
    return i == len;
}

static const double exact_powers_of_ten[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                             1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                             1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

static bool parse_special(const char *s, size_t len, double *out)
{
    bool negative = false;
    if (len > 0 && (s[0] == '+' || s[0] == '-')) negative = s[0] == '-', s++, len--;
    if (!ascii_iequal(s, len, "inf") && !ascii_iequal(s, len, "infinity")) return false;
    *out = negative ? -INFINITY : INFINITY;
    return true;
}

/* Value of the 8 ASCII digits in x, first byte most significant (the
 * SWAR reduction used by fast_float and simdjson: pairs, quads, octet). */
static uint64_t eight_digits(uint64_t x)
{
    x -= 0x3030303030303030ull;
    x = x * 10 + (x >> 8);
    return (((x & 0x000000FF000000FFull) * (100 + (1000000ull << 32))) +
            (((x >> 16) & 0x000000FF000000FFull) * (1 + (10000ull << 32)))) >>
           32;
}

static const uint64_t powers_of_ten_u64[] = {1,      10,      100,      1000,     10000,
                                             100000, 1000000, 10000000, 100000000};

/* Appends the run of digits at *p (before end) to *m, 8 bytes at a time;
 * *count grows by the digits read. Reads up to 7 bytes past end, which the
 * caller guarantees are readable. False if more than 19 digits in all. */
static inline __attribute__((always_inline)) bool read_digits(const char **p, const char *end,
                                                              uint64_t *m, size_t *count)
{
    for (;;) {
        uint64_t x;
        memcpy(&x, *p, 8);
        /* High bit of a byte set where it is not '0'..'9' (borrows and
         * carries only reach bytes after the first non-digit). */
        uint64_t non_digit =
            ((x + 0x4646464646464646ull) | (x - 0x3030303030303030ull) | x) & 0x8080808080808080ull;
        size_t k = non_digit ? (size_t)__builtin_ctzll(non_digit) >> 3 : 8;
        if (k > (size_t)(end - *p)) k = (size_t)(end - *p);
        if (k == 0) return true;
        if ((*count += k) > 19) return false;
        /* Shifting the k digits to the top leaves zero digits in front. */
        if (k < 8) x = (x << (8 * (8 - k))) | (0x3030303030303030ull >> (8 * k));
        *m = *m * powers_of_ten_u64[k] + eight_digits(x);
        *p += k;
        if (k < 8) return true;
    }
}

/* The common case in one tight pass: at most 19 digits in all, so the
 * significand cannot overflow. Returns false when the slow path must
 * decide (more digits, bad syntax, inf). */
static bool parse_double_fast(const char *s, size_t len, double *out)
{
    const char *p = s, *end = s + len;
    if (len == 0) return false;
    /* Branch-free sign: in real data signs are as random as coin flips. */
    bool negative = *p == '-';
    p += negative | (*p == '+');
    uint64_t m = 0;
    size_t n_digits = 0;
    if (!read_digits(&p, end, &m, &n_digits)) return false;
    long scale = 0;
    if (p < end && *p == '.') {
        const char *frac = ++p;
        if (!read_digits(&p, end, &m, &n_digits)) return false;
        scale = -(long)(p - frac);
    }
    if (n_digits == 0) return false;
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        bool negative_exp = false;
        if (p < end && (*p == '-' || *p == '+')) negative_exp = *p++ == '-';
        const char *exp_digits = p;
        long e = 0;
        while (p < end && (unsigned)(*p - '0') <= 9 && e < 100000)
            e = e * 10 + (*p++ - '0');
        if (p == exp_digits) return false;
        scale += negative_exp ? -e : e;
    }
    if (p != end || m > (1ull << 53) || scale < -22 || scale > 22) return false;
    double v = (double)m;
    v = scale < 0 ? v / exact_powers_of_ten[-scale] : v * exact_powers_of_ten[scale];
    *out = negative ? -v : v;
    return true;
}

bool sh_parse_int64(const char *s, size_t len, int64_t *out)
{
    trim(&s, &len);
    const char *p = s, *end = s + len;
    if (len == 0) return false;
    bool negative = *p == '-'; /* branch-free sign, as for doubles */
    p += negative | (*p == '+');
    /* 19 decimal digits fit in uint64; the int64 range is checked after. */
    uint64_t v = 0;
    size_t n_digits = 0;
    if (!read_digits(&p, end, &v, &n_digits) || n_digits == 0 || p != end) return false;
    if (v > (negative ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX)) return false;
    *out = negative ? (int64_t)(0 - v) : (int64_t)v;
    return true;
}

/* Everything the fast path declines: validated, then strtod_l. Kept out
 * of line so the fast path carries no stack buffer. */
static __attribute__((noinline)) bool parse_double_slow(const char *s, size_t len,
                                                        locale_t c_locale, double *out)
{
    if (!is_decimal(s, len)) return parse_special(s, len, out);
    /* strtod stops where the validated token ends unless the next byte
     * could continue a number; then it reads the field in place. */
    if (!strchr("0123456789.eE+-", s[len]) || s[len] == '\0') {
        char *end;
        *out = strtod_l(s, &end, c_locale);
        if (end == s + len) return true;
    }
    char small[128];
    char *buf = len < sizeof small ? small : sh_malloc(len + 1);
    if (!buf) return false;
    memcpy(buf, s, len);
    buf[len] = '\0';
    *out = strtod_l(buf, NULL, c_locale);
    if (buf != small) sh_free(buf);
    return true;
}

bool sh_parse_double(const char *s, size_t len, locale_t c_locale, double *out)
{
    trim(&s, &len);
    return parse_double_fast(s, len, out) || parse_double_slow(s, len, c_locale, out);
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Hinnant). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static bool digits_at(const char *s, size_t len, size_t at, size_t n, int *value)
{
    if (at + n > len) return false;
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned digit = (unsigned)(s[at + i] - '0');
        if (digit > 9) return false;
        v = v * 10 + (int)digit;
    }
    *value = v;
    return true;
}

static bool leap_year(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

bool sh_parse_timestamp(const char *s, size_t len, sheaf_time_unit unit, int64_t *out)
{
    static const int month_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    trim(&s, &len);
    int year, month, day, hour = 0, minute = 0, second = 0, offset = 0;
    if (!digits_at(s, len, 0, 4, &year) || len < 10 || s[4] != '-' || s[7] != '-' ||
        !digits_at(s, len, 5, 2, &month) || !digits_at(s, len, 8, 2, &day))
        return false;
    if (month < 1 || month > 12 || day < 1 ||
        day > month_days[month - 1] + (month == 2 && leap_year(year)))
        return false;
    size_t i = 10;
    int64_t fraction_ns = 0;
    if (i < len && (s[i] == 'T' || s[i] == ' ')) {
        if (!digits_at(s, len, i + 1, 2, &hour) || i + 3 >= len || s[i + 3] != ':' ||
            !digits_at(s, len, i + 4, 2, &minute))
            return false;
        i += 6;
        if (i < len && s[i] == ':') {
            if (!digits_at(s, len, i + 1, 2, &second)) return false;
            i += 3;
            if (i < len && (s[i] == '.' || s[i] == ',')) {
                int64_t scale = 100000000;
                size_t start = ++i;
                for (; i < len && (unsigned)(s[i] - '0') <= 9; i++, scale /= 10)
                    if (scale > 0) fraction_ns += (s[i] - '0') * scale;
                if (i == start) return false;
            }
        }
        if (hour > 23 || minute > 59 || second > 59) return false;
        if (i < len && s[i] == 'Z') {
            i++;
        } else if (i < len && (s[i] == '+' || s[i] == '-')) {
            int sign = s[i] == '-' ? -1 : 1, oh, om = 0;
            if (!digits_at(s, len, i + 1, 2, &oh)) return false;
            i += 3;
            if (i < len && s[i] == ':') i++;
            if (i < len) {
                if (!digits_at(s, len, i, 2, &om)) return false;
                i += 2;
            }
            if (oh > 23 || om > 59) return false;
            offset = sign * (oh * 3600 + om * 60);
        }
    }
    if (i != len) return false;
    int64_t seconds = days_from_civil(year, (unsigned)month, (unsigned)day) * 86400 + hour * 3600 +
                      minute * 60 + second - offset;
    if (unit == SHEAF_TIME_S) {
        *out = seconds;
        return true;
    }
    /* int64 nanoseconds span 1677-09-21 .. 2262-04-11. */
    if (seconds > INT64_MAX / 1000000000 - 1 || seconds < INT64_MIN / 1000000000 + 1) return false;
    *out = seconds * 1000000000 + fraction_ns;
    return true;
}

unsigned sh_classify_field(const char *s, size_t len)
{
    if (sh_is_missing_token(s, len)) return SH_FITS_ANY;
    const char *t = s;
    size_t n = len;
    trim(&t, &n);
    int64_t i;
    if (n > 0 && (unsigned)(t[n - 1] - '0') <= 9 && sh_parse_int64(t, n, &i))
        return SH_FITS_INT | SH_FITS_FLOAT;
    double inf;
    if (is_decimal(t, n) || parse_special(t, n, &inf)) return SH_FITS_FLOAT;
    int64_t ts;
    if (n >= 10 && sh_parse_timestamp(t, n, SHEAF_TIME_NS, &ts)) return SH_FITS_TIME;
    return 0;
}
