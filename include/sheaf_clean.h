/* sheaf_clean.h - row cleaning and column expressions on frames: dropping
 * rows with missing values, filling with constants, and new columns computed
 * from arithmetic, comparisons, conditionals, casts and calendar parts.
 * Every function returns a new frame and leaves its input unchanged; columns
 * it does not touch are shared, not copied. */
#ifndef SHEAF_CLEAN_H
#define SHEAF_CLEAN_H

#include "sheaf_frame.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifdef __cplusplus
}
#endif
#endif
