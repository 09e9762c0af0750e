"""Rows as the client sends them: from a list of dicts, a CSV or NDJSON file, or a DataFrame, each
value made a JSON value. Numbers read from a file keep the digits they were written with."""

import csv
import json
import math
import os
import re

from . import _times

_NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?\Z")
_INTEGER = re.compile(r"-?(0|[1-9][0-9]*)\Z")


class Raw(str):
    """A JSON number's text, written as it is."""


class Row:
    """One row to send: its JSON text and where it came from (a line of a file, or an index)."""

    __slots__ = ("text", "where")

    def __init__(self, text, where):
        self.text = text
        self.where = where


def encode(row):
    """One object a line, with raw numbers written as they were read."""
    parts = []
    for name, value in row.items():
        text = value if isinstance(value, Raw) else json.dumps(value, allow_nan=False)
        parts.append(json.dumps(str(name)) + ":" + text)
    return "{" + ",".join(parts) + "}"


def json_value(value, name, times):
    """A Python, numpy or pandas value as a JSON value; a time as Freshet's text."""
    if value is None or isinstance(value, (str, bool, int)) and not _is_numpy(value):
        return value
    kind = type(value).__name__
    if kind in ("NAType", "NaTType"):
        return None
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if _is_numpy(value):
        if kind.startswith("datetime64"):
            return times(value, name)
        item = value.item()
        if isinstance(item, float) and math.isnan(item):
            return None
        return item
    if hasattr(value, "isoformat"):
        return times(value, name)
    return value


def _is_numpy(value):
    return type(value).__module__ == "numpy"


def typed_cell(cell, kind):
    """A CSV cell of a column of a known type (or None: none known) as a JSON value."""
    if cell == "":
        return None
    if kind == "int64":
        return Raw(cell) if _INTEGER.match(cell) else cell
    if kind == "float64":
        return Raw(cell) if _NUMBER.match(cell) else cell
    if kind == "bool":
        return {"true": True, "false": False}.get(cell.lower(), cell)
    if kind in ("string", "timestamp"):
        return cell
    if _NUMBER.match(cell):
        return Raw(cell)
    return {"true": True, "false": False}.get(cell, cell)


def rows(source, types, timezone=None, truncate_nanoseconds=False):
    """The rows of ``source`` as :class:`Row` objects, read lazily.

    ``source`` is an iterable of dicts, a pandas DataFrame, or the path of a ``.csv`` file (with a
    header) or an NDJSON file. ``types`` maps column names to Freshet types, for CSV cells.
    """

    def times(value, name):
        return _times.to_text(value, timezone, truncate_nanoseconds, "'%s'" % name)

    if isinstance(source, (str, os.PathLike)):
        path = os.fspath(source)
        if path.lower().endswith(".csv"):
            return _csv_rows(path, types)
        return _ndjson_rows(path)
    if type(source).__name__ == "DataFrame":
        return _frame_rows(source, times)
    return _dict_rows(source, times)


def _dict_rows(source, times):
    for index, row in enumerate(source):
        values = {name: json_value(value, name, times) for name, value in row.items()}
        yield Row(encode(values), "row %d" % index)


def _frame_rows(frame, times):
    names = [str(c) for c in frame.columns]
    for index, values in enumerate(frame.itertuples(index=False, name=None)):
        row = {n: json_value(v, n, times) for n, v in zip(names, values)}
        yield Row(encode(row), "row %d" % index)


def _csv_rows(path, types):
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if header is None:
            raise ValueError("%s is empty: a CSV file starts with a header line" % path)
        kinds = [types.get(name) for name in header]
        for cells in reader:
            line = reader.line_num
            if not cells:
                continue
            if len(cells) != len(header):
                raise ValueError(
                    "%s line %d: %d fields where the header names %d"
                    % (path, line, len(cells), len(header))
                )
            row = {n: typed_cell(c, k) for n, c, k in zip(header, cells, kinds)}
            yield Row(encode(row), "line %d" % line)


def _ndjson_rows(path):
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            text = line.strip()
            if not text:
                continue
            try:
                value = json.loads(text)
            except ValueError as e:
                raise ValueError("%s line %d: not valid JSON (%s)" % (path, number, e)) from None
            if not isinstance(value, dict):
                raise ValueError("%s line %d: not a JSON object" % (path, number))
            yield Row(text, "line %d" % number)
