"""HTTP to one Freshet server with urllib: the right token per route, the API's errors raised."""

import http.client
import json
import socket
import urllib.error
import urllib.request

from .errors import FreshetConnectionError, FreshetError

# Whatever a connection that failed or was dropped raises, at any point of a request.
CONNECTION_ERRORS = (
    urllib.error.URLError,
    http.client.HTTPException,
    ConnectionError,
    socket.timeout,
    TimeoutError,
)


class Transport:
    def __init__(self, url, read_token, write_token, timeout):
        self.url = url.rstrip("/")
        self.read_token = read_token
        self.write_token = write_token
        self.timeout = timeout

    def open(self, method, path, body=None, content_type=None, write=False, headers=None):
        """The response of a request, unread; an answer other than 200 is raised as an error."""
        request = urllib.request.Request(self.url + path, data=body, method=method)
        if content_type:
            request.add_header("Content-Type", content_type)
        token = self.write_token if write else self.read_token
        if token:
            request.add_header("Authorization", "Bearer " + token)
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            return urllib.request.urlopen(request, timeout=self.timeout)
        except urllib.error.HTTPError as e:
            raise api_error(e.code, e.read()) from None
        except CONNECTION_ERRORS as e:
            raise FreshetConnectionError("%s %s%s: %s" % (method, self.url, path, reason(e))) from e

    def json(self, method, path, body=None, write=False, headers=None):
        data = None if body is None else json.dumps(body).encode("utf-8")
        with self.open(method, path, data, "application/json", write, headers) as response:
            return json.loads(response.read().decode("utf-8"))


def reason(error):
    return str(getattr(error, "reason", None) or error) or type(error).__name__


def api_error(status, body):
    """The API's {"error", "message", "details"} as an exception."""
    try:
        error = json.loads(body.decode("utf-8"))
        return FreshetError(
            error.get("message", ""), error.get("error"), error.get("details"), status
        )
    except (ValueError, AttributeError):
        return FreshetError(body.decode("utf-8", "replace")[:1000], None, None, status)
