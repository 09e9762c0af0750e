"""What the client tests share: a client of the server under test (FRESHET_URL and the token
variables, as the JUnit test that runs them sets), ids no other test uses, and a stand-in server
for the faults a real one shows only now and then."""

import datetime
import http.server
import json
import os
import random
import threading

import freshet

UTC = datetime.timezone.utc


def client(**overrides):
    return freshet.Client(**overrides)


def server_url():
    return os.environ.get("FRESHET_URL", "http://127.0.0.1:8080")


def fresh_ids(count):
    """Customer ids no earlier run or test has written."""
    first = 10_000_000 + random.randrange(10_000_000) * 100
    return list(range(first, first + count))


def now():
    return datetime.datetime.now(UTC)


def profile(customer, event, age=40, plan="pro", spend=12.5):
    return {
        "customer_id": customer,
        "event_timestamp": event,
        "age": age,
        "plan": plan,
        "tenure_days": 100,
        "monthly_spend": spend,
    }


class StandIn:
    """An HTTP server on a free port that answers each request with the next of ``answers``:
    ``(status, headers, body)``, or ``"drop"`` to close the connection without an answer, or
    ``("cut", status, headers, body)`` to send part of a chunked body and close."""

    def __init__(self, routes):
        self.routes = routes
        self.requests = []
        stand_in = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                self._answer()

            def do_POST(self):
                self._answer()

            def _answer(self):
                body = self._read_body()
                stand_in.requests.append((self.command, self.path, dict(self.headers), body))
                answers = stand_in.routes[self.path.split("?")[0]]
                answer = answers.pop(0) if len(answers) > 1 else answers[0]
                if answer == "drop":
                    self.close_connection = True
                    self.connection.close()
                    return
                cut = answer[0] == "cut"
                status, headers, payload = answer[1:] if cut else answer
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                if cut:
                    self.send_header("Transfer-Encoding", "chunked")
                    self.end_headers()
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(payload), payload))
                    self.wfile.flush()
                    self.close_connection = True
                    self.connection.close()
                    return
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def _read_body(self):
                if self.headers.get("Transfer-Encoding") == "chunked":
                    data = b""
                    while True:
                        size = int(self.rfile.readline().strip(), 16)
                        if size == 0:
                            self.rfile.readline()
                            return data
                        data += self.rfile.read(size)
                        self.rfile.readline()
                length = int(self.headers.get("Content-Length") or 0)
                return self.rfile.read(length)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.server.server_address[1]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def json_answer(status, value, headers=None):
    return (
        status,
        dict({"Content-Type": "application/json"}, **(headers or {})),
        json.dumps(value).encode(),
    )
