"""Four metric tables, scraped separately, become one design matrix."""
import numpy as np
import pandas as pd

import sheaf

rng = np.random.default_rng(0)
times = pd.date_range("2026-11-01", periods=120, freq="min")


def scrape(metric):  # one table per metric, rows in arrival order
    rows = [(f"host{i}", t, rng.normal(100 * (i + 1), 10)) for i in range(3) for t in times]
    table = pd.DataFrame(rows, columns=["instance", "time", metric])
    return sheaf.from_pandas(table.sample(frac=1, random_state=len(metric)))


free, total, active, cached = (scrape(m) for m in ["free", "total", "active", "cached"])
frame = free.join(total, on=["instance", "time"], how="left")
frame = frame.join(active, on=["instance", "time"], how="left")
frame = frame.join(cached, on=["instance", "time"], how="left")
frame = frame.with_column("used", "1 - free / (free + total)")
frame = frame.lag("used", 1, by="instance", order_by="time", name="used_lag1")
frame = frame.rolling("active", "5min", by="instance", order_by="time", name="active_5min")
frame = frame.with_column("hour", "hour(time)").dropna()

pipeline = sheaf.Pipeline([
    sheaf.StringIndexer("instance", "instance_index"),
    sheaf.OneHotEncoder("instance_index", "instance"),
    sheaf.StandardScaler(["free", "total", "active", "cached"], with_mean=True),
    sheaf.VectorAssembler(["free", "total", "active", "cached", "used_lag1", "active_5min",
                           "hour", "instance_0", "instance_1"], label="used"),
])
design = pipeline.fit(frame).transform(frame)
X, y = design.to_numpy()
print(X.shape, y.shape)
print(design.feature_names)
