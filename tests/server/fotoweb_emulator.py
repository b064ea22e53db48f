#!/usr/bin/env python3
"""A small FotoWeb emulator for fwc's demo and integration tests.

It grows with the project: the token endpoint and the API entry points now,
the Upload API in a later step. It listens on loopback only, on the port
given (0 picks a free one), and writes the chosen port to --port-file once
it is ready, so a test never races the server's start. With --tls-cert and
--tls-key it serves HTTPS. Python standard library only.

Token endpoint (POST /fotoweb/oauth2/token, ../shared/FOTOWEB.md section 1):
the request is checked first, so a malformed request is always reported as
such: a Content-Type other than application/x-www-form-urlencoded, a body
that is not a form, or a parameter given twice is 400 invalid_request; a
grant_type missing or other than the accepted one is 400
unsupported_grant_type; client credentials go in the body
(client_secret_post) or in HTTP Basic (RFC 6749 2.3.1: base64 of
formenc(id) ":" formenc(secret)), never both (400 invalid_request); wrong or
missing ones are 401 invalid_client (with WWW-Authenticate: Basic when Basic
was tried). A well-formed request is then answered as the fault mode says:

  none              200 {"access_token", "token_type": "bearer", "expires_in"}
  slow              the same, after --slow-seconds (any answer is delayed)
  chunked           the same, Transfer-Encoding: chunked, 16-byte chunks
  wrong_token_type  token_type "mac"
  missing_fields    no access_token
  huge_token        a 1 MiB access token
  fraction          expires_in written as the literal 28800.000000
  html_502          502 with an HTML page, as from a proxy
  invalid_client    401 invalid_client whatever the credentials
  access_denied     403 access_denied (tenant not licensed for the API)
  oauth_error       --error-status with {"error": --error-code}
  drop_mid_body     headers with Content-Length, half the body, then a close
                    without TLS close_notify (a bare TCP FIN)

expires_in is the lifetime written as an integer ("int"), with six zero
decimals ("fraction") or left out ("omit"); the token is --token-size
characters from the RFC 6750 b64token alphabet (0: 43, as before).

Test-only control (refused with 403 unless started with --control):
  GET  /_emulator/config   the current settings
  PUT  /_emulator/config   a JSON object of settings to change (the same
                           names as the options, with '_' for '-'); with
                           "reset": true the start-up settings come back and
                           the statistics are zeroed first. All or nothing:
                           an unknown name or a bad value changes nothing.
  GET  /_emulator/stats    {"token_requests", "tokens_issued", "last_token",
                           "last_client_auth", "last_status", "last_error"}
The settings apply to every token request until changed.
"""
import argparse
import base64
import binascii
import copy
import json
import os
import secrets
import socket
import ssl
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

FAULTS = ("none", "slow", "chunked", "wrong_token_type", "missing_fields", "huge_token",
          "fraction", "html_502", "invalid_client", "access_denied", "oauth_error",
          "drop_mid_body")
EXPIRES_IN_FORMATS = ("int", "fraction", "omit")
HUGE_TOKEN_SIZE = 1 << 20
MAX_TOKEN_SIZE = 16 << 20
FORM_TYPE = "application/x-www-form-urlencoded"
HTML_502 = (b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
            b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
            b"</body>\r\n</html>\r\n")


def _check_str(v):
    if not isinstance(v, str) or not v:
        raise ValueError("a non-empty string")
    return v


def _check_int(lo, hi):
    def check(v):
        if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
            raise ValueError(f"an integer in {lo}..{hi}")
        return v
    return check


def _check_seconds(v):
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0 <= v <= 60:
        raise ValueError("a number of seconds in 0..60")
    return float(v)


def _check_choice(choices):
    def check(v):
        if v not in choices:
            raise ValueError("one of " + ", ".join(choices))
        return v
    return check


# Setting name -> validator. The names double as the command-line options.
SETTINGS = {
    "client_id": _check_str,
    "client_secret": _check_str,
    "grant_type": _check_str,  # the grant type accepted
    "lifetime": _check_int(-2**31, 2**32),  # out-of-range values test the client
    "expires_in": _check_choice(EXPIRES_IN_FORMATS),
    "token_size": _check_int(0, MAX_TOKEN_SIZE),
    "fault": _check_choice(FAULTS),
    "slow_seconds": _check_seconds,
    "error_code": _check_str,
    "error_status": _check_int(400, 599),
}


class State:
    lock = threading.Lock()
    control = False
    initial = {}   # the settings at start-up, for "reset"
    config = {}
    tokens = set()
    stats = {}

    @classmethod
    def zero_stats(cls):
        cls.stats = {"token_requests": 0, "tokens_issued": 0, "last_token": None,
                     "last_client_auth": None, "last_status": None, "last_error": None}


State.zero_stats()


def make_token(size):
    """size characters of the b64token alphabet (URL-safe base64 here)."""
    if size == 0:
        return secrets.token_urlsafe(32)
    return secrets.token_urlsafe(size * 3 // 4 + 3)[:size]


def token_body(cfg, token):
    """The JSON text of a token answer, by hand: a JSON encoder cannot write
    28800.000000, and the fault modes want members left out."""
    members = []
    if cfg["fault"] != "missing_fields":
        members.append('"access_token": ' + json.dumps(token))
    members.append('"token_type": ' + json.dumps("mac" if cfg["fault"] == "wrong_token_type"
                                                 else "bearer"))
    if cfg["fault"] == "fraction":
        members.append('"expires_in": 28800.000000')
    elif cfg["expires_in"] == "int":
        members.append('"expires_in": %d' % cfg["lifetime"])
    elif cfg["expires_in"] == "fraction":
        members.append('"expires_in": %d.000000' % cfg["lifetime"])
    return ("{" + ", ".join(members) + "}").encode()


class BadRequest(Exception):
    """An OAuth error answer: status, error code, description, extra headers."""

    def __init__(self, status, error, description, headers=()):
        super().__init__(description)
        self.status, self.error, self.description, self.headers = (status, error, description,
                                                                  headers)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FotoWebEmulator/0.2"

    def log_message(self, fmt, *args):  # keep test output quiet
        if os.environ.get("FWC_EMULATOR_VERBOSE"):
            sys.stderr.write("emulator: " + fmt % args + "\n")

    # ---- answers -------------------------------------------------------------

    def send_body(self, status, body, content_type, chunked=False, headers=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        for name, value in headers:
            self.send_header(name, value)
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for i in range(0, len(body), 16):
                piece = body[i:i + 16]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            self.wfile.write(b"0\r\n\r\n")
        else:
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    def send_json(self, status, obj, chunked=False, headers=()):
        self.send_body(status, json.dumps(obj).encode(), "application/json; charset=utf-8",
                       chunked, headers)

    def send_cut(self, status, body, content_type):
        """Headers promising the whole body, half of it, then a close without
        close_notify: the client sees a bare TCP FIN inside the body."""
        self.close_connection = True
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body[:len(body) // 2])
        self.wfile.flush()
        # SSLSocket.shutdown() drops the TLS layer without close_notify.
        self.connection.shutdown(socket.SHUT_RDWR)

    # ---- requests ----------------------------------------------------------------

    def read_body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            body = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    return body
                body += self.rfile.read(size)
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def do_POST(self):
        body = self.read_body()
        if self.path.startswith("/_emulator/"):
            return self.send_json(405, {"message": "use GET or PUT", "href": self.path})
        if self.path != "/fotoweb/oauth2/token":
            return self.send_json(404, {"message": "not found", "href": self.path})
        with State.lock:
            State.stats["token_requests"] += 1
            cfg = copy.deepcopy(State.config)
        if cfg["fault"] == "slow":
            time.sleep(cfg["slow_seconds"])
        try:
            auth = self.check_token_request(cfg, body)
        except BadRequest as e:
            return self.token_refusal(e.status, e.error, e.description, e.headers)
        with State.lock:
            State.stats["last_client_auth"] = auth
        return self.token_answer(cfg, auth)

    def check_token_request(self, cfg, body):
        """Raise BadRequest for a request FotoWeb would refuse; return how
        the client authenticated ("post" or "basic")."""
        media = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if media != FORM_TYPE:
            raise BadRequest(400, "invalid_request", "Content-Type must be " + FORM_TYPE)
        try:
            pairs = urllib.parse.parse_qsl(body.decode("ascii"), keep_blank_values=True,
                                           strict_parsing=bool(body), encoding="utf-8",
                                           errors="strict")
        except (UnicodeDecodeError, ValueError):
            raise BadRequest(400, "invalid_request", "the body is not a form")
        form = {}
        for name, value in pairs:
            if name in form:
                raise BadRequest(400, "invalid_request", "parameter given twice: " + name)
            form[name] = value
        if form.get("grant_type") != cfg["grant_type"]:
            raise BadRequest(400, "unsupported_grant_type",
                             "grant_type must be " + cfg["grant_type"])
        header = self.headers.get("Authorization")
        if header is None:
            auth, client_id, secret = "post", form.get("client_id"), form.get("client_secret")
            challenge = ()
        else:
            auth, challenge = "basic", (("WWW-Authenticate", 'Basic realm="fotoweb"'),)
            if "client_secret" in form:
                raise BadRequest(400, "invalid_request", "more than one client authentication")
            client_id, secret = self.decode_basic(header, challenge)
        if client_id != cfg["client_id"] or secret != cfg["client_secret"]:
            raise BadRequest(401, "invalid_client", "unknown client or wrong secret", challenge)
        return auth

    @staticmethod
    def decode_basic(header, challenge):
        scheme, _, value = header.strip().partition(" ")
        try:
            if scheme.lower() != "basic":
                raise ValueError
            pair = base64.b64decode(value.strip(), validate=True).decode("ascii")
            if ":" not in pair:
                raise ValueError
            client_id, secret = pair.split(":", 1)
            return (urllib.parse.unquote_plus(client_id, errors="strict"),
                    urllib.parse.unquote_plus(secret, errors="strict"))
        except (ValueError, binascii.Error, UnicodeDecodeError):
            raise BadRequest(401, "invalid_client", "unusable Authorization header", challenge)

    def token_refusal(self, status, error, description, headers=()):
        with State.lock:
            State.stats["last_status"] = status
            State.stats["last_error"] = error
        return self.send_json(status, {"error": error, "error_description": description},
                              headers=headers)

    def token_answer(self, cfg, auth):
        fault = cfg["fault"]
        challenge = (("WWW-Authenticate", 'Basic realm="fotoweb"'),) if auth == "basic" else ()
        if fault == "invalid_client":
            return self.token_refusal(401, "invalid_client",
                                      "client authentication failed", challenge)
        if fault == "access_denied":
            return self.token_refusal(403, "access_denied",
                                      "the tenant is not licensed for the API")
        if fault == "oauth_error":
            return self.token_refusal(cfg["error_status"], cfg["error_code"],
                                      "an error the emulator was told to give")
        if fault == "html_502":
            with State.lock:
                State.stats["last_status"] = 502
                State.stats["last_error"] = None
            return self.send_body(502, HTML_502, "text/html")
        token = make_token(HUGE_TOKEN_SIZE if fault == "huge_token" else cfg["token_size"])
        with State.lock:
            State.stats["last_status"] = 200
            State.stats["last_error"] = None
            if fault != "missing_fields":
                State.tokens.add(token)
                State.stats["tokens_issued"] += 1
                State.stats["last_token"] = token
        body = token_body(cfg, token)
        ctype = "application/json; charset=utf-8"
        headers = (("Cache-Control", "no-store"), ("Pragma", "no-cache"))
        if fault == "drop_mid_body":
            return self.send_cut(200, body, ctype)
        return self.send_body(200, body, ctype, chunked=fault == "chunked", headers=headers)

    # ---- the control endpoint ------------------------------------------------------

    def control(self, method, body=b""):
        if not State.control:
            return self.send_json(403, {"message": "control endpoint disabled "
                                                   "(start the emulator with --control)",
                                        "href": self.path})
        if self.path == "/_emulator/stats" and method == "GET":
            with State.lock:
                return self.send_json(200, dict(State.stats))
        if self.path != "/_emulator/config":
            return self.send_json(404, {"message": "not found", "href": self.path})
        if method == "GET":
            with State.lock:
                return self.send_json(200, dict(State.config))
        try:
            changes = json.loads(body.decode("utf-8"))
            if not isinstance(changes, dict):
                raise ValueError("a JSON object is expected")
            reset = changes.pop("reset", False)
            if not isinstance(reset, bool):
                raise ValueError("reset: true or false")
            checked = {}
            for name, value in changes.items():
                if name not in SETTINGS:
                    raise ValueError("unknown setting " + name)
                try:
                    checked[name] = SETTINGS[name](value)
                except ValueError as e:
                    raise ValueError(f"{name}: {e}")
        except (ValueError, UnicodeDecodeError) as e:
            return self.send_json(400, {"message": str(e), "href": self.path})
        with State.lock:
            if reset:
                State.config = dict(State.initial)
                State.zero_stats()
            State.config.update(checked)
            return self.send_json(200, dict(State.config))

    def do_PUT(self):
        body = self.read_body()
        if self.path.startswith("/_emulator/"):
            return self.control("PUT", body)
        return self.send_json(404, {"message": "not found", "href": self.path})

    def do_GET(self):
        if self.path.startswith("/_emulator/"):
            return self.control("GET")
        auth = self.headers.get("Authorization", "")
        with State.lock:
            known = auth.startswith("Bearer ") and auth[7:] in State.tokens
        if not known:
            self.send_response(401)
            self.send_header("WWW-Authenticate", "Bearer")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.path == "/fotoweb/me/":
            return self.send_json(200, {"user": {"userName": "script"},
                                        "archives": "/fotoweb/me/archives/"}, chunked=True)
        return self.send_json(404, {"message": "not found", "href": self.path})


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A client that hangs up on a fault (a huge body, a slow answer) is
        # part of the test, not an emulator failure.
        if isinstance(sys.exc_info()[1], (ConnectionError, ssl.SSLError, TimeoutError)):
            return
        super().handle_error(request, client_address)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file", help="write the listening port here when ready")
    ap.add_argument("--tls-cert", help="serve HTTPS with this certificate (PEM)")
    ap.add_argument("--tls-key", help="... and this key")
    ap.add_argument("--control", action="store_true",
                    help="enable the test-only /_emulator/ control endpoint")
    ap.add_argument("--client-id", default="demo-client")
    ap.add_argument("--client-secret", default="s3cr+t/with=odd&chars")
    ap.add_argument("--grant-type", default="client_credentials",
                    help="the grant type accepted (another one tests the refusal)")
    ap.add_argument("--lifetime", type=int, default=3600, help="expires_in, seconds")
    ap.add_argument("--expires-in", choices=EXPIRES_IN_FORMATS, default="int",
                    help="how expires_in is written")
    ap.add_argument("--token-size", type=int, default=0,
                    help="access token length (0: 43 characters)")
    ap.add_argument("--fault", choices=FAULTS, default="none")
    ap.add_argument("--slow-seconds", type=float, default=2.0,
                    help="delay of the slow fault mode")
    ap.add_argument("--error-code", default="invalid_request",
                    help="error of the oauth_error fault mode")
    ap.add_argument("--error-status", type=int, default=400,
                    help="HTTP status of the oauth_error fault mode")
    args = ap.parse_args()
    initial = {}
    for name, check in SETTINGS.items():
        try:
            initial[name] = check(getattr(args, name))
        except ValueError as e:
            ap.error(f"--{name.replace('_', '-')}: {e}")
    State.initial = initial
    State.config = dict(initial)
    State.control = args.control

    server = Server(("127.0.0.1", args.port), Handler)
    if args.tls_cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.minimum_version = ssl.TLSVersion.TLSv1_2
        ctx.load_cert_chain(args.tls_cert, args.tls_key)
        server.socket = ctx.wrap_socket(server.socket, server_side=True)
    if args.port_file:
        tmp = args.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write(str(server.server_address[1]))
        os.replace(tmp, args.port_file)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
