"""sheaf - partitioned statistics and machine learning, a thin ctypes wrapper
over libsheaf.so. Every number comes from C; this package only moves arrays
across the boundary and turns statuses into exceptions."""

__version__ = "0.1.0"  # must equal the C library's sheaf_version()

from .errors import (  # noqa: E402
    SheafError,
    SheafIOError,
    SheafMemoryError,
    SheafValueError,
)
from .frame import Frame  # noqa: E402

from_pandas = Frame.from_pandas
from .io import read_csv  # noqa: E402
from .features import (  # noqa: E402
    Design,
    Imputer,
    MinMaxScaler,
    OneHotEncoder,
    Pipeline,
    StandardScaler,
    StringIndexer,
    VectorAssembler,
)
from .logreg import LogisticRegression  # noqa: E402
from .timeseries import granger_by_key, granger_matrix, grangercausalitytests  # noqa: E402
from .stattools import (  # noqa: E402
    acf,
    acorr_ljungbox,
    adfuller,
    adfuller_many,
    kpss,
    mackinnoncrit,
    mackinnonp,
    pacf,
)
from .var import VAR  # noqa: E402
from .arima import ARIMA, arima_fit_many, auto_arima  # noqa: E402

__all__ = [
    "__version__",
    "Frame",
    "SheafError",
    "SheafIOError",
    "SheafMemoryError",
    "SheafValueError",
    "from_pandas",
    "read_csv",
    "Design",
    "Imputer",
    "MinMaxScaler",
    "OneHotEncoder",
    "Pipeline",
    "StandardScaler",
    "StringIndexer",
    "VectorAssembler",
    "LogisticRegression",
    "VAR",
    "ARIMA",
    "arima_fit_many",
    "auto_arima",
    "granger_by_key",
    "granger_matrix",
    "grangercausalitytests",
    "acf",
    "acorr_ljungbox",
    "adfuller",
    "adfuller_many",
    "kpss",
    "mackinnoncrit",
    "mackinnonp",
    "pacf",
]
