#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A small FotoWeb emulator for fwc's demo and integration tests.

It grows with the project: the token endpoint, the API entry points and the
Upload API. It listens on loopback (or the --bind address), on the port
given (0 picks a free one), and writes the chosen port to --port-file once
it is ready, so a test never races the server's start. With --tls-cert and
--tls-key it serves HTTPS. With --tcp-nodelay it sets TCP_NODELAY on each
connection (make bench does): the emulator writes most answers in two
pieces (head, then body), and under Nagle's algorithm the second one waits
for the client's delayed ACK, about 40 ms on Linux. Python standard
library only.

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

Hostile token answers (HOSTILE_TOKEN_ANSWERS, a table: mode -> answer; for
docs/HOSTILE.md), each a 200 unless said otherwise:
  html_200          an HTML page
  deep_json         an array nested 10,000 deep (20,000 bytes)
  deep_member       a token answer with a member nested 500 deep (fits 2 KiB)
  token_bad_utf8    the token holds the bytes FF FE (invalid UTF-8)
  token_nul         the token holds \u0000
  token_raw_nul     the token holds a raw NUL byte
  token_crlf        the token holds \r\n and a header after it
  token_space       the token holds a space
  duplicate_keys    access_token twice, with different values
  trailing_garbage  a good answer followed by more text
  expires_string    expires_in as the string "3600"
  gzip              a good answer, gzip-compressed, Content-Encoding: gzip
  redirect_http     302 to the same path over http://
  redirect_loop     302 to the same https URL
(expires_in negative or huge: the lifetime setting.)

API faults (api_fault, a table: mode -> answer), for every authorized API
request, before it is handled:
  retry_after_10y       429 with Retry-After: 315360000 (ten years, seconds)
  retry_after_10y_date  429 with Retry-After: an HTTP-date ten years ahead
  redirect_http         302 to the same path over http://
  huge_answer           200 with 1 MiB of JSON
  bad_upload_id         a create is answered with the upload id "../../x"
  long_headers          let through, but every answer carries a 340-byte Location,
                        a 130-character media type, a 32-character auth scheme and
                        a 42-digit Retry-After, each longer than fwc's slot for it
  retry_after_too_long  503 with Retry-After: 120 written with 42 digits
  asset_url_lf, asset_url_esc, asset_url_c1, asset_url_utf8
                        a status poll is answered "done" with an assetUrl
                        holding (JSON-escaped) a newline and a forged line,
                        ESC sequences (clear screen, window title), the C1
                        control CSI (U+009B), or a harmless e-acute: what a
                        hostile server can make a client print to a terminal

expires_in is the lifetime written as an integer ("int"), with six zero
decimals ("fraction") or left out ("omit"); the token is --token-size
characters from the RFC 6750 b64token alphabet (0: 43, as before).

Bearer tokens (section 2): every /fotoweb/api/ and /fotoweb/me/ request
needs "Authorization: Bearer <token>" with a token this emulator issued and
that has not expired, else 401 with WWW-Authenticate: Bearer (and
error="invalid_token" when the token was known but expired). A token expires
by wall time, token_ttl seconds after it was issued; token_ttl null (the
default) means the lifetime the token answer announced (28800 s for the
"fraction" fault). A token_ttl shorter than the announced lifetime plays a
token revoked or expired early: the client only learns it from the 401.

Upload API (section 3), all under /fotoweb/api/uploads, all authorized:
  POST /fotoweb/api/uploads                 create; Content-Type
        application/json; {"destination", "filename", "fileSize", optional
        "folder", "hasXmp", "checkoutId", "comment", "metadata": {"fields":
        [{"id", "action", "value"}], "attributes": []}}. 200 {"id",
        "chunkSize", "numChunks", "hasXmp"}. 400 {"message"} for a wrong
        Content-Type, bad JSON, or a missing or invalid member; the
        destination must be a path (or absolute URL) under
        /fotoweb/archives/ (a collection, or an asset URL ending in .info
        for a new revision); the collection /fotoweb/archives/5999-ReadOnly/
        is 403 (not allowed).
  POST /fotoweb/api/uploads/<id>/chunks/<n> multipart/form-data with one part
        named "chunk"; 204. 400 index out of range, a size other than
        chunkSize (or the remainder, for the last chunk), no or two "chunk"
        parts, a malformed multipart body; 404 unknown upload; 409 chunk
        already received; 415 not multipart/form-data.
  POST /fotoweb/api/uploads/<id>/xmp         multipart/form-data, one part (or
        the one named "xmp"); 204; 400 when hasXmp was false; 409 when
        already received; 404; 415.
  GET  /fotoweb/api/uploads/<id>/status      {"status", "result", "error"}:
        "awaitingData" until every chunk (and the XMP, if announced) is in;
        then "pending" for the first poll, "inProgress" for the next ones,
        status_polls polls in all, then "done" with {"assetUrl": <the
        destination collection>/<folder>/<filename>.info} (the destination
        itself for a revision), or "failed" with {"value", "message"} when
        fail_status was set. result and error are null when they do not
        apply, as a .NET server writes them.
  A 0-byte file has numChunks 0: it is complete once created (the status
  goes straight to "pending"), and any chunk POST is 400 (index out of
  range). Real FotoWeb does not document this case; 0 chunks is what
  ceil(0 / chunkSize) says, and a client must not send an empty chunk.
  Settings: chunk_size (default 1 MiB), status_polls (default 2; 0 answers
  "done" at once), chunk_delay (seconds before each chunk's answer, to
  stretch an upload past a token's life). A chunk request whose body ends
  early (the client gave up mid-body) gets no answer and keeps nothing.
  Uploads are kept in memory until deleted through the control endpoint.

Test-only control (refused with 403 unless started with --control):
  GET  /_emulator/config   the current settings
  PUT  /_emulator/config   a JSON object of settings to change (the same
                           names as the options, with '_' for '-'); with
                           "reset": true the start-up settings come back and
                           the statistics are zeroed first (uploads stay).
                           All or nothing: an unknown name or a bad value
                           changes nothing.
  GET  /_emulator/stats    {"token_requests", "tokens_issued", "last_token",
                           "last_client_auth", "last_status", "last_error",
                           "api_requests", "api_401", "uploads_created",
                           "last_upload_id", "chunk_posts", "status_polls",
                           "faults_fired", "connections" (TCP connections
                           accepted), "last_token_request_bytes" (request
                           line + headers + body of the last token request,
                           as read off the connection), "last_token_tls"
                           (protocol and cipher it came over), and
                           "cpu_seconds" (this process's CPU time, not reset),
                           "token_in_flight", "token_in_flight_max",
                           "bearer_unknown", "bearer_expired",
                           "tls_handshakes", "tls_resumed" (TLS handshakes
                           completed, and those that resumed a session:
                           warm starts)}
                           connections..cpu_seconds are for make bench
                           (tests/bench/bench.py); the token/bearer counters
                           for the tests that share a client between threads.
  GET  /_emulator/uploads  {"ids": [...]} in order of creation
  GET  /_emulator/uploads/<id>         {"sha256", "size" (of the chunks
                           received, in index order), "chunks_received",
                           "chunk_posts" (complete chunk requests, whatever
                           the answer), "xmp", "xmp_sha256", "xmp_size",
                           "complete", "status", "status_polls", "request"
                           (the create body as parsed), "chunk_log" ([index,
                           outcome, bytes] per chunk request, in order:
                           stored, duplicate, bad_index, bad_size, bad_body,
                           not_multipart, retry_after, reset, dropped,
                           truncated, unauthorized), "chunk_times" ([index,
                           headers in, body in] per chunk request that
                           reached the Upload API or ended early, the
                           emulator's monotonic seconds: make field's
                           server-side chunk goodput)}
  GET  /_emulator/uploads/<id>/data    the file as assembled so far
  DELETE /_emulator/uploads/<id>       forget it (frees the memory)
The settings apply to every request until changed, except the one-shot
faults, which fire once and then clear themselves:
  retry_after_on_chunk k   the first POST of chunk k (of any upload) gets
                           503 with Retry-After: 1; the chunk is not kept
  reset_on_chunk k         the first POST of chunk k is read whole, not
                           kept, and the connection is reset (TCP RST, no
                           TLS close_notify, no answer)
  drop_answer_on_chunk k   the first POST of chunk k is kept, then the
                           connection is closed without an answer (bare
                           FIN): the client resends it and meets 409
  fail_status true         the next upload to complete ends "failed"
"""
import argparse
import base64
import binascii
import copy
import email.utils
import gzip
import hashlib
import json
import os
import re
import secrets
import socket
import ssl
import struct
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

FAULTS = ("none", "slow", "chunked", "wrong_token_type", "missing_fields", "huge_token",
          "fraction", "html_502", "invalid_client", "access_denied", "oauth_error",
          "drop_mid_body")  # + the HOSTILE_TOKEN_ANSWERS modes, below
EXPIRES_IN_FORMATS = ("int", "fraction", "omit")
HUGE_TOKEN_SIZE = 1 << 20
MAX_TOKEN_SIZE = 16 << 20
FORM_TYPE = "application/x-www-form-urlencoded"
JSON_TYPE = "application/json"
DEFAULT_CHUNK_SIZE = 1 << 20
MAX_FILE_SIZE = 25 * 10**9      # FotoWeb's documented limit
MAX_BODY = 128 << 20            # a request body the emulator reads at all
READ_ONLY_COLLECTION = "/fotoweb/archives/5999-ReadOnly/"
ONE_SHOT_FAULTS = ("retry_after_on_chunk", "reset_on_chunk", "drop_answer_on_chunk",
                   "fail_status")
HTML_502 = (b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
            b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
            b"</body>\r\n</html>\r\n")


TEN_YEARS_S = 10 * 365 * 86400
# Kept headers longer than the client's slots for them (api_fault long_headers).
LONG_RETRY_AFTER = "0" * 39 + "120"
LONG_CONTENT_TYPE = "application/vnd.fotoware." + "x" * 100 + "+json"
LONG_HEADERS = (("Location", "/fotoweb/archives/5000-Uploads/" + "x" * 309),
                ("WWW-Authenticate", "FotoWare" + "X" * 24 + ' realm="fotoweb"'),
                ("Retry-After", LONG_RETRY_AFTER))


def _token_json(token, **extra):
    members = {"access_token": token, "token_type": "bearer", "expires_in": 3600, **extra}
    return json.dumps(members).encode()


def _raw_token(token, raw):
    """A token answer whose access_token is raw bytes, as they are."""
    return b'{"access_token": "' + token.encode()[:8] + raw + \
        b'", "token_type": "bearer", "expires_in": 3600}'


def _redirect(handler, scheme):
    host = "localhost:%d" % handler.server.server_address[1]
    return 302, "text/html", b"<a>moved</a>", (("Location", f"{scheme}://{host}{handler.path}"),)


# Hostile token answers: mode -> function(handler, token) -> (status,
# content type, body, extra headers). The token is issued (and recorded)
# whatever the answer makes of it.
HOSTILE_TOKEN_ANSWERS = {
    "html_200": lambda h, t: (200, "text/html", HTML_502.replace(b"502 Bad Gateway", b"Welcome"),
                              ()),
    "deep_json": lambda h, t: (200, JSON_TYPE, b"[" * 10000 + b"]" * 10000, ()),
    "deep_member": lambda h, t: (200, JSON_TYPE, _token_json(t)[:-1] + b', "x": '
                                 + b"[" * 500 + b"]" * 500 + b"}", ()),
    "token_bad_utf8": lambda h, t: (200, JSON_TYPE, _raw_token(t, b"\xff\xfe"), ()),
    "token_nul": lambda h, t: (200, JSON_TYPE, _raw_token(t, b"\\u0000x"), ()),
    "token_raw_nul": lambda h, t: (200, JSON_TYPE, _raw_token(t, b"\x00x"), ()),
    "token_crlf": lambda h, t: (200, JSON_TYPE, _raw_token(t, b"\\r\\nX-Injected: 1"), ()),
    "token_space": lambda h, t: (200, JSON_TYPE, _raw_token(t, b" x"), ()),
    "duplicate_keys": lambda h, t: (200, JSON_TYPE, _token_json(t)[:-1]
                                    + b', "access_token": "other"}', ()),
    "trailing_garbage": lambda h, t: (200, JSON_TYPE, _token_json(t) + b' {"more": 1}', ()),
    "expires_string": lambda h, t: (200, JSON_TYPE, _token_json(t, expires_in="3600"), ()),
    "gzip": lambda h, t: (200, JSON_TYPE, gzip.compress(_token_json(t)),
                          (("Content-Encoding", "gzip"),)),
    "redirect_http": lambda h, t: _redirect(h, "http"),
    "redirect_loop": lambda h, t: _redirect(h, "https"),
}


def _retry_after_date():
    return email.utils.formatdate(time.time() + TEN_YEARS_S, usegmt=True)


# API faults: mode -> function(handler, route) -> (status, content type,
# body, extra headers), or None to let the request through.
API_FAULTS = {
    "none": lambda h, r: None,
    "retry_after_10y": lambda h, r: (429, JSON_TYPE, b'{"message": "come back later"}',
                                     (("Retry-After", str(TEN_YEARS_S)),)),
    "retry_after_10y_date": lambda h, r: (429, JSON_TYPE, b'{"message": "come back later"}',
                                          (("Retry-After", _retry_after_date()),)),
    "redirect_http": lambda h, r: _redirect(h, "http"),
    "huge_answer": lambda h, r: (200, JSON_TYPE, b'{"id": "' + b"a" * (1 << 20) + b'"}', ()),
    "bad_upload_id": lambda h, r: None if r != "create" else (
        200, JSON_TYPE, b'{"id": "../../x", "chunkSize": 1000, "numChunks": 3, '
                        b'"hasXmp": false}', ()),
    "long_headers": lambda h, r: h.add_long_headers(),
    "retry_after_too_long": lambda h, r: (503, JSON_TYPE, b'{"message": "busy"}',
                                          (("Retry-After", LONG_RETRY_AFTER),)),
}


# Hostile assetUrl values (see the module text): mode -> the URL as the
# server means it; json.dumps writes the control characters as \n, \u001b.
ASSET_URL_FAULTS = {
    "asset_url_lf": "/fotoweb/archives/5000-Uploads/a.info\nfwc: upload failed, rerun as root",
    "asset_url_esc": "/fotoweb/archives/5000-Uploads/\u001b]0;owned\u0007\u001b[2Ja.info",
    "asset_url_c1": "/fotoweb/archives/5000-Uploads/\u009b2Ja.info",
    "asset_url_utf8": "/fotoweb/archives/5000-Uploads/caf\u00e9.info",
}


def _asset_url_fault(url):
    done = {"status": "done", "result": {"assetUrl": url}, "error": None}
    return lambda h, r: None if r != "status" else (200, JSON_TYPE, json.dumps(done).encode(), ())


API_FAULTS.update({mode: _asset_url_fault(url) for mode, url in ASSET_URL_FAULTS.items()})


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


def _check_number(v, lo, hi):
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not lo <= v <= hi:
        raise ValueError(f"a number in {lo}..{hi}")
    return float(v)


def _check_seconds(v):
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0 <= v <= 60:
        raise ValueError("a number of seconds in 0..60")
    return float(v)


def _check_optional(check):
    def optional(v):
        return None if v is None else check(v)
    return optional


def _check_bool(v):
    if not isinstance(v, bool):
        raise ValueError("true or false")
    return v


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
    "fault": _check_choice(FAULTS + tuple(HOSTILE_TOKEN_ANSWERS)),
    "api_fault": _check_choice(tuple(API_FAULTS)),
    "slow_seconds": _check_seconds,
    "error_code": _check_str,
    "error_status": _check_int(400, 599),
    # Seconds a token is honoured; null: the lifetime its answer announced.
    "token_ttl": _check_optional(lambda v: _check_number(v, 0, 86400)),
    "chunk_size": _check_int(1, 64 << 20),
    "status_polls": _check_int(0, 1000),  # polls answered before the final status
    "chunk_delay": _check_seconds,        # delay before answering each chunk
    # One-shot faults (see the module text): a chunk index, or null for off.
    "retry_after_on_chunk": _check_optional(_check_int(0, 2**31)),
    "reset_on_chunk": _check_optional(_check_int(0, 2**31)),
    "drop_answer_on_chunk": _check_optional(_check_int(0, 2**31)),
    "fail_status": _check_bool,
}


class State:
    lock = threading.Lock()
    control = False
    nodelay = False   # --tcp-nodelay
    initial = {}   # the settings at start-up, for "reset"
    config = {}
    tokens = {}    # token -> expiry, time.monotonic()
    stats = {}
    uploads = {}   # id -> Upload, in order of creation

    @classmethod
    def zero_stats(cls):
        cls.stats = {"token_requests": 0, "tokens_issued": 0, "last_token": None,
                     "last_client_auth": None, "last_status": None, "last_error": None,
                     "api_requests": 0, "api_401": 0, "uploads_created": 0,
                     "last_upload_id": None, "chunk_posts": 0, "status_polls": 0,
                     "faults_fired": [],
                     # For make bench: connections, request size, TLS.
                     "connections": 0, "last_token_request_bytes": None,
                     "last_token_tls": None,
                     # For tests that share one client between threads: token
                     # requests being answered at once (now, and the most seen),
                     # and API requests whose bearer token was never issued
                     # (a half-written one) or had expired.
                     "token_in_flight": 0, "token_in_flight_max": 0,
                     "bearer_unknown": 0, "bearer_expired": 0,
                     # For warm starts: TLS handshakes completed, and how many
                     # of them resumed a session (ID or ticket) instead of a
                     # full handshake.
                     "tls_handshakes": 0, "tls_resumed": 0}

    @classmethod
    def take_fault(cls, name, index=None):
        """True (once) when the one-shot fault name is armed, for index if
        given. Call with the lock held."""
        armed = cls.config.get(name)
        if armed is None or armed is False or (index is not None and armed != index):
            return False
        cls.config[name] = False if name == "fail_status" else None
        cls.stats["faults_fired"].append(name if index is None else f"{name}:{index}")
        return True


State.zero_stats()


def make_token(size):
    """size characters of the b64token alphabet (URL-safe base64 here)."""
    if size == 0:
        return secrets.token_urlsafe(32)
    return secrets.token_urlsafe(size * 3 // 4 + 3)[:size]


def token_ttl(cfg):
    """Seconds the emulator honours a token it issues now."""
    if cfg["token_ttl"] is not None:
        return cfg["token_ttl"]
    if cfg["fault"] == "fraction":
        return 28800
    return cfg["lifetime"]


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


# ---- multipart/form-data (RFC 7578 over RFC 2046), by hand ------------------------

_PARAM = re.compile(r';\s*([!#$%&\'*+.^_`|~0-9A-Za-z-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;\s]*)\s*')


def parse_header_params(value):
    """"type/sub; a=1; b="x y"" -> ("type/sub", {"a": "1", "b": "x y"}),
    the type lowercased, parameter names too."""
    head, sep, rest = value.partition(";")
    params, pos, rest = {}, 0, sep + rest
    while pos < len(rest):
        if not rest[pos:].strip(" \t;"):
            break  # a trailing ';' or blanks
        m = _PARAM.match(rest, pos)
        if not m:
            raise ValueError("malformed parameters: " + rest[pos:pos + 40])
        v = m.group(2)
        if v.startswith('"'):
            v = re.sub(r'\\(.)', r'\1', v[1:-1])
        params[m.group(1).lower()] = v
        pos = m.end()
    return head.strip().lower(), params


def parse_multipart(body, boundary):
    """The parts of a multipart body: [(headers {lowercased name: value},
    data)]. ValueError for anything malformed: no opening delimiter, no CRLF
    after one, a header block without its blank line, no close delimiter."""
    if not 1 <= len(boundary) <= 70:
        raise ValueError("boundary of 1..70 characters expected")
    delim = b"--" + boundary.encode("latin-1")
    if body.startswith(delim):
        pos = len(delim)
    else:
        i = body.find(b"\r\n" + delim)  # after a preamble
        if i < 0:
            raise ValueError("no opening boundary")
        pos = i + 2 + len(delim)
    parts = []
    while True:
        if body[pos:pos + 2] == b"--":
            return parts  # the close delimiter; the epilogue is ignored
        while body[pos:pos + 1] in (b" ", b"\t"):
            pos += 1  # transport padding
        if body[pos:pos + 2] != b"\r\n":
            raise ValueError("no CRLF after a boundary")
        pos += 2
        if body[pos:pos + 2] == b"\r\n":
            head, start = b"", pos + 2
        else:
            end = body.find(b"\r\n\r\n", pos, pos + 16384)
            if end < 0:
                raise ValueError("part headers without their blank line")
            head, start = body[pos:end], end + 4
        headers = {}
        for line in head.split(b"\r\n") if head else ():
            name, colon, value = line.decode("latin-1").partition(":")
            if not colon or not name or name != name.strip():
                raise ValueError("malformed part header: " + line[:60].decode("latin-1"))
            headers[name.lower()] = value.strip()
        end = body.find(b"\r\n" + delim, start)
        if end < 0:
            raise ValueError("no closing boundary")
        parts.append((headers, body[start:end]))
        pos = end + 2 + len(delim)


def part_name(headers):
    try:
        kind, params = parse_header_params(headers.get("content-disposition", ""))
    except ValueError:
        return None
    return params.get("name") if kind == "form-data" else None


# ---- the Upload API's state ------------------------------------------------------------

class Upload:
    """One upload: what create said, the chunks and XMP received, the polls."""

    def __init__(self, uid, request, dest, folder, filename, size, chunk_size, has_xmp):
        self.id, self.request = uid, request
        self.destination, self.folder, self.filename = dest, folder, filename
        self.size, self.chunk_size, self.has_xmp = size, chunk_size, has_xmp
        self.num_chunks = -(-size // chunk_size)  # 0 for a 0-byte file
        self.chunks = {}
        self.chunk_log = []
        self.chunk_posts = 0
        self.chunk_times = []   # [index, headers in, body in], as chunk_log
        self.xmp = None
        self.xmp_part = None
        self.complete = False
        self.fail = False
        self.polls = 0            # status requests, all of them
        self.polls_complete = 0   # ... once the data was complete
        self.last_status = "awaitingData"

    def expected_size(self, index):
        if index < self.num_chunks - 1:
            return self.chunk_size
        return self.size - self.chunk_size * (self.num_chunks - 1)

    def check_complete(self):
        """Mark it complete once everything announced is in (lock held)."""
        if self.complete or len(self.chunks) != self.num_chunks:
            return
        if self.has_xmp and self.xmp is None:
            return
        self.complete = True
        self.fail = State.take_fault("fail_status")

    def asset_url(self):
        if self.destination.endswith(".info"):
            return self.destination  # a new revision of that asset
        segs = [urllib.parse.quote(seg) for seg in self.folder]
        return "/".join([self.destination.rstrip("/")] + segs
                        + [urllib.parse.quote(self.filename) + ".info"])

    def poll(self, status_polls):
        """The status document of one poll (lock held)."""
        self.polls += 1
        result = error = None
        if not self.complete:
            status = "awaitingData"
        else:
            n = self.polls_complete
            self.polls_complete += 1
            if n < status_polls:
                status = "pending" if n == 0 else "inProgress"
            elif self.fail:
                status = "failed"
                error = {"value": 1, "message": "the emulator was told to fail this upload"}
            else:
                status = "done"
                result = {"assetUrl": self.asset_url()}
        self.last_status = status
        return {"status": status, "result": result, "error": error}

    def data(self):
        return b"".join(self.chunks[i] for i in sorted(self.chunks))

    def summary(self):
        sha = hashlib.sha256()
        size = 0
        for i in sorted(self.chunks):
            sha.update(self.chunks[i])
            size += len(self.chunks[i])
        return {"id": self.id, "sha256": sha.hexdigest(), "size": size,
                "file_size": self.size, "chunk_size": self.chunk_size,
                "num_chunks": self.num_chunks, "chunks_received": len(self.chunks),
                "chunk_posts": self.chunk_posts, "xmp": self.xmp is not None,
                "xmp_sha256": hashlib.sha256(self.xmp).hexdigest() if self.xmp is not None
                else None, "xmp_size": len(self.xmp) if self.xmp is not None else None,
                "xmp_part": self.xmp_part, "has_xmp": self.has_xmp,
                "complete": self.complete, "status": self.last_status,
                "status_polls": self.polls, "asset_url": self.asset_url(),
                "request": self.request, "chunk_log": list(self.chunk_log),
                "chunk_times": list(self.chunk_times)}


class ApiError(Exception):
    """A FotoWeb API error answer: status and message."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status, self.message = status, message


def _optional_str(req, name):
    v = req.get(name)
    if v is not None and not isinstance(v, str):
        raise ApiError(400, f"{name}: a string or null expected")
    return v


def check_create(req):
    """The create body, checked: (destination, folder segments, filename,
    size, hasXmp). ApiError for what FotoWeb would refuse."""
    if not isinstance(req, dict):
        raise ApiError(400, "a JSON object is expected")
    dest = req.get("destination")
    if not isinstance(dest, str) or not dest:
        raise ApiError(400, "destination: a collection or asset URL is required")
    parts = urllib.parse.urlsplit(dest)
    if parts.scheme and (parts.scheme not in ("http", "https") or not parts.netloc):
        raise ApiError(400, "destination: not a URL of this server")
    path = parts.path
    prefix = "/fotoweb/archives/"
    if not path.startswith(prefix) or len(path.strip("/")) <= len(prefix.strip("/")) \
            or parts.query or parts.fragment or "//" in path:
        raise ApiError(400, "destination: no such collection")
    if (path.rstrip("/") + "/").startswith(READ_ONLY_COLLECTION):
        raise ApiError(403, "destination: uploads to this collection are not allowed")
    size = req.get("fileSize")
    if isinstance(size, bool) or not isinstance(size, int) or not 0 <= size <= MAX_FILE_SIZE:
        raise ApiError(400, f"fileSize: an integer number of bytes in 0..{MAX_FILE_SIZE}")
    filename = req.get("filename")
    if not isinstance(filename, str) or not filename or filename in (".", "..") \
            or any(c in filename for c in "/\\") or any(ord(c) < 32 for c in filename):
        raise ApiError(400, "filename: a file name is required")
    folder = _optional_str(req, "folder") or ""
    segs = [seg for seg in folder.split("/") if seg]
    if any(seg in (".", "..") or any(ord(c) < 32 for c in seg) for seg in segs):
        raise ApiError(400, "folder: not a usable sub-path")
    has_xmp = req.get("hasXmp", False)
    if not isinstance(has_xmp, bool):
        raise ApiError(400, "hasXmp: true or false")
    _optional_str(req, "checkoutId")
    _optional_str(req, "comment")
    meta = req.get("metadata")
    if meta is not None:
        if not isinstance(meta, dict):
            raise ApiError(400, "metadata: an object expected")
        fields = meta.get("fields", [])
        if not isinstance(fields, list):
            raise ApiError(400, "metadata.fields: a list expected")
        for f in fields:
            if not isinstance(f, dict) or isinstance(f.get("id"), bool) \
                    or not isinstance(f.get("id"), int) \
                    or not isinstance(f.get("action"), str) or not f.get("action"):
                raise ApiError(400, "metadata.fields: {id: integer, action, value} expected")
            v = f.get("value")
            if not (v is None or isinstance(v, str)
                    or (isinstance(v, list) and all(isinstance(x, str) for x in v))):
                raise ApiError(400, "metadata.fields: value a string or a list of strings")
        if not isinstance(meta.get("attributes", []), list):
            raise ApiError(400, "metadata.attributes: a list expected")
    return dest, segs, filename, size, has_xmp


class BadRequest(Exception):
    """An OAuth error answer: status, error code, description, extra headers."""

    def __init__(self, status, error, description, headers=()):
        super().__init__(description)
        self.status, self.error, self.description, self.headers = (status, error, description,
                                                                  headers)


class CountingReader:
    """The connection's reader, counting the bytes the handler takes from it
    (make bench reports a token request's size on the wire from this)."""

    def __init__(self, raw):
        self.raw, self.count = raw, 0

    def readline(self, *args):
        line = self.raw.readline(*args)
        self.count += len(line)
        return line

    def read(self, *args):
        data = self.raw.read(*args)
        self.count += len(data)
        return data

    def __getattr__(self, name):
        return getattr(self.raw, name)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FotoWebEmulator/0.3"

    # ---- bookkeeping for make bench: connections, TLS, request sizes -----------

    def setup(self):
        super().setup()
        self.rfile = CountingReader(self.rfile)
        self.tls = None
        if isinstance(self.connection, ssl.SSLSocket):
            self.tls = "%s %s" % (self.connection.version(),
                                  (self.connection.cipher() or ("?",))[0])
        if State.nodelay:
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        resumed = self.tls is not None and self.connection.session_reused
        with State.lock:
            State.stats["connections"] += 1
            if self.tls is not None:
                State.stats["tls_handshakes"] += 1
                State.stats["tls_resumed"] += int(resumed)

    def handle_one_request(self):
        self.request_start = self.rfile.count  # where this request's bytes begin
        self.long_headers = False  # per request: a token answer never carries them
        super().handle_one_request()

    def add_long_headers(self):
        """Let the request through; its answer carries LONG_HEADERS."""
        self.long_headers = True

    def log_message(self, fmt, *args):  # keep test output quiet
        if os.environ.get("FWC_EMULATOR_VERBOSE"):
            sys.stderr.write("emulator: " + fmt % args + "\n")

    # ---- answers -------------------------------------------------------------

    def send_body(self, status, body, content_type, chunked=False, headers=()):
        if self.long_headers:
            content_type, headers = LONG_CONTENT_TYPE, tuple(headers) + LONG_HEADERS
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
        """The request body. self.truncated tells whether the connection
        ended (or broke) before all of it arrived."""
        self.truncated = False
        try:
            if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
                body = b""
                while True:
                    line = self.rfile.readline()
                    if not line:
                        self.truncated = True
                        return body
                    size = int(line.split(b";")[0].strip() or b"0", 16)
                    if size == 0:
                        while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                            pass  # trailers
                        return body
                    piece = self.rfile.read(size)
                    body += piece
                    if len(piece) < size or len(body) > MAX_BODY:
                        self.truncated = True
                        return body
                    self.rfile.readline()
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                self.truncated = True
                return b""
            body = self.rfile.read(length) if length else b""
        except (OSError, ValueError):
            self.truncated = True
            return b""
        self.truncated = len(body) < length
        return body

    def do_POST(self):
        self.post_times = [time.monotonic(), None]  # headers in, body in (chunk_times)
        body = self.read_body()
        self.post_times[1] = time.monotonic()
        path = urllib.parse.urlsplit(self.path).path
        if self.truncated:
            # The client gave up inside its body (a failing reader, a
            # crash): nothing to answer, nothing to keep.
            self.close_connection = True
            m = re.fullmatch(r"/fotoweb/api/uploads/([^/]+)/chunks/(\d+)", path)
            with State.lock:
                upload = State.uploads.get(m.group(1)) if m else None
                if upload is not None:
                    upload.chunk_log.append([int(m.group(2)), "truncated", len(body)])
                    upload.chunk_times.append([int(m.group(2))] + self.post_times)
            return None
        if self.path.startswith("/_emulator/"):
            return self.send_json(405, {"message": "use GET, PUT or DELETE", "href": self.path})
        if path.startswith("/fotoweb/api/") or path.startswith("/fotoweb/me/"):
            return self.api("POST", path, body)
        if self.path != "/fotoweb/oauth2/token":
            return self.send_json(404, {"message": "not found", "href": self.path})
        return self.token_request(body)

    def token_request(self, body):
        with State.lock:
            State.stats["token_requests"] += 1
            State.stats["last_token_request_bytes"] = self.rfile.count - self.request_start
            State.stats["last_token_tls"] = self.tls
            State.stats["token_in_flight"] += 1
            State.stats["token_in_flight_max"] = max(State.stats["token_in_flight_max"],
                                                     State.stats["token_in_flight"])
            cfg = copy.deepcopy(State.config)
        try:
            return self.token_exchange(cfg, body)
        finally:
            with State.lock:
                State.stats["token_in_flight"] -= 1

    def token_exchange(self, cfg, body):
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
                State.tokens[token] = time.monotonic() + token_ttl(cfg)
                State.stats["tokens_issued"] += 1
                State.stats["last_token"] = token
        if fault in HOSTILE_TOKEN_ANSWERS:
            status, ctype, body, headers = HOSTILE_TOKEN_ANSWERS[fault](self, token)
            with State.lock:
                State.stats["last_status"] = status
            return self.send_body(status, body, ctype, headers=headers)
        body = token_body(cfg, token)
        ctype = "application/json; charset=utf-8"
        headers = (("Cache-Control", "no-store"), ("Pragma", "no-cache"))
        if fault == "drop_mid_body":
            return self.send_cut(200, body, ctype)
        return self.send_body(200, body, ctype, chunked=fault == "chunked", headers=headers)

    # ---- the API: bearer tokens and the Upload API -----------------------------------

    def authorized(self):
        """True for a known, unexpired bearer token; else answer 401."""
        scheme, _, token = self.headers.get("Authorization", "").strip().partition(" ")
        token = token.strip()
        with State.lock:
            State.stats["api_requests"] += 1
            expiry = State.tokens.get(token) if scheme.lower() == "bearer" else None
            ok = expiry is not None and time.monotonic() < expiry
            if not ok:
                State.stats["api_401"] += 1
                if scheme.lower() == "bearer":
                    State.stats["bearer_expired" if expiry is not None
                                else "bearer_unknown"] += 1
        if ok:
            return True
        challenge = 'Bearer realm="fotoweb"'
        if expiry is not None:
            challenge += ', error="invalid_token", error_description="the token expired"'
        self.send_response(401)
        self.send_header("WWW-Authenticate", challenge)
        self.send_header("Content-Length", "0")
        self.end_headers()
        return False

    def api_error(self, status, message, headers=()):
        return self.send_json(status, {"message": message, "href": self.path}, headers=headers)

    def api(self, method, path, body=b""):
        """Every request under /fotoweb/api/ and /fotoweb/me/."""
        route = chunk_index = None
        uid = None
        m = re.fullmatch(r"/fotoweb/api/uploads/([^/]+)/(chunks/([^/]+)|xmp|status)", path)
        if path == "/fotoweb/api/uploads":
            route = "create"
        elif m:
            uid = m.group(1)
            route = "chunk" if m.group(3) is not None else m.group(2)
            chunk_index = m.group(3)
        elif path == "/fotoweb/me/":
            route = "me"
        want = {"create": "POST", "chunk": "POST", "xmp": "POST", "status": "GET", "me": "GET"}
        if not self.authorized():
            if route == "chunk":
                with State.lock:
                    upload = State.uploads.get(uid)
                    if upload is not None:
                        upload.chunk_log.append([_index(chunk_index), "unauthorized",
                                                 len(body)])
            return None
        with State.lock:
            fault = API_FAULTS[State.config["api_fault"]](self, route)
        if fault is not None:
            status, ctype, body, headers = fault
            return self.send_body(status, body, ctype, headers=headers)
        if route is None:
            return self.api_error(404, "not found")
        if want[route] != method:
            return self.api_error(405, f"use {want[route]}")
        if route == "me":
            return self.send_json(200, {"user": {"userName": "script"},
                                        "archives": "/fotoweb/me/archives/"}, chunked=True)
        try:
            if route == "create":
                return self.upload_create(body)
            with State.lock:
                upload = State.uploads.get(uid)
            if upload is None:
                raise ApiError(404, "no such upload")
            if route == "chunk":
                return self.upload_chunk(upload, chunk_index, body)
            if route == "xmp":
                return self.upload_xmp(upload, body)
            with State.lock:
                State.stats["status_polls"] += 1
                doc = upload.poll(State.config["status_polls"])
            return self.send_json(200, doc)
        except ApiError as e:
            return self.api_error(e.status, e.message)

    def upload_create(self, body):
        media = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if media != JSON_TYPE:
            raise ApiError(400, "Content-Type must be " + JSON_TYPE)
        try:
            req = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise ApiError(400, "the body is not JSON")
        dest, folder, filename, size, has_xmp = check_create(req)
        with State.lock:
            uid = base64.urlsafe_b64encode(secrets.token_bytes(18)).decode()
            upload = Upload(uid, req, dest, folder, filename, size, State.config["chunk_size"],
                            has_xmp)
            upload.check_complete()  # a 0-byte file without XMP is complete now
            State.uploads[uid] = upload
            State.stats["uploads_created"] += 1
            State.stats["last_upload_id"] = uid
        return self.send_json(200, {"id": uid, "chunkSize": upload.chunk_size,
                                    "numChunks": upload.num_chunks, "hasXmp": has_xmp})

    def multipart_parts(self, body):
        """The parts of a multipart/form-data body: 415 if it is not one,
        400 if it is malformed."""
        try:
            media, params = parse_header_params(self.headers.get("Content-Type", ""))
        except ValueError:
            media, params = "", {}
        if media != "multipart/form-data":
            raise ApiError(415, "multipart/form-data expected")
        if "boundary" not in params:
            raise ApiError(400, "multipart/form-data without a boundary")
        try:
            return parse_multipart(body, params["boundary"])
        except ValueError as e:
            raise ApiError(400, "malformed multipart body: " + str(e))

    def upload_chunk(self, upload, index_text, body):
        index = _index(index_text)
        log = [index, None, 0]
        with State.lock:
            upload.chunk_posts += 1
            State.stats["chunk_posts"] += 1
            upload.chunk_log.append(log)
            upload.chunk_times.append([index] + self.post_times)
            retry = State.take_fault("retry_after_on_chunk", index)
            reset = not retry and State.take_fault("reset_on_chunk", index)
        if retry:
            log[1] = "retry_after"
            return self.api_error(503, "busy, try again", (("Retry-After", "1"),))
        if reset:
            log[1] = "reset"
            return self.reset_connection()
        try:
            parts = self.multipart_parts(body)
        except ApiError as e:
            log[1] = "not_multipart" if e.status == 415 else "bad_body"
            raise
        chunks = [data for headers, data in parts if part_name(headers) == "chunk"]
        log[2] = len(chunks[0]) if chunks else 0
        if len(chunks) != 1:
            log[1] = "bad_body"
            raise ApiError(400, f'one part named "chunk" expected, found {len(chunks)}')
        with State.lock:
            if index is None or index >= upload.num_chunks:
                log[1] = "bad_index"
                raise ApiError(400, f"chunk index out of range 0..{upload.num_chunks - 1}")
            if index in upload.chunks:
                log[1] = "duplicate"
                raise ApiError(409, f"chunk {index} already received")
            if len(chunks[0]) != upload.expected_size(index):
                log[1] = "bad_size"
                raise ApiError(400, f"chunk {index} must be {upload.expected_size(index)} "
                                    f"bytes, not {len(chunks[0])}")
            upload.chunks[index] = chunks[0]
            upload.check_complete()
            log[1] = "stored"
            drop = State.take_fault("drop_answer_on_chunk", index)
            delay = State.config["chunk_delay"]
        if drop:
            log[1] = "dropped"
            return self.drop_connection()
        if delay:
            time.sleep(delay)
        return self.send_no_content()

    def upload_xmp(self, upload, body):
        parts = self.multipart_parts(body)
        if len(parts) != 1:
            parts = [p for p in parts if part_name(p[0]) == "xmp"]
            if len(parts) != 1:
                raise ApiError(400, 'one part (or one named "xmp") expected')
        headers, data = parts[0]
        with State.lock:
            if not upload.has_xmp:
                raise ApiError(400, "this upload was created with hasXmp false")
            if upload.xmp is not None:
                raise ApiError(409, "the XMP was already received")
            upload.xmp = data
            upload.xmp_part = part_name(headers)
            upload.check_complete()
        return self.send_no_content()

    def send_no_content(self):
        self.send_response(204)
        self.end_headers()

    def reset_connection(self):
        """No answer; TCP RST (SO_LINGER 0), no TLS close_notify."""
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
        except OSError:
            pass
        self.connection.close()  # the real close (RST) follows when rfile is closed

    def drop_connection(self):
        """No answer; a bare TCP FIN, no TLS close_notify."""
        self.close_connection = True
        self.wfile.flush()
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    # ---- the control endpoint ------------------------------------------------------

    def control(self, method, body=b""):
        if not State.control:
            return self.send_json(403, {"message": "control endpoint disabled "
                                                   "(start the emulator with --control)",
                                        "href": self.path})
        if self.path == "/_emulator/stats" and method == "GET":
            with State.lock:
                stats = copy.deepcopy(State.stats)
            stats["cpu_seconds"] = time.process_time()
            return self.send_json(200, stats)
        if self.path == "/_emulator/uploads" and method == "GET":
            with State.lock:
                return self.send_json(200, {"ids": list(State.uploads)})
        m = re.fullmatch(r"/_emulator/uploads/([^/]+)(/data)?", self.path)
        if m:
            # The answer is made under the lock and sent outside it.
            with State.lock:
                upload = State.uploads.get(m.group(1))
                if upload is None:
                    answer = (404, {"message": "no such upload", "href": self.path})
                elif method == "DELETE" and not m.group(2):
                    del State.uploads[upload.id]
                    answer = None
                elif method != "GET":
                    answer = (405, {"message": "use GET or DELETE", "href": self.path})
                elif m.group(2):
                    answer = upload.data()
                else:
                    answer = (200, upload.summary())
            if answer is None:
                return self.send_no_content()
            if isinstance(answer, bytes):
                return self.send_body(200, answer, "application/octet-stream")
            return self.send_json(*answer)
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

    def do_DELETE(self):
        self.read_body()
        if self.path.startswith("/_emulator/"):
            return self.control("DELETE")
        return self.send_json(404, {"message": "not found", "href": self.path})

    def do_GET(self):
        if self.path.startswith("/_emulator/"):
            return self.control("GET")
        return self.api("GET", urllib.parse.urlsplit(self.path).path)


def _index(text):
    """A chunk index from the URL, or None when it is not a decimal number."""
    return int(text) if text is not None and text.isdigit() and len(text) < 12 else None


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
    ap.add_argument("--bind", default="127.0.0.1",
                    help="the address to listen on (a test's private network namespace)")
    ap.add_argument("--port-file", help="write the listening port here when ready")
    ap.add_argument("--tls-cert", help="serve HTTPS with this certificate (PEM)")
    ap.add_argument("--tls-key", help="... and this key")
    ap.add_argument("--control", action="store_true",
                    help="enable the test-only /_emulator/ control endpoint")
    ap.add_argument("--tcp-nodelay", action="store_true",
                    help="send each write at once (TCP_NODELAY), as production servers "
                         "do; without it an answer written in two pieces waits for the "
                         "client's delayed ACK (about 40 ms on Linux)")
    ap.add_argument("--client-id", default="demo-client")
    ap.add_argument("--client-secret", default="s3cr+t/with=odd&chars")
    ap.add_argument("--grant-type", default="client_credentials",
                    help="the grant type accepted (another one tests the refusal)")
    ap.add_argument("--lifetime", type=int, default=3600, help="expires_in, seconds")
    ap.add_argument("--expires-in", choices=EXPIRES_IN_FORMATS, default="int",
                    help="how expires_in is written")
    ap.add_argument("--token-size", type=int, default=0,
                    help="access token length (0: 43 characters)")
    ap.add_argument("--fault", choices=FAULTS + tuple(HOSTILE_TOKEN_ANSWERS), default="none")
    ap.add_argument("--api-fault", choices=tuple(API_FAULTS), default="none",
                    help="answer every authorized API request this way")
    ap.add_argument("--slow-seconds", type=float, default=2.0,
                    help="delay of the slow fault mode")
    ap.add_argument("--error-code", default="invalid_request",
                    help="error of the oauth_error fault mode")
    ap.add_argument("--error-status", type=int, default=400,
                    help="HTTP status of the oauth_error fault mode")
    ap.add_argument("--token-ttl", type=float, default=None,
                    help="seconds a token is honoured (default: its announced lifetime)")
    ap.add_argument("--chunk-size", type=int, default=DEFAULT_CHUNK_SIZE,
                    help="the upload chunk size the server asks for")
    ap.add_argument("--status-polls", type=int, default=2,
                    help="status polls answered pending/inProgress before done or failed")
    ap.add_argument("--chunk-delay", type=float, default=0.0,
                    help="seconds to wait before answering each chunk")
    ap.add_argument("--retry-after-on-chunk", type=int, default=None, metavar="K",
                    help="503 with Retry-After: 1 to the first POST of chunk K (once)")
    ap.add_argument("--reset-on-chunk", type=int, default=None, metavar="K",
                    help="reset the connection on the first POST of chunk K (once)")
    ap.add_argument("--drop-answer-on-chunk", type=int, default=None, metavar="K",
                    help="keep chunk K, then close without answering (once)")
    ap.add_argument("--fail-status", action="store_true",
                    help="the next upload to complete ends failed (once)")
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
    State.nodelay = args.tcp_nodelay

    server = Server((args.bind, args.port), Handler)
    if args.tls_cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.minimum_version = ssl.TLSVersion.TLSv1_2
        ctx.load_cert_chain(args.tls_cert, args.tls_key)
        # One context for every connection, so a session it issued (a TLS
        # 1.2 session ID or ticket, a TLS 1.3 ticket) resumes on the next
        # connection: the ticket keys and the session cache live in it.
        ctx.options &= ~ssl.OP_NO_TICKET
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
