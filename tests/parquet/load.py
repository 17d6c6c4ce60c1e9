"""Load every Parquet table of a foresight output folder in one line each
with polars, pandas and DuckDB, and check them against the same run's CSV
tables: same columns, same rows, same values (text equal, numbers equal,
undefined where the CSV field is empty), and the expected types; pandas
reads each input of the experiments table as an integer column from
Parquet exactly when it does from the CSV (the EMA Workbench's PRIM peels
integer inputs differently).

Usage: load.py PARQUET_DIR CSV_DIR. Prints one line per table; exits
non-zero on the first difference."""

import math
import sys
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl

TEXT = {"scenario", "policy", "region", "indicator", "better", "metric", "parameter"}
WHOLE = {"week", "sample", "replication", "replications", "cells", "tied"}


def fail(message):
    print(message, file=sys.stderr)
    sys.exit(1)


def same(a, b):
    if a is None or (isinstance(a, float) and math.isnan(a)):
        return b is None or (isinstance(b, float) and math.isnan(b))
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b or abs(a - b) <= 1e-12 * max(abs(a), abs(b))
    return a == b


def main():
    pq_dir, csv_dir = Path(sys.argv[1]), Path(sys.argv[2])
    files = sorted(pq_dir.glob("*.parquet"))
    if not files:
        fail(f"no Parquet tables in {pq_dir}")
    for path in files:
        # The one-line loads a user types.
        df = pl.read_parquet(path)
        pdf = pd.read_parquet(path)
        name = path.name
        csv = pl.read_csv(
            csv_dir / (path.stem + ".csv"),
            infer_schema=False,  # every field as text, parsed below
        )
        if df.columns != csv.columns or list(pdf.columns) != df.columns:
            fail(f"{name}: columns {df.columns}, pandas {list(pdf.columns)}, CSV {csv.columns}")
        if df.height != csv.height or len(pdf) != df.height:
            fail(f"{name}: {df.height} rows, pandas {len(pdf)}, CSV {csv.height}")
        for col in df.columns:
            dtype = df.schema[col]
            if col in TEXT and dtype != pl.String:
                fail(f"{name}: {col} is {dtype}, expected text")
            if col in WHOLE and dtype != pl.Int64:
                fail(f"{name}: {col} is {dtype}, expected Int64")
            if col == "seed" and dtype != pl.UInt64:
                fail(f"{name}: seed is {dtype}, expected UInt64")
            ours = df[col].to_list()
            theirs = pdf[col].tolist()
            text = csv[col].to_list()
            for i, (a, b, t) in enumerate(zip(ours, theirs, text)):
                if dtype == pl.String:
                    want = t if t not in (None, "") else None
                else:
                    want = None if t in (None, "") else float(t)
                    a = None if a is None else float(a)
                    b = None if b is None or (isinstance(b, float) and math.isnan(b)) else float(b)
                if not same(a, want) or not same(b, want):
                    fail(f"{name}: row {i + 2}, {col}: polars {a!r}, pandas {b!r}, CSV {t!r}")
        if path.stem == "experiments":
            from_csv = pd.read_csv(csv_dir / "experiments.csv")
            for col in df.columns:
                a = pd.api.types.is_integer_dtype(pdf[col])
                b = pd.api.types.is_integer_dtype(from_csv[col])
                if a != b:
                    fail(f"{name}: pandas reads {col} as {pdf[col].dtype}, from the CSV as {from_csv[col].dtype}")
        # DuckDB reads the file by name; the same rows in the same order.
        duck = duckdb.sql(f"FROM '{path}'").pl()
        if not duck.equals(df):
            fail(f"{name}: DuckDB reads other values than polars")
        print(f"{name}: polars and pandas and DuckDB, {df.height} rows x {df.width} columns")


main()
