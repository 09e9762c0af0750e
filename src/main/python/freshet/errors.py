"""The exceptions the client raises: the API's errors as the server words them, and its own."""


class FreshetError(Exception):
    """An error answered by the server, or met talking to it.

    ``error`` is the API's code (``bad_request``, ``validation_failed``, ``unauthorized``,
    ``not_found``, ``freshness_violated``, ``not_fitted``, ``too_large``, ``unavailable``) or one
    of the client's own (``unreachable``, ``incomplete``). ``details`` is the API's list, and
    ``status`` the HTTP status (None when there was no answer).
    """

    def __init__(self, message, error=None, details=None, status=None):
        super().__init__(message)
        self.message = message
        self.error = error
        self.details = list(details or [])
        self.status = status

    def __str__(self):
        prefix = ""
        if self.status is not None:
            prefix += "%d " % self.status
        if self.error:
            prefix += self.error + ": "
        return prefix + self.message


class FreshetConnectionError(FreshetError):
    """The server could not be reached, or dropped the connection before answering."""

    def __init__(self, message):
        super().__init__(message, error="unreachable")


class SnapshotIncomplete(FreshetError):
    """A snapshot that did not arrive whole: an error line, a cut stream or a digest that is not
    the manifest's. Nothing of it is kept."""

    def __init__(self, message, error="incomplete"):
        super().__init__(message, error=error)
