/* text_parse.h - parsing of one field's bytes (not NUL-terminated) into
 * numbers and timestamps, shared by the CSV reader and later text inputs.
 * The number parsers read digits 8 bytes at a time: s[len .. len+7] must be
 * readable (the CSV reader's buffer ends in SH_CSV_PADDING NUL bytes). */
#ifndef SH_TEXT_PARSE_H
#define SH_TEXT_PARSE_H

#include "core/internal.h"
#include "sheaf_frame.h"

#include <locale.h>

/* true when s[0..len) is one of pandas' default missing-value markers
 * ("", NA, NaN, null, NULL, N/A, #N/A, <NA>, nan, -nan, 1.#IND, ...). */
bool sh_is_missing_token(const char *s, size_t len);

/* Decimal integer with optional sign and surrounding blanks, within int64
 * (at most 19 digits). */
bool sh_parse_int64(const char *s, size_t len, int64_t *out);

/* Decimal floating point (digits, '.', exponent, inf/infinity) with optional
 * sign and surrounding blanks, correctly rounded: an exact fast path
 * (Clinger) when the significand has <= 19 digits below 2^53 and the power
 * of ten is within 10^22, otherwise strtod_l in the given C locale. s[len]
 * must be readable (the CSV buffer ends in a NUL). False on bad syntax, or
 * if a number longer than 127 bytes followed by a byte that could continue
 * it needs a copy and memory runs out. */
bool sh_parse_double(const char *s, size_t len, locale_t c_locale, double *out);

/* ISO-8601 date "YYYY-MM-DD" or date-time "YYYY-MM-DD[T ]HH:MM[:SS[.f...]]"
 * with optional "Z" or "+HH[:MM]"/"-HH[:MM]" offset, converted to UTC time
 * since the epoch in unit; false on bad syntax, an impossible date or a
 * value outside int64 in that unit. */
bool sh_parse_timestamp(const char *s, size_t len, sheaf_time_unit unit, int64_t *out);

/* Type bits a field is compatible with, for inference. */
enum { SH_FITS_INT = 1, SH_FITS_FLOAT = 2, SH_FITS_TIME = 4, SH_FITS_ANY = 7 };

/* Which of int64 / float64 / timestamp could hold s[0..len) (missing
 * tokens fit all); 0 means only a string column can. */
unsigned sh_classify_field(const char *s, size_t len);

#endif
