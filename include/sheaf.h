/* sheaf.h - the whole public API of sheaf. Include this one header. */
#ifndef SHEAF_H
#define SHEAF_H

#include "sheaf_core.h"
#include "sheaf_frame.h"
#include "sheaf_linalg.h"
#include "sheaf_clean.h"
#include "sheaf_group.h"
#include "sheaf_window.h"
#include "sheaf_features.h"
#include "sheaf_logreg.h"
#include "sheaf_timeseries.h"
#include "sheaf_var.h"
#include "sheaf_stattools.h"
#include "sheaf_arima.h"

#endif
