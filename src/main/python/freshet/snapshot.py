"""Snapshot bodies as they stream: their SHA-256, their last line, and the check against the
manifest that says whether they arrived whole."""

import hashlib
import json
import os

from ._http import CONNECTION_ERRORS, reason
from .errors import SnapshotIncomplete

_CHUNK = 1 << 16


class Body:
    """Reads a response a chunk at a time, digesting it and remembering its last line."""

    def __init__(self, response):
        self.response = response
        self.snapshot_id = response.headers.get("X-Snapshot-Id")
        self.digest = hashlib.sha256()
        self.bytes = 0
        self.lines = 0
        self._partial = b""
        self.last_line = b""

    def chunks(self):
        """The body's bytes as they arrive; a cut stream is raised as SnapshotIncomplete."""
        try:
            while True:
                chunk = self.response.read(_CHUNK)
                if not chunk:
                    return
                self._account(chunk)
                yield chunk
        except CONNECTION_ERRORS as e:
            raise SnapshotIncomplete(
                "the stream was cut after %d bytes (%d lines): %s; nothing was kept"
                % (self.bytes, self.lines, reason(e))
            ) from None
        finally:
            self.response.close()

    def lines_of(self):
        """The body's lines, without their line breaks."""
        pending = b""
        for chunk in self.chunks():
            pending += chunk
            *complete, pending = pending.split(b"\n")
            yield from complete
        if pending:
            yield pending

    def _account(self, chunk):
        self.digest.update(chunk)
        self.bytes += len(chunk)
        parts = chunk.split(b"\n")
        self.lines += len(parts) - 1
        if len(parts) > 1:
            self.last_line = (self._partial if len(parts) == 2 else b"") + parts[-2]
            self._partial = parts[-1]
        elif len(self._partial) < _CHUNK:
            # Only a line's start says whether it is an error line: a longer one is a row.
            self._partial += chunk

    def error(self):
        """The error a failed snapshot's body ends with, or None."""
        last = self.last_line.decode("utf-8", "replace")
        if last.startswith("#error "):
            return last[len("#error ") :]
        if last.startswith('{"error"'):
            try:
                error = json.loads(last)
            except ValueError:
                return None
            if set(error) == {"error", "message"}:
                return "%s %s" % (error["error"], error["message"])
        return None


def is_error_line(row):
    return isinstance(row, dict) and set(row) == {"error", "message"}


def checked_manifest(transport, body):
    """The manifest of a body that ended well and whose digest is the manifest's."""
    error = body.error()
    if error is not None:
        raise SnapshotIncomplete(
            "the snapshot failed after %d lines: %s; nothing was kept" % (body.lines - 1, error),
            error=error.split(" ", 1)[0],
        )
    try:
        manifest = transport.json("GET", "/v1/snapshots/%s" % body.snapshot_id)
    except Exception as e:
        raise SnapshotIncomplete(
            "snapshot %s has no manifest, so it did not complete (%s)" % (body.snapshot_id, e)
        ) from None
    sha256 = body.digest.hexdigest()
    if manifest.get("sha256") != sha256:
        raise SnapshotIncomplete(
            "the body's sha256 %s is not the manifest's %s; nothing was kept"
            % (sha256, manifest.get("sha256"))
        )
    return manifest


def manifest_path(path):
    return os.fspath(path) + ".manifest.json"


def to_file(transport, response, path, progress=None):
    """Streams a body to ``path`` through a partial file; keeps it and its manifest only whole."""
    path = os.fspath(path)
    part = path + ".part"
    body = Body(response)
    try:
        with open(part, "wb") as out:
            for chunk in body.chunks():
                out.write(chunk)
                if progress is not None:
                    progress(body.lines, body.bytes)
        manifest = checked_manifest(transport, body)
        with open(manifest_path(path), "w", encoding="utf-8") as f:
            json.dump(manifest, f, indent=2)
            f.write("\n")
        os.replace(part, path)
        return manifest
    finally:
        if os.path.exists(part):
            os.remove(part)
