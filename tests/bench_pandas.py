# make bench: pandas reads samples.csv and computes per-group mean, std
# and median of the operation durations (run with Debian's python3).
import sys
import pandas as pd

df = pd.read_csv(sys.argv[1])
labels = list(df.columns[: list(df.columns).index("rep")])
g = df.groupby(labels, sort=True)["duration_us"].agg(["mean", "std", "median"])
g.to_csv(sys.stdout)
