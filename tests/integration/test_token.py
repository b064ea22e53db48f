#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""fwc's OAuth client-credentials client against the FotoWeb emulator.

Usage: test_token.py PROBE [PROBE ...]   (one token_probe binary per mbedTLS line)

Starts one emulator over HTTPS (throwaway CA made by tests/server/make_pki.sh
in a temporary folder) with its test-only control endpoint, first checks a
few things about the emulator itself with Python's own client, then, for
each case, sets the emulator's mode through the control endpoint, runs every
probe, and checks its one line of output:
  result=<code> len=<n> left=<s> status=<http> oauth_error=<code or -> sha=<fnv> (<name>)
and that neither the secret nor the token shows in anything the probe
printed. Prints TAP ("ok N - name" / "not ok N - name"); exit 1 on a failure.
"""
import base64
import json
import os
import re
import signal
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
SERVER_DIR = os.path.join(HERE, "..", "server")
EMULATOR = os.path.join(SERVER_DIR, "fotoweb_emulator.py")
MAKE_PKI = os.path.join(SERVER_DIR, "make_pki.sh")

# Credentials with every kind of byte a form encoder must handle: a ':' in
# the ID (Basic splits on the first one), '+', '/', '=', '&', '%', a space,
# unreserved marks and a non-ASCII letter.
CLIENT_ID = "fwc-test:client 1"
SECRET = "s3cr+t/with=odd&chars %41 ~*:\u00e9"
WRONG_SECRET = SECRET + "x"

# Codes from include/fwc/error.h.
OK = 0
TRUNCATED, BODY_TOO_LARGE, HTTP_STATUS = -21, -23, -24
TOKEN_TOO_LARGE, INVALID_CLIENT, ACCESS_DENIED, OAUTH, TOKEN_RESPONSE = -28, -29, -30, -31, -32

DEFAULT_LIFETIME = 1800  # CONFIG_FWC_TOKEN_DEFAULT_LIFETIME_S
TOKEN_MAX = 1024         # CONFIG_FWC_TOKEN_MAX
# A probe is killed after this long: only a hang reaches it, never a slow or
# busy machine. The killed case fails with its name and the run goes on.
HANG_S = 60
# A token's remaining lifetime is read a moment after it was issued; on a
# loaded machine that moment can stretch, so "about the lifetime" allows
# this much.
LIFETIME_SLACK_S = 60

LINE = re.compile(r"result=(-?\d+) len=(\d+) left=(\d+) status=(-?\d+) "
                  r"oauth_error=(\S+) sha=([0-9a-f]+) \((.*)\)$")


def fnv1a(s):
    """The probe's fingerprint of a token."""
    h = 2166136261
    for b in s.encode():
        h = ((h ^ b) * 16777619) & 0xffffffff
    return h


def form(s):
    return urllib.parse.quote_plus(s, safe="-._*")


def basic(client_id, secret):
    return "Basic " + base64.b64encode(f"{form(client_id)}:{form(secret)}".encode()).decode()


class Emulator:
    """One emulator process over HTTPS, and its control endpoint."""

    def __init__(self, tmp, pki, control=True, tls=True):
        self.tmp = tmp
        port_file = os.path.join(tmp, "port")
        self.log = open(os.path.join(tmp, "emulator.log"), "w+")
        args = [sys.executable, EMULATOR, "--port-file", port_file,
                "--client-id", CLIENT_ID, "--client-secret", SECRET]
        if tls:
            args += ["--tls-cert", os.path.join(pki, "server.pem"),
                     "--tls-key", os.path.join(pki, "server.key")]
        if control:
            args.append("--control")
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=self.log)
        deadline = time.monotonic() + 10
        while not (os.path.exists(port_file) and os.path.getsize(port_file)):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("emulator did not start: " + self.output())
            time.sleep(0.05)
        with open(port_file) as f:
            self.port = int(f.read())
        os.remove(port_file)
        scheme = "https" if tls else "http"
        # The client under test resolves "localhost" itself; Python's own
        # control calls use the address, which needs no /etc/hosts.
        self.url = f"{scheme}://localhost:{self.port}"
        self.control_url = f"{scheme}://127.0.0.1:{self.port}"
        self.ctx = ssl.create_default_context(cafile=os.path.join(pki, "ca.pem"))

    def call(self, method, path, body=None, headers=None):
        """(status, parsed JSON or raw bytes, headers) of one request."""
        req = urllib.request.Request(self.control_url + path, data=body, method=method,
                                     headers=headers or {})
        try:
            with urllib.request.urlopen(req, context=self.ctx, timeout=10) as r:
                status, data, hdrs = r.status, r.read(), r.headers
        except urllib.error.HTTPError as e:
            status, data, hdrs = e.code, e.read(), e.headers
        try:
            return status, json.loads(data), hdrs
        except ValueError:
            return status, data, hdrs

    def configure(self, **settings):
        """Back to the start-up settings and zeroed statistics, then these."""
        status, answer, _ = self.call("PUT", "/_emulator/config",
                                      json.dumps({"reset": True, **settings}).encode(),
                                      {"Content-Type": "application/json"})
        if status != 200:
            raise RuntimeError(f"emulator refused {settings}: {status} {answer}")

    def stats(self):
        status, answer, _ = self.call("GET", "/_emulator/stats")
        if status != 200:
            raise RuntimeError(f"emulator stats: {status} {answer}")
        return answer

    def output(self):
        self.log.flush()
        self.log.seek(0)
        return self.log.read()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def emulator_checks(emu, tmp, pki, check):
    """The emulator itself, seen by Python's HTTP client: a wrong emulator
    would make the probe cases below prove nothing."""
    token_path = "/fotoweb/oauth2/token"
    form_type = {"Content-Type": "application/x-www-form-urlencoded"}
    good_body = (f"grant_type=client_credentials&client_id={form(CLIENT_ID)}"
                 f"&client_secret={form(SECRET)}").encode()

    emu.configure()
    st, ans, _ = emu.call("POST", token_path, good_body, form_type)
    check("emulator: client_secret_post with form-encoded credentials",
          st == 200 and isinstance(ans, dict) and ans.get("token_type") == "bearer"
          and ans.get("expires_in") == 3600 and len(ans.get("access_token", "")) == 43,
          f"{st} {ans}")
    st, ans, _ = emu.call("POST", token_path, b"grant_type=client_credentials",
                          {**form_type, "Authorization": basic(CLIENT_ID, SECRET)})
    check("emulator: HTTP Basic with form-encoded credentials",
          st == 200 and isinstance(ans, dict) and "access_token" in ans, f"{st} {ans}")
    raw = "Basic " + base64.b64encode(f"{CLIENT_ID}:{SECRET}".encode()).decode()
    st, ans, hdrs = emu.call("POST", token_path, b"grant_type=client_credentials",
                             {**form_type, "Authorization": raw})
    check("emulator: HTTP Basic without form encoding refused (401, WWW-Authenticate)",
          st == 401 and isinstance(ans, dict) and ans.get("error") == "invalid_client"
          and (hdrs.get("WWW-Authenticate") or "").startswith("Basic"), f"{st} {ans}")
    st, ans, _ = emu.call("POST", token_path, good_body,
                          {**form_type, "Authorization": basic(CLIENT_ID, SECRET)})
    check("emulator: two client authentications refused (400 invalid_request)",
          st == 400 and isinstance(ans, dict) and ans.get("error") == "invalid_request",
          f"{st} {ans}")
    st, ans, _ = emu.call("POST", token_path, good_body, {"Content-Type": "application/json"})
    check("emulator: wrong Content-Type refused (400 invalid_request)",
          st == 400 and isinstance(ans, dict) and ans.get("error") == "invalid_request",
          f"{st} {ans}")
    st, ans, _ = emu.call("POST", token_path, good_body.replace(b"grant_type=client_credentials&",
                                                                b""), form_type)
    check("emulator: missing grant_type refused (400 unsupported_grant_type)",
          st == 400 and isinstance(ans, dict) and ans.get("error") == "unsupported_grant_type",
          f"{st} {ans}")
    st, ans, _ = emu.call("PUT", "/_emulator/config", b'{"fault": "no_such_mode"}')
    st2, cfg, _ = emu.call("GET", "/_emulator/config")
    check("emulator: control endpoint refuses an unknown fault mode",
          st == 400 and st2 == 200 and cfg.get("fault") == "none", f"{st} {ans}")
    stats = emu.stats()
    check("emulator: stats count token requests",
          stats.get("token_requests") == 6 and stats.get("tokens_issued") == 2, str(stats))
    # Without --control the control endpoint is refused (plain HTTP: quicker).
    sub = os.path.join(tmp, "nocontrol")
    os.mkdir(sub)
    other = Emulator(sub, pki, control=False, tls=False)
    try:
        st, ans, _ = other.call("GET", "/_emulator/stats")
        st2, ans2, _ = other.call("PUT", "/_emulator/config", b'{"fault": "html_502"}')
    finally:
        other.stop()
        other.log.close()
    check("emulator: control endpoint refused without --control",
          st == 403 and st2 == 403, f"{st} {ans} / {st2} {ans2}")


def run_probe(binary, emu, args=(), secret=SECRET, timeout=HANG_S):
    env = dict(os.environ, FWC_URL=emu.url, FWC_CA_FILE=os.path.join(emu.pki, "ca.pem"),
               FWC_TEST_CLIENT_ID=CLIENT_ID, FWC_TEST_CLIENT_SECRET=secret)
    started = time.monotonic()
    try:
        out = subprocess.run([binary, *args], env=env, capture_output=True, timeout=timeout)
    except OSError as e:
        return None, f"cannot run {binary}: {e}", "", 0.0
    except subprocess.TimeoutExpired as e:
        text = ((e.stdout or b"") + (e.stderr or b"")).decode("utf-8", "replace")
        return None, f"no end after {timeout:.0f} s (a hang): killed: {text}", text, timeout
    elapsed = time.monotonic() - started
    text = (out.stdout + out.stderr).decode("utf-8", "replace")
    line = out.stdout.decode("utf-8", "replace").strip()
    m = LINE.match(line)
    if out.returncode != 0 or not m:
        return None, f"exit {out.returncode}: {text.strip()}", text, elapsed
    r = {"result": int(m.group(1)), "len": int(m.group(2)), "left": int(m.group(3)),
         "status": int(m.group(4)), "oauth_error": m.group(5), "sha": int(m.group(6), 16),
         "name": m.group(7)}
    return r, line, text, elapsed


def forbidden(token):
    """(label, text) of what must never show in the probe's output. The log
    may show a token's first 4 characters (log.c), never 12."""
    out = [("secret", SECRET), ("wrong secret", WRONG_SECRET),
           ("form-encoded secret", form(SECRET)), ("form-encoded secret", form(WRONG_SECRET)),
           ("Basic credentials", basic(CLIENT_ID, SECRET)[6:]),
           ("Basic credentials", basic(CLIENT_ID, WRONG_SECRET)[6:])]
    if token:
        out += [("access token", token), ("access token", token[:12])]
    return out


def leaks(text, token):
    return sorted({label for label, s in forbidden(token) if s in text})


def redact(text, token):
    """A report never repeats what leaked."""
    for label, s in sorted(forbidden(token), key=lambda p: -len(p[1])):
        text = text.replace(s, f"<{label}>")
    return text


def token_ok(size=None, lo=None, hi=None):
    """A good token: the one the emulator issued, of the size asked, with a
    lifetime left in lo..hi seconds."""
    def check(r, stats, elapsed):
        token = stats.get("last_token") or ""
        # status and oauth_error are the last failure's: none after a success.
        want = [r["result"] == OK, r["status"] == 0, r["oauth_error"] == "-",
                r["sha"] == fnv1a(token), r["len"] == len(token)]
        if size is not None:
            want.append(r["len"] == size)
        if lo is not None:
            want.append(lo - LIFETIME_SLACK_S <= r["left"] <= hi)
        issued = (f"sha={fnv1a(token):08x} (the token issued)" if token
                  else "(but the emulator issued no token)")
        return all(want), (f"wanted result=0 len={size if size is not None else len(token)} "
                           f"left={lo}..{hi} status=0 oauth_error=- {issued}")
    return check


def refused(code, status=None, oauth_error=None):
    def check(r, stats, elapsed):
        codes = code if isinstance(code, tuple) else (code,)
        want = [r["result"] in codes, r["len"] == 0, r["left"] == 0, r["sha"] == 0]
        if status is not None:
            want.append(r["status"] == status)
        if oauth_error is not None:
            want.append(r["oauth_error"] == oauth_error)
        return all(want), ("wanted result=" + "|".join(map(str, codes)) + " len=0 left=0"
                           + (f" status={status}" if status is not None else "")
                           + (f" oauth_error={oauth_error}" if oauth_error else "")
                           + " sha=00000000")
    return check


def also(first, extra, what):
    def check(r, stats, elapsed):
        ok, detail = first(r, stats, elapsed)
        good = extra(r, stats, elapsed)
        return ok and good, detail if good else f"{detail}; {what}"
    return check


def cases():
    """(name, emulator settings, probe options, client secret, check)."""
    one_request = lambda r, s, e: s.get("token_requests") == 1  # noqa: E731
    return [
        ("normal fetch", {"token_size": 700, "lifetime": 3600}, (), SECRET,
         also(token_ok(700, 3595, 3600), lambda r, s, e: s.get("last_client_auth") == "post"
              and s.get("token_requests") == 1, "not one client_secret_post request")),
        ("--twice: second answer from the cache", {"lifetime": 3600}, ("--twice",), SECRET,
         also(token_ok(43, 3595, 3600), one_request,
              "the emulator did not see exactly one token request")),
        ("--basic: HTTP Basic client authentication", {}, ("--basic",), SECRET,
         also(token_ok(43, 3595, 3600), lambda r, s, e: s.get("last_client_auth") == "basic",
              "the emulator did not see Basic authentication")),
        ("wrong secret: 401 invalid_client", {}, (), WRONG_SECRET,
         refused(INVALID_CLIENT, 401, "invalid_client")),
        ("wrong secret with --basic: 401 invalid_client", {}, ("--basic",), WRONG_SECRET,
         refused(INVALID_CLIENT, 401, "invalid_client")),
        ("invalid_client whatever the credentials", {"fault": "invalid_client"}, (), SECRET,
         refused(INVALID_CLIENT, 401, "invalid_client")),
        ("access_denied: 403", {"fault": "access_denied"}, (), SECRET,
         refused(ACCESS_DENIED, 403, "access_denied")),
        ("unsupported_grant_type: 400", {"grant_type": "urn:example:other"}, (), SECRET,
         refused(OAUTH, 400, "unsupported_grant_type")),
        ("another OAuth error (invalid_scope): 400",
         {"fault": "oauth_error", "error_code": "invalid_scope", "error_status": 400}, (),
         SECRET, refused(OAUTH, 400, "invalid_scope")),
        ("HTML 502 from a proxy", {"fault": "html_502"}, (), SECRET,
         refused(HTTP_STATUS, 502, "-")),
        ("token_type mac", {"fault": "wrong_token_type"}, (), SECRET,
         refused(TOKEN_RESPONSE, 200, "-")),
        ("no access_token", {"fault": "missing_fields"}, (), SECRET,
         refused(TOKEN_RESPONSE, 200, "-")),
        ("1 MiB token", {"fault": "huge_token"}, (), SECRET,
         refused((BODY_TOO_LARGE, TOKEN_TOO_LARGE))),
        ("expires_in 28800.000000", {"fault": "fraction"}, (), SECRET,
         token_ok(43, 28795, 28800)),
        ("no expires_in: the default lifetime", {"expires_in": "omit"}, (), SECRET,
         token_ok(43, DEFAULT_LIFETIME - 5, DEFAULT_LIFETIME)),
        ("chunked answer in 16-byte chunks", {"fault": "chunked", "token_size": 300}, (),
         SECRET, token_ok(300, 3595, 3600)),
        ("slow answer (2 s)", {"fault": "slow", "slow_seconds": 2}, (), SECRET,
         also(token_ok(43, 3590, 3600), lambda r, s, e: e >= 2.0,
              "answered in under 2 s: the emulator did not wait")),
        # Headers and half the body arrive, then a TCP FIN without TLS
        # close_notify: the client has bytes of the response, so this is a
        # cut inside it, never a plain close.
        ("connection dropped mid-body", {"fault": "drop_mid_body", "token_size": 200}, (),
         SECRET, refused(TRUNCATED)),
        (f"token of exactly {TOKEN_MAX} characters", {"token_size": TOKEN_MAX}, (), SECRET,
         token_ok(TOKEN_MAX, 3595, 3600)),
        (f"token of {TOKEN_MAX + 1} characters", {"token_size": TOKEN_MAX + 1}, (), SECRET,
         refused(TOKEN_TOO_LARGE, 200, "-")),
    ]


def tag_of(binary):
    """build/asan36/tests/integration/token_probe -> asan36."""
    parts = os.path.normpath(binary).split(os.sep)
    return parts[parts.index("build") + 1] if "build" in parts[:-1] else binary


def main():
    probes = sys.argv[1:]
    if not probes:
        print("usage: test_token.py PROBE [PROBE ...]", file=sys.stderr)
        return 2
    results = []

    def check(name, ok, detail):
        results.append(ok)
        print(f"{'ok' if ok else 'not ok'} {len(results)} - {name}", flush=True)
        if not ok:
            for line in str(detail).splitlines() or [""]:
                print(f"#   {line}")

    # A runner that gives up on this test still gets the emulator stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    t0 = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        pki = os.path.join(tmp, "pki")
        subprocess.run([MAKE_PKI, pki], check=True)
        emu = Emulator(tmp, pki)
        emu.pki = pki
        try:
            emulator_checks(emu, tmp, pki, check)
            for binary in probes:
                tag = tag_of(binary)
                for name, settings, args, secret, want in cases():
                    emu.configure(**settings)
                    r, line, text, elapsed = run_probe(binary, emu, args, secret)
                    stats = emu.stats()
                    if r is None:
                        check(f"{tag}: {name}", False, redact(line, stats.get("last_token")))
                        continue
                    ok, why = want(r, stats, elapsed)
                    why = "" if ok else why
                    token = stats.get("last_token")
                    leaked = leaks(text, token)
                    if leaked:
                        ok, why = False, (why + "\n" if why else "") + (
                            "the probe printed: " + ", ".join(leaked))
                    detail = line + (f"\n{why}" if why else "") + (
                        f"\nemulator: {stats.get('token_requests')} request(s), last answer "
                        f"{stats.get('last_status')} {stats.get('last_error') or ''}")
                    extra = text.replace(line, "").strip()
                    if extra:
                        detail += "\nprobe also printed: " + extra[:2000]
                    check(f"{tag}: {name}", ok, redact(detail, token))
        finally:
            emu.stop()
            log = emu.output().strip()
            emu.log.close()
            if log:
                for line in log.splitlines()[-40:]:
                    print(f"# emulator: {line}")

    failed = results.count(False)
    print(f"# {len(results) - failed} passed, {failed} failed "
          f"in {time.monotonic() - t0:.1f} s")
    return 1 if failed or not results else 0


if __name__ == "__main__":
    sys.exit(main())
