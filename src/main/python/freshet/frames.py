"""Snapshots and online answers as pandas DataFrames, each column typed as the registry declares it.

Freshet type   pandas dtype              why
int64          Int64 (nullable)          an int64 column with a null would otherwise become float64
float64        float64                   null is NaN
bool           boolean (nullable)        a bool column with a null would otherwise become object
string         object                    null is NaN, the missing value scikit-learn's imputers see
timestamp      datetime64[ns, UTC]       every timestamp Freshet writes is UTC

pandas is imported here only: the rest of the client needs nothing beyond the standard library.
"""

import json

_MISSING_PANDAS = (
    "pandas is needed for DataFrames (pip install pandas, or apt-get install python3-pandas); "
    "the rest of the client works without it"
)


def _pandas():
    try:
        import pandas
    except ImportError:
        raise ImportError(_MISSING_PANDAS) from None
    return pandas


def _column(pd, values, kind):
    if kind == "int64":
        return pd.array(values, dtype="Int64")
    if kind == "float64":
        return pd.array([float("nan") if v is None else float(v) for v in values], dtype="float64")
    if kind == "bool":
        return pd.array(values, dtype="boolean")
    if kind == "timestamp":
        return _timestamps(pd, values)
    return pd.array([float("nan") if v is None else v for v in values], dtype=object)


def _timestamps(pd, values):
    series = pd.Series(values, dtype=object)
    try:
        # pandas 2 and later infer one format from the first value, which a column whose values
        # drop their trailing zeros does not have: ISO8601 reads them all.
        return pd.to_datetime(series, utc=True, format="ISO8601").array
    except (TypeError, ValueError):
        return pd.to_datetime(series, utc=True).array


def frame(rows, columns):
    """A DataFrame of ``rows`` (dicts) with ``columns`` (``[{"name", "type"}]``), in that order."""
    pd = _pandas()
    data = {}
    for column in columns:
        name = column["name"]
        data[name] = _column(pd, [row.get(name) for row in rows], column["type"])
    return pd.DataFrame(data, columns=[c["name"] for c in columns])


def read_snapshot(path):
    """A snapshot file written by ``Client.snapshot_to_file`` (or ``freshet snapshot``) with its
    manifest beside it, read back with every column typed as the manifest says.

    CSV is read with ``float_precision="round_trip"``, so every double is the one Freshet wrote (the
    default parser misreads some by one unit in the last place); an empty string and a null both
    read as missing in CSV, JSONL tells them apart.
    """
    pd = _pandas()
    with open(str(path) + ".manifest.json", encoding="utf-8") as f:
        manifest = json.load(f)
    columns = manifest["columns"]
    if manifest.get("format") == "csv":
        dtypes = {c["name"]: _csv_dtype(c["type"]) for c in columns}
        data = pd.read_csv(
            path,
            dtype=dtypes,
            float_precision="round_trip",
            keep_default_na=False,
            na_values=[""],
            true_values=["true"],
            false_values=["false"],
        )
        for c in columns:
            if c["type"] == "timestamp":
                data[c["name"]] = _timestamps(
                    pd, data[c["name"]].where(data[c["name"]].notna(), None)
                )
        return data
    with open(path, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    return frame(rows, columns)


def _csv_dtype(kind):
    return {"int64": "Int64", "float64": "float64", "bool": "boolean"}.get(kind, object)
