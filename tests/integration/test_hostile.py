#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""fwc against hostile servers: every case must end in its own named error
(include/fwc/error.h), or in FWC_OK where the server's answer stands despite
an oddity (a kept header longer than its slot), with nothing leaked, and
never hang.

Usage: test_hostile.py --short DIR --timeouts CONNECT,IO,EXCHANGE,UPLOAD_STATUS
                       PROBE [PROBE ...]
  PROBE   token_probe, upload_probe and tls_probe binaries, for one or more
          mbedTLS lines (build/asan/..., build/asan36/...): every case that
          does not wait out a timeout runs against each line.
  --short a folder with the same three probes built with short timeouts
          (tests/integration/hostile.mk); the cases that wait out a timeout
          or deadline run against those, so the test stays quick.
  --timeouts  the milliseconds those probes were built with
          (CONFIG_FWC_CONNECT_TIMEOUT_MS, _IO_, _EXCHANGE_, _UPLOAD_STATUS_):
          a timed case must have waited its timeout out. How much longer it
          took is not judged here: on a loaded machine any upper bound is
          a guess. The exact deadlines are checked on a virtual clock in
          tests/unit/test_faults.c; here only a hang (HANG_S) fails.
  --only SUBSTRING   run the cases whose name holds it (for debugging)

Servers: tests/server/hostile_server.py (raw HTTP over TLS, TLS tricks,
openssl s_server for renegotiation) in threads of this process, and one
FotoWeb emulator (tests/server/fotoweb_emulator.py) for the hostile token
answers and API faults, set through its control endpoint. The catalogue is
CASES below; docs/HOSTILE.md lists it with what each server does.

Each case checks the probe's result code against the name it must be (the
code is read from error.h, so a renumbering cannot hide a change), the time
it waited, and where it says so what the server saw (one token request, no
redirect followed, ...). Prints TAP; exit 1 on a failure.
"""
import collections
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "server"))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import hostile_server  # noqa: E402
import test_token  # noqa: E402  (the emulator harness, credentials, leak checks)
from test_upload import error_codes  # noqa: E402  (names -> codes from error.h)

DEST = "/fotoweb/archives/5000-Uploads/"
HANG_S = 60            # a probe still running then is killed: a hang, never slowness
CERT_UNTRUSTED, CERT_EXPIRED, CERT_HOST, CERT_OTHER = 0x1, 0x2, 0x8, 0x10


CODES = error_codes()
NAMES = {v: k for k, v in CODES.items()}

# A case: its name; the server ("hostile" mode, or "emulator" settings);
# the probe (token, upload, tls); the error it must end in; for a timed
# case, a function of the short timeouts giving the seconds it must at least
# have waited (None: an untimed case); and an extra check (result, server
# facts) -> None when good, else why not.
Case = collections.namedtuple("Case", "name server setting probe error bound extra")


def case(name, server, setting, probe, error, bound=None, extra=None):
    return Case(name, server, setting, probe, error, bound, extra)


def status_is(want):
    return lambda r, seen: None if r.get("status") == want else f"HTTP status {r.get('status')}, "\
        f"wanted {want}"


def cert_has(flag):
    return lambda r, seen: None if r.get("cert", 0) & flag else \
        f"certificate problems 0x{r.get('cert', 0):x}, wanted 0x{flag:x} among them"


def stat(name, want):
    def check(r, seen):
        got = seen.get(name)
        ok = want(got) if callable(want) else got == want
        return None if ok else f"the emulator's {name} is {got}"
    return check


def both(*checks):
    def check(r, seen):
        whys = [w for w in (c(r, seen) for c in checks) if w]
        return "; ".join(whys) or None
    return check


def one_token_request():
    return stat("token_requests", 1)


def requests_seen(n):
    return lambda r, seen: None if seen.get("requests") == n else \
        f"the server saw {seen.get('requests')} request(s), wanted {n}"


H, E = "hostile", "emulator"
CASES = [
    # ---- status line and headers (token probe, hostile server) ----
    case("endless headers", H, "endless_headers", "token", "FWC_ERR_HTTP_TOO_MANY_HEADERS"),
    case("one header line that never ends", H, "endless_header_line", "token",
         "FWC_ERR_HTTP_LINE_TOO_LONG"),
    case("100 Continue for ever (1xx flood)", H, "interim_flood", "token",
         "FWC_ERR_HTTP_TOO_MANY_HEADERS"),
    case("header line without a colon", H, "header_without_colon", "token",
         "FWC_ERR_HTTP_HEADER"),
    case("NUL in a header value", H, "nul_in_header", "token", "FWC_ERR_HTTP_HEADER"),
    case("obs-fold header line", H, "obs_fold", "token", "FWC_ERR_HTTP_HEADER"),
    case("302 with a 900-byte Location: the slot is marked, the 302 is the answer", H,
         "huge_location", "token", "FWC_ERR_HTTP_STATUS", extra=status_is(302)),
    case("status code 999", H, "obscene_status", "token", "FWC_ERR_HTTP_STATUS_LINE"),
    case("HTTP/0.9 answer (body, no status line)", H, "http09", "token",
         "FWC_ERR_HTTP_STATUS_LINE"),
    case("101 Switching Protocols", H, "switching_protocols", "token", "FWC_ERR_HTTP_FRAMING"),
    case("status line, then close", H, "status_line_then_close", "token",
         "FWC_ERR_HTTP_TRUNCATED"),
    case("close without a byte of answer", H, "no_answer_close", "token",
         "FWC_ERR_CONN_CLOSED", extra=requests_seen(1)),
    case("TCP reset instead of an answer", H, "reset", "token", "FWC_ERR_CONN_RESET",
         extra=requests_seen(1)),
    case("204 with a body", H, "no_content_with_body", "token", "FWC_ERR_HTTP_STATUS",
         extra=status_is(204)),
    # ---- framing ----
    case("Content-Length: 1 GB", H, "content_length_1gb", "token", "FWC_ERR_BODY_TOO_LARGE"),
    case("Content-Length: -1", H, "content_length_negative", "token",
         "FWC_ERR_HTTP_CONTENT_LENGTH"),
    case("two different Content-Lengths", H, "content_length_twice", "token",
         "FWC_ERR_HTTP_CONTENT_LENGTH"),
    case("Content-Length and chunked together", H, "content_length_and_chunked", "token",
         "FWC_ERR_HTTP_FRAMING"),
    case("Transfer-Encoding: gzip, chunked", H, "unknown_coding", "token",
         "FWC_ERR_HTTP_FRAMING"),
    case("chunked in HTTP/1.0", H, "chunked_http10", "token", "FWC_ERR_HTTP_FRAMING"),
    case("chunk size that overflows 64 bits", H, "chunk_size_overflow", "token",
         "FWC_ERR_HTTP_CHUNK"),
    case("chunk extension flood", H, "chunk_extension_flood", "token",
         "FWC_ERR_HTTP_LINE_TOO_LONG"),
    case("chunk data without its CRLF", H, "chunk_without_crlf", "token", "FWC_ERR_HTTP_CHUNK"),
    case("chunked body cut by close_notify", H, "truncated_chunked", "token",
         "FWC_ERR_HTTP_TRUNCATED"),
    case("trailer flood", H, "trailer_flood", "token", "FWC_ERR_HTTP_TOO_MANY_HEADERS"),
    case("close-delimited body cut by a bare TCP FIN", H, "cut_close_delimited", "token",
         "FWC_ERR_HTTP_TRUNCATED"),
    # ---- time (short-timeout probes) ----
    case("slowloris: one byte a second", H, "slowloris", "token", "FWC_ERR_TIMEOUT",
         bound=lambda t: t["exchange"] - 0.5),
    case("stall mid-body", H, "stall_mid_body", "token", "FWC_ERR_TIMEOUT",
         bound=lambda t: t["io"] - 0.5),
    case("TLS handshake never answered", H, "silent", "tls", "FWC_ERR_TIMEOUT",
         bound=lambda t: t["connect"] - 0.5),
    # ---- TLS (tls probe, hostile server or openssl s_server) ----
    case("fatal TLS alert mid-body", H, "alert_mid_body", "tls", "FWC_ERR_TLS"),
    case("cleartext bytes mid-body on the TLS stream", H, "garbage_record_mid_body", "tls",
         "FWC_ERR_TLS"),
    case("server-initiated renegotiation mid-body (TLS 1.2 HelloRequest)", H, "renegotiate",
         "tls", "FWC_ERR_TLS",
         extra=lambda r, seen: None if seen.get("renegotiation_refused") else
         "openssl s_server did not log the client's refusal (no renegotiation)"),
    case("cleartext HTTP answer on the TLS port", H, "cleartext", "tls",
         "FWC_ERR_TLS_HANDSHAKE"),
    case("TLS 1.0-only server", H, "tls10", "tls", "FWC_ERR_TLS_HANDSHAKE"),
    case("self-signed certificate", H, "selfsigned", "tls", "FWC_ERR_TLS_CERT",
         extra=cert_has(CERT_UNTRUSTED)),
    case("expired certificate", H, "expired", "tls", "FWC_ERR_TLS_CERT",
         extra=cert_has(CERT_EXPIRED)),
    case("certificate for another host", H, "wronghost", "tls", "FWC_ERR_TLS_CERT",
         extra=cert_has(CERT_HOST)),
    case("chain of 20 certificates", H, "chain20", "tls", "FWC_ERR_TLS_CERT",
         extra=cert_has(CERT_OTHER)),
    case("two empty TLS records, then a bare TCP FIN (close-delimited body)", H,
         "empty_records_then_fin", "tls", "FWC_ERR_HTTP_TRUNCATED"),
    case("four empty TLS records in a row mid-body", H, "empty_records_flood", "tls",
         "FWC_ERR_TLS"),
    # ---- token answers (token probe, emulator) ----
    case("200 with an HTML body", E, {"fault": "html_200"}, "token", "FWC_ERR_TOKEN_RESPONSE",
         extra=one_token_request()),
    case("1 MiB token", E, {"fault": "huge_token"}, "token", "FWC_ERR_BODY_TOO_LARGE"),
    case("JSON nested 10,000 deep", E, {"fault": "deep_json"}, "token",
         "FWC_ERR_BODY_TOO_LARGE"),
    case("member nested 500 deep (fits the buffer)", E, {"fault": "deep_member"}, "token",
         "FWC_ERR_TOKEN_RESPONSE"),
    case("invalid UTF-8 in the token", E, {"fault": "token_bad_utf8"}, "token",
         "FWC_ERR_TOKEN_RESPONSE"),
    case("\\u0000 in the token", E, {"fault": "token_nul"}, "token", "FWC_ERR_TOKEN_RESPONSE"),
    case("raw NUL byte in the token", E, {"fault": "token_raw_nul"}, "token",
         "FWC_ERR_TOKEN_RESPONSE"),
    case("CRLF and a header in the token", E, {"fault": "token_crlf"}, "token",
         "FWC_ERR_TOKEN_RESPONSE"),
    case("space in the token", E, {"fault": "token_space"}, "token", "FWC_ERR_TOKEN_RESPONSE"),
    case("access_token twice, different values", E, {"fault": "duplicate_keys"}, "token",
         "FWC_ERR_TOKEN_RESPONSE"),
    case("JSON with trailing garbage", E, {"fault": "trailing_garbage"}, "token",
         "FWC_ERR_TOKEN_RESPONSE"),
    case("token_type mac, not Bearer", E, {"fault": "wrong_token_type"}, "token",
         "FWC_ERR_TOKEN_RESPONSE"),
    case("no access_token", E, {"fault": "missing_fields"}, "token", "FWC_ERR_TOKEN_RESPONSE"),
    case("expires_in -1", E, {"lifetime": -1}, "token", "FWC_ERR_TOKEN_RESPONSE"),
    case("expires_in 0", E, {"lifetime": 0}, "token", "FWC_ERR_TOKEN_RESPONSE"),
    case("expires_in 2^32", E, {"lifetime": 2**32}, "token", "FWC_ERR_TOKEN_RESPONSE"),
    case("expires_in as a string", E, {"fault": "expires_string"}, "token",
         "FWC_ERR_TOKEN_RESPONSE"),
    case("gzip Content-Encoding", E, {"fault": "gzip"}, "token", "FWC_ERR_TOKEN_RESPONSE"),
    case("token endpoint redirects to http://", E, {"fault": "redirect_http"}, "token",
         "FWC_ERR_HTTP_STATUS", extra=both(status_is(302), one_token_request())),
    case("token endpoint redirects to itself (loop)", E, {"fault": "redirect_loop"}, "token",
         "FWC_ERR_HTTP_STATUS", extra=both(status_is(302), one_token_request())),
    # ---- the API (upload probe, emulator) ----
    case("401 for ever: renewed once, then given up", E, {"token_ttl": 0}, "upload",
         "FWC_ERR_UNAUTHORIZED",
         extra=both(stat("token_requests", 2), stat("api_401", 2))),
    case("429 with Retry-After of ten years (seconds)", E,
         {"api_fault": "retry_after_10y"}, "upload", "FWC_ERR_RATE_LIMITED",
         extra=stat("api_requests", 1)),
    case("429 with Retry-After of ten years (HTTP-date)", E,
         {"api_fault": "retry_after_10y_date"}, "upload", "FWC_ERR_RATE_LIMITED",
         extra=stat("api_requests", 1)),
    case("API redirects to http://", E, {"api_fault": "redirect_http"}, "upload",
         "FWC_ERR_HTTP_STATUS", extra=stat("api_requests", 1)),
    case("1 MiB upload create answer", E, {"api_fault": "huge_answer"}, "upload",
         "FWC_ERR_BODY_TOO_LARGE"),
    case("upload id ../../x in the create answer", E, {"api_fault": "bad_upload_id",
                                                       "chunk_size": 1000},
         "upload", "FWC_ERR_JSON", extra=stat("chunk_posts", 0)),
    case("kept headers longer than their slots on every API answer: the upload succeeds", E,
         {"api_fault": "long_headers", "chunk_size": 1000}, "upload", "FWC_OK",
         extra=both(status_is(0), stat("chunk_posts", 3))),
    case("503 with a 42-digit Retry-After: not retried on a guess", E,
         {"api_fault": "retry_after_too_long"}, "upload", "FWC_ERR_HTTP_HEADER_TOO_LARGE",
         extra=both(status_is(503), stat("api_requests", 1))),
    case("upload status never finishes", E, {"status_polls": 1000, "chunk_size": 1000},
         "upload", "FWC_ERR_TIMEOUT",
         bound=lambda t: 0.0,
         extra=both(stat("status_polls", lambda n: n is not None and n >= 3),
                    status_is(0))),  # fwc's own deadline: no answer's status
]

LINE = re.compile(r"result=(-?\d+)")


def parse(stdout):
    """The probe's one line as a dict: result, status, cert."""
    m = LINE.search(stdout)
    if not m:
        return None
    r = {"result": int(m.group(1))}
    for key, pattern in (("status", r"status=(-?\d+)"), ("cert", r"cert=0x([0-9a-f]+)")):
        f = re.search(pattern, stdout)
        if f:
            r[key] = int(f.group(1), 16 if key == "cert" else 10)
    return r


def run_probe(c, probes, url, ca, port, upload_file, timeout):
    binary = probes[c.probe]
    env = dict(os.environ, FWC_URL=url, FWC_CA_FILE=ca, FWC_TEST_CLIENT_ID=test_token.CLIENT_ID,
               FWC_TEST_CLIENT_SECRET=test_token.SECRET)
    args = {"token": [binary], "upload": [binary, upload_file, DEST],
            "tls": [binary, "localhost", str(port), ca]}[c.probe]
    started = time.monotonic()
    try:
        out = subprocess.run(args, env=env, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired as e:
        text = ((e.stdout or b"") + (e.stderr or b"")).decode("utf-8", "replace")
        return None, f"no end after {timeout:.0f} s (a hang): killed: {text[-500:]}", text, timeout
    elapsed = time.monotonic() - started
    stdout = out.stdout.decode("utf-8", "replace")
    text = stdout + out.stderr.decode("utf-8", "replace")
    r = parse(stdout)
    if r is None or out.returncode not in (0, 3):
        return None, f"exit {out.returncode}: {text.strip()[-800:]}", text, elapsed
    return r, stdout.strip(), text, elapsed


def judge(c, r, elapsed, seen, timeouts):
    """None when the case passed, else why not."""
    want = CODES[c.error]
    whys = []
    if r["result"] != want:
        whys.append(f"ended in {NAMES.get(r['result'], r['result'])}, wanted {c.error}")
    lo = 0.0 if c.bound is None else c.bound(timeouts)
    if elapsed < lo:
        whys.append(f"gave up after {elapsed:.1f} s, before its {lo + 0.5:.1f} s timeout")
    if c.extra is not None:
        why = c.extra(r, seen)
        if why:
            whys.append(why)
    return "; ".join(whys) or None


def tag_of(binary):
    parts = os.path.normpath(binary).split(os.sep)
    return parts[parts.index("build") + 1] if "build" in parts[:-1] else binary


def parse_args(argv):
    short, timeouts, only, probes = None, None, None, []
    while argv:
        a = argv.pop(0)
        if a == "--short" and argv:
            short = argv.pop(0)
        elif a == "--timeouts" and argv:
            ms = [int(x) for x in argv.pop(0).split(",")]
            timeouts = dict(zip(("connect", "io", "exchange", "upload_status"),
                                (v / 1000 for v in ms)))
        elif a == "--only" and argv:
            only = argv.pop(0)
        else:
            probes.append(a)
    lines = collections.OrderedDict()
    for p in probes:
        kind = os.path.basename(p).replace("_probe", "")
        lines.setdefault(tag_of(p), {})[kind] = p
    if short:
        lines["short"] = {k: os.path.join(short, f"{k}_probe") for k in ("token", "upload", "tls")}
    return lines, timeouts, only


def main():
    lines, timeouts, only = parse_args(sys.argv[1:])
    if "short" not in lines or timeouts is None or len(timeouts) != 4 or len(lines) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    results = []

    def check(name, why, detail=""):
        results.append(why is None)
        print(f"{'ok' if why is None else 'not ok'} {len(results)} - {name}"
              + ("" if why is None else f": {why}"), flush=True)
        if why is not None and detail:
            for line in detail.splitlines()[:12]:
                print(f"#   {line}")

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    t0 = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        emu_pki = os.path.join(tmp, "pki")
        subprocess.run([test_token.MAKE_PKI, emu_pki], check=True)
        pki = hostile_server.make_pki(os.path.join(tmp, "hostile-pki"))
        upload_file = os.path.join(tmp, "photo.jpg")
        with open(upload_file, "wb") as f:
            f.write(os.urandom(2500))
        emu = test_token.Emulator(tmp, emu_pki)
        emu.pki = emu_pki
        try:
            for tag, probes in lines.items():
                for c in CASES:
                    if (tag == "short") != (c.bound is not None):
                        continue  # timed cases on the short probes, the rest on each line
                    if only and only not in c.name:
                        continue
                    name = f"{tag}: {c.name} -> {c.error}"
                    binary = probes.get(c.probe)
                    if not binary or not os.access(binary, os.X_OK):
                        check(name, f"no {c.probe} probe for {tag}")
                        continue
                    srv = None
                    if c.server == H:
                        srv = hostile_server.start(c.setting, pki)
                        url, ca, port = (f"https://localhost:{srv.port}",
                                         hostile_server.trust_file(pki, c.setting), srv.port)
                    else:
                        emu.configure(**c.setting)
                        url, ca, port = emu.url, os.path.join(emu_pki, "ca.pem"), emu.port
                    try:
                        r, line, text, elapsed = run_probe(c, probes, url, ca, port,
                                                           upload_file, HANG_S)
                    finally:
                        if srv is not None:
                            srv.stop()
                    if c.server == H:
                        seen = {"requests": srv.requests, "connections": srv.connections}
                        if hasattr(srv, "refused"):
                            seen["renegotiation_refused"] = srv.refused()
                        token = None
                    else:
                        seen = emu.stats()
                        token = seen.get("last_token")
                    if r is None:
                        check(name, "no result line", test_token.redact(line, token))
                        continue
                    why = judge(c, r, elapsed, seen, timeouts)
                    leaked = test_token.leaks(text, token)
                    if leaked:
                        why = (why + "; " if why else "") + "the probe printed: " + \
                            ", ".join(leaked)
                    check(name, why, test_token.redact(f"{line} ({elapsed:.1f} s) {seen}",
                                                       token))
        finally:
            emu.stop()
            emu.log.close()
    failed = results.count(False)
    print(f"# {len(results) - failed} passed, {failed} failed in {time.monotonic() - t0:.1f} s")
    return 1 if failed or not results else 0


if __name__ == "__main__":
    sys.exit(main())
