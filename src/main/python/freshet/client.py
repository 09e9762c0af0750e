"""The client: one object per server, a method per thing a training job or a service asks."""

import hashlib
import json
import os
import time
from urllib.parse import quote

from . import _rows, _times, frames, snapshot
from ._http import Transport
from .errors import FreshetConnectionError, FreshetError

DEFAULT_URL = "http://127.0.0.1:8080"

# The server's default entity limit per online read (FRESHET_MAX_ONLINE_ENTITIES).
DEFAULT_ONLINE_CHUNK = 1000

_INGEST_ATTEMPTS = 6
_FIRST_BACKOFF = 0.2


class Client:
    """A Freshet server.

    ``url`` defaults to ``FRESHET_URL``, then ``http://127.0.0.1:8080``; the tokens default to
    ``FRESHET_READ_TOKEN`` and ``FRESHET_WRITE_TOKEN`` (the write token guards ingest and fits, the
    read token everything else). Every error the server answers is raised as
    :class:`~freshet.FreshetError` with the API's ``error``, ``message`` and ``details``.
    """

    def __init__(self, url=None, read_token=None, write_token=None, timeout=300):
        self._transport = Transport(
            url or os.environ.get("FRESHET_URL") or DEFAULT_URL,
            read_token if read_token is not None else os.environ.get("FRESHET_READ_TOKEN"),
            write_token if write_token is not None else os.environ.get("FRESHET_WRITE_TOKEN"),
            timeout,
        )
        self._types = None

    @property
    def url(self):
        return self._transport.url

    # -- Reading the registry and the state of views ---------------------------------------------

    def registry(self):
        """``GET /v1/registry``: every entity, view, transformation and service with its version."""
        return self._transport.json("GET", "/v1/registry")

    def freshness(self):
        """``GET /v1/freshness``: each view's lag and status."""
        return self._transport.json("GET", "/v1/freshness")

    def manifest(self, snapshot_id):
        """``GET /v1/snapshots/{id}``: a complete snapshot's manifest."""
        return self._transport.json("GET", _path("/v1/snapshots/%s", snapshot_id))

    # -- Online reads ---------------------------------------------------------------------------

    def online(
        self,
        entities,
        feature_service=None,
        features=None,
        layout="rows",
        meta="full",
        chunk_size=DEFAULT_ONLINE_CHUNK,
    ):
        """The latest values of ``entities`` (``{"customer_id": [1, 2]}``), by service or features,
        in the API's ``rows`` or ``columns`` layout, with ``meta`` ``full`` or ``status``.

        More entities than the server takes at once (1,000 unless configured otherwise) are read
        in several requests whose answers are joined, in request order: ``chunk_size`` at a time,
        halved whenever the server answers 413. Each request judges freshness at its own instant.
        The answer is the API's JSON, with ``.to_pandas()`` for a DataFrame of the entities and
        their values.
        """
        keys = list(entities)
        columns = {k: list(entities[k]) for k in keys}
        count = len(columns[keys[0]]) if keys else 0
        answer = None
        start = 0
        while start < count or answer is None:
            request = _selection(feature_service, features)
            request["entities"] = {k: columns[k][start : start + chunk_size] for k in keys}
            if layout != "rows":
                request["layout"] = layout
            if meta != "full":
                request["meta"] = meta
            try:
                part = self._transport.json("POST", "/v1/features/online", request)
            except FreshetError as e:
                if e.status == 413 and e.error == "too_large" and chunk_size > 1:
                    chunk_size //= 2
                    continue
                raise
            answer = part if answer is None else _join_online(answer, part)
            start += chunk_size
        return OnlineResult(answer, self)

    # -- Point-in-time snapshots ----------------------------------------------------------------

    def historical(
        self,
        rows,
        feature_service=None,
        features=None,
        cutoff=None,
        as_known=None,
        apply_freshness=None,
        include_status=None,
        include_timestamps=False,
        timestamp_precision="micros",
        timezone=None,
        truncate_nanoseconds=False,
        request=None,
    ):
        """A point-in-time snapshot of label ``rows``, streamed.

        ``rows`` is a list (or any iterable) of dicts, a pandas DataFrame, or the path of a CSV
        or NDJSON file. Each row holds the join keys and ``timestamp``; any other field (a label,
        a weight, an id) is passed through. Times may be ISO-8601 strings with a zone, datetimes or
        pandas Timestamps: a naive one needs ``timezone=``, one with nanoseconds
        ``truncate_nanoseconds=True``.

        The answer is iterated as dicts, or read whole with ``.to_pandas()``; either checks at the
        end that the body is complete and is what the manifest's digest says (else
        :class:`~freshet.SnapshotIncomplete`). ``.manifest`` is then the snapshot's manifest.

        ``request=manifest["request"]`` re-runs an earlier snapshot: its columns, options and
        cutoff, in place of the other arguments (as JSONL; ``snapshot_to_file`` keeps its format).
        """
        if request is not None:
            options = dict(_check_request(request, feature_service, features), format="jsonl")
        else:
            options = self._options(
                feature_service,
                features,
                "jsonl",
                cutoff,
                as_known,
                apply_freshness,
                include_status,
                include_timestamps,
                timestamp_precision,
            )
        response = self._snapshot_request(options, rows, timezone, truncate_nanoseconds)
        return Snapshot(self._transport, response)

    def snapshot_to_file(
        self,
        path,
        rows,
        feature_service=None,
        features=None,
        format=None,
        cutoff=None,
        as_known=None,
        apply_freshness=None,
        include_status=None,
        include_timestamps=False,
        timestamp_precision="micros",
        timezone=None,
        truncate_nanoseconds=False,
        progress=None,
        request=None,
    ):
        """Streams a snapshot to ``path`` (CSV for a ``.csv`` path, else JSONL) and its manifest
        to ``path + ".manifest.json"``; answers the manifest.

        The SHA-256 is taken as the bytes are written. A body ending with an error line, a stream
        cut, or a digest that is not the manifest's deletes what was written and raises
        :class:`~freshet.SnapshotIncomplete`. ``progress(lines, bytes)`` is called as it goes.
        ``request=manifest["request"]`` re-runs an earlier snapshot, the same bytes for the same
        rows.
        """
        if format is None:
            format = "csv" if os.fspath(path).lower().endswith(".csv") else "jsonl"
        if request is not None:
            options = dict(format=format)
            options.update(_check_request(request, feature_service, features))
        else:
            options = self._options(
                feature_service,
                features,
                format,
                cutoff,
                as_known,
                apply_freshness,
                include_status,
                include_timestamps,
                timestamp_precision,
            )
        response = self._snapshot_request(options, rows, timezone, truncate_nanoseconds)
        return snapshot.to_file(self._transport, response, path, progress)

    def _options(self, service, features, format, cutoff, *flags):
        options = _selection(service, features)
        options["format"] = format
        names = (
            "as_known",
            "apply_freshness",
            "include_status",
            "include_timestamps",
            "timestamp_precision",
        )
        for name, value in zip(names, flags):
            if value is not None:
                options[name] = value
        if cutoff is not None:
            options["cutoff"] = _times.to_text(cutoff, what="cutoff")
        return options

    def _snapshot_request(self, options, rows, timezone, truncate_nanoseconds):
        types = self._key_types() if _is_csv(rows) else {}
        lines = _rows.rows(rows, types, timezone, truncate_nanoseconds)
        # Every row is converted (and a bad one refused) before anything is sent; the lines then
        # go out one by one, as a chunked NDJSON body.
        body = [json.dumps(options).encode("utf-8") + b"\n"]
        body.extend(row.text.encode("utf-8") + b"\n" for row in lines)
        return self._transport.open(
            "POST", "/v1/features/historical", iter(body), "application/x-ndjson"
        )

    # -- Writes ---------------------------------------------------------------------------------

    def ingest(self, view, rows, batch_size=1000, progress=None, timezone=None):
        """Writes ``rows`` (dicts, a DataFrame, or a CSV or NDJSON file) to ``view`` in batches.

        Each batch carries an ``Idempotency-Key`` taken from its content, so a batch retried
        (after a 503 or a dropped connection, up to five times) or sent again by calling this
        again is written once. A refused batch raises :class:`~freshet.FreshetError` naming its
        rows by their place in ``rows`` (``row N`` or, for a file, ``line N``); the batches
        before it stay written. ``progress(rows_written, batches)`` is called after each batch.
        Answers ``{"rows", "batches", "seconds"}``.
        """
        types = self._view_types(view) if _is_csv(rows) else {}
        started = time.monotonic()
        written = 0
        batches = 0
        batch = []
        for row in _rows.rows(rows, types, timezone):
            batch.append(row)
            if len(batch) == batch_size:
                self._send_batch(view, batch, written)
                written += len(batch)
                batches += 1
                batch = []
                if progress is not None:
                    progress(written, batches)
        if batch:
            self._send_batch(view, batch, written)
            written += len(batch)
            batches += 1
            if progress is not None:
                progress(written, batches)
        return {"rows": written, "batches": batches, "seconds": time.monotonic() - started}

    def _send_batch(self, view, batch, written):
        body = "".join(row.text + "\n" for row in batch).encode("utf-8")
        key = "freshet-ingest-" + hashlib.sha256(view.encode("utf-8") + b"\n" + body).hexdigest()
        path = _path("/v1/ingest/%s", view)
        for attempt in range(1, _INGEST_ATTEMPTS + 1):
            try:
                with self._transport.open(
                    "POST",
                    path,
                    body,
                    "application/x-ndjson",
                    write=True,
                    headers={"Idempotency-Key": key},
                ) as response:
                    return json.loads(response.read().decode("utf-8"))
            except FreshetConnectionError:
                if attempt == _INGEST_ATTEMPTS:
                    raise
            except FreshetError as e:
                if e.status != 503 or attempt == _INGEST_ATTEMPTS:
                    raise _refused(e, batch, written) from None
            time.sleep(_FIRST_BACKOFF * 2 ** (attempt - 1))
        raise AssertionError("unreachable")

    def fit(self, transformation, snapshot_id):
        """Fits one fitted transformation from a snapshot; answers the new version."""
        return self._transport.json(
            "POST",
            _path("/v1/transformations/%s/fit", transformation),
            {"snapshot_id": snapshot_id},
            write=True,
        )

    def fit_service(self, feature_service, snapshot_id):
        """Fits every fitted transformation a feature service uses, all or none."""
        return self._transport.json(
            "POST",
            _path("/v1/feature_services/%s/fit", feature_service),
            {"snapshot_id": snapshot_id},
            write=True,
        )

    # -- Monitoring ------------------------------------------------------------------------------

    def set_baseline(self, feature_service, snapshot_id):
        """Makes a snapshot of the service its drift baseline (write token); answers it."""
        return self._transport.json(
            "PUT",
            _path("/v1/monitoring/%s/baseline", feature_service),
            {"snapshot_id": snapshot_id},
            write=True,
        )

    def baseline(self, feature_service):
        """The service's drift baseline; raises FreshetError (404) when it has none."""
        return self._transport.json(
            "GET", _path("/v1/monitoring/%s/baseline", feature_service)
        )

    def drift(self, feature_service, window=None):
        """Served values against the baseline over ``window`` (``"30m"``; default the service's)."""
        path = _path("/v1/monitoring/%s/drift", feature_service)
        if window is not None:
            path += "?window=" + quote(window, safe="")
        return self._transport.json("GET", path)

    def compare(self, baseline_snapshot, current_snapshot):
        """Two snapshots' profiles compared, the first as the baseline."""
        return self._transport.json(
            "POST",
            "/v1/monitoring/drift/compare",
            {"baseline": baseline_snapshot, "current": current_snapshot},
        )

    def skew(self, feature_service):
        """What the skew replay found: rows checked and mismatched, per feature, examples."""
        return self._transport.json(
            "GET", _path("/v1/monitoring/%s/skew", feature_service)
        )

    # -- Types from the registry ----------------------------------------------------------------

    def _registry_types(self):
        if self._types is None:
            registry = self.registry()
            entities = {e["name"]: e for e in registry["entities"]}
            views = {v["name"]: v for v in registry["feature_views"]}
            columns = {}
            join_keys = {}
            for view in registry["feature_views"]:
                entity = entities[view["entity"]]
                join_keys[view["name"]] = (entity["join_key"], entity["type"])
                for feature in view["features"]:
                    columns["%s:%s" % (view["name"], feature["name"])] = feature["type"]
            for t in registry["transformations"]:
                columns[t["name"]] = t["output_type"]
            self._types = (columns, join_keys, views)
        return self._types

    def _key_types(self):
        _, join_keys, _ = self._registry_types()
        return {key: kind for key, kind in join_keys.values()}

    def _view_types(self, view):
        columns, join_keys, views = self._registry_types()
        if view not in views:
            raise FreshetError("unknown feature view '%s'" % view, "not_found", None, 404)
        key, kind = join_keys[view]
        types = {key: kind, "event_timestamp": "timestamp"}
        prefix = view + ":"
        types.update({n[len(prefix) :]: t for n, t in columns.items() if n.startswith(prefix)})
        return types

    def column_type(self, name):
        """A feature's or transformation's type, as the registry declares it."""
        columns, _, _ = self._registry_types()
        return columns[name.split("@", 1)[0]]


class Snapshot:
    """A snapshot's answer, read as it streams."""

    def __init__(self, transport, response):
        self._transport = transport
        self._body = snapshot.Body(response)
        self.snapshot_id = self._body.snapshot_id
        self.manifest = None
        self._read = False

    def __iter__(self):
        if self._read:
            raise RuntimeError("a snapshot's answer is read once")
        self._read = True
        for line in self._body.lines_of():
            if not line:
                continue
            row = json.loads(line)
            if snapshot.is_error_line(row):
                # The last line: the manifest check below words the failure.
                continue
            yield row
        self.manifest = snapshot.checked_manifest(self._transport, self._body)

    def rows(self):
        """Every row, as dicts, once the body is complete and checked."""
        return list(self)

    def to_pandas(self):
        """Every row as a DataFrame, each column typed by the manifest (see ``freshet.frames``)."""
        rows = self.rows()
        return frames.frame(rows, self.manifest["columns"])


class OnlineResult(dict):
    """An online read's answer (the API's JSON), with ``.to_pandas()``."""

    def __init__(self, answer, client):
        super().__init__(answer)
        self._client = client

    def to_pandas(self):
        """One row per entity: its join keys, then each feature's value, typed by the registry."""
        if "results" in self:
            rows = []
            for result in self["results"]:
                row = dict(result["entity"])
                row.update(result["values"])
                rows.append(row)
            keys = list(self["results"][0]["entity"]) if self["results"] else []
        else:
            keys = list(self["entities"])
            count = len(self["entities"][keys[0]])
            rows = [{k: self["entities"][k][i] for k in keys} for i in range(count)]
            for name, values in zip(self["features"], self["values"]):
                for row, value in zip(rows, values):
                    row[name] = value
        types = self._client._key_types()
        columns = [{"name": k, "type": types.get(k, "string")} for k in keys]
        columns += [{"name": f, "type": self._client.column_type(f)} for f in self["features"]]
        return frames.frame(rows, columns)


def _path(template, name):
    """An API path with one name in it, quoted whole, so a name holding "/" or "?" stays one."""
    return template % quote(str(name), safe="")


def _check_request(request, service, features):
    if service is not None or features is not None:
        raise ValueError(
            "request= names the columns itself: leave feature_service and features out"
        )
    return request


def _selection(service, features):
    if (service is None) == (features is None):
        raise ValueError("name exactly one of feature_service and features")
    return {"feature_service": service} if service is not None else {"features": list(features)}


def _join_online(answer, part):
    if "results" in answer:
        answer["results"].extend(part["results"])
        return answer
    for key, values in part["entities"].items():
        answer["entities"][key].extend(values)
    for name in ("values", "status", "event_timestamps", "ages_ms", "tiers"):
        if name in answer:
            for joined, more in zip(answer[name], part[name]):
                joined.extend(more)
    return answer


def _is_csv(rows):
    return isinstance(rows, (str, os.PathLike)) and os.fspath(rows).lower().endswith(".csv")


def _refused(error, batch, written):
    """A refused batch, its rows named by their place in the input."""
    details = []
    lines = []
    for detail in error.details:
        row = detail.get("row")
        where = batch[row].where if isinstance(row, int) and 0 <= row < len(batch) else "a row"
        details.append(dict(detail, where=where))
        field = (detail.get("field") + ": ") if detail.get("field") else ""
        lines.append("%s: %s%s" % (where, field, detail.get("message")))
    message = "; ".join(lines) if lines else error.message
    message += "; that batch (%s to %s) was not written, the %d rows before it were" % (
        batch[0].where,
        batch[-1].where,
        written,
    )
    refused = FreshetError(message, error.error, details, error.status)
    refused.rows_written = written
    return refused
