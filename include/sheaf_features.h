/* sheaf_features.h - fitted feature assemblers in the manner of Spark ML:
 * string indexing, one-hot encoding, standard and min-max scaling,
 * imputation, the vector assembler that turns columns into per-partition
 * design-matrix blocks, and the pipeline that replays fitted stages on new
 * data. Every fit merges per-partition statistics on the coordinator. */
#ifndef SHEAF_FEATURES_H
#define SHEAF_FEATURES_H

#include "sheaf_frame.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifdef __cplusplus
}
#endif
#endif
