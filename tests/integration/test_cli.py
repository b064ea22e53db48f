#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The fwc command-line tool (examples/cli, build/fwc) against the FotoWeb emulator.

Usage: test_cli.py [FWC]   (default: build/fwc of this checkout)

Starts one emulator over HTTPS (throwaway CA made by tests/server/make_pki.sh
in a temporary folder) with its test-only control endpoint, and runs the
tool with a clean environment (PATH plus the FWC_* variables a case sets)
against it, checking the tool's contract:
  - token, token --json, get, request, upload, each compared with what the
    emulator saw (the token it issued, the upload's SHA-256, ...);
  - configuration: flags over environment, options before or after the
    command, --opt=value as --opt value, the secret from stdin, HTTP Basic,
    --help, fwc help CMD and fwc CMD --help, --version;
  - -v / --verbose: the library's log at run time, silent by default so a
    failure is told once; -v -v holds no secret and no 8 characters of a
    token;
  - paths without their leading '/', a base URL whose path each path
    repeats (https://host/fotoweb), and a prefix the server does not know:
    each told with what to change;
  - the upload's progress line, on a pseudo-terminal, redrawn at most 10
    times a second (counted against the run's duration); none off one;
  - the man page (examples/cli/fwc.1) names every option of the help and
    renders without a groff warning;
  - exit codes: 2 usage or configuration, 3 credentials or token refused,
    4 network or TLS, 5 server or protocol, 6 output not written (stdout
    on /dev/full, for each command that prints);
  - a secret file readable by group or others draws a warning; the secret
    is its first line (CR LF or LF), an empty or over-long one is refused;
    the example hook (build/examples/token) reads it the same way;
  - what the tool formats from the server (the upload's assetUrl, OAuth
    error codes) reaches no terminal with control characters in it;
  - --cache (warm starts): a second run makes no token request and resumes
    the TLS session (the emulator's tls_resumed); the file is 0600 and a
    loose, linked or non-regular one is refused; a cache for another server
    or client, a corrupt one, an expired token: cold starts that work; runs
    at once leave a usable file;
  - neither the secret nor a token ever shows on stderr, nor on stdout of
    anything but the token command.
Prints TAP ("ok N - name" / "not ok N - name"); exit 1 on a failure. A
failing case quotes the command and what it printed (secret and tokens
redacted).
"""
import hashlib
import json
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import test_token  # noqa: E402  (the emulator harness and the credentials)

ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
DEFAULT_FWC = os.path.join(ROOT, "build", "fwc")
# The token example shares the secret hook examples/token/secret_file.c.
EXAMPLE_TOKEN = os.environ.get("FWC_EXAMPLE_TOKEN",
                               os.path.join(ROOT, "build", "examples", "token"))
SECRET_MAX = 128         # CONFIG_FWC_SECRET_MAX's default (include/fwc/config.h)
CLIENT_ID, SECRET, WRONG_SECRET = test_token.CLIENT_ID, test_token.SECRET, test_token.WRONG_SECRET
TOKEN_PATH = "/fotoweb/oauth2/token"
DEST = "/fotoweb/archives/5000-Uploads/"
SYSTEM_BUNDLE = "/etc/ssl/certs/ca-certificates.crt"
LIFETIME = 1234          # an unusual lifetime, so a default cannot pass for it
FIELD_VALUE = 'caf\u00e9 "quoted" & = +'
# One run of the tool is killed after this long: only a hang reaches it, not
# a slow or busy machine (valgrind on a loaded 2-core machine included). A
# killed run fails its own case with its name and the run goes on. How fast
# things are is make bench's business, not a test's.
HANG_S = 60

# The tool's exit codes.
OK, USAGE, REFUSED, NETWORK, SERVER, WRITE = 0, 2, 3, 4, 5, 6


class Run:
    """One run of the tool: what it was given and what it did."""

    def __init__(self, argv, rc, out, err, elapsed, token_cmd, prog=None):
        self.argv, self.rc, self.out, self.err = argv, rc, out, err
        self.elapsed, self.token_cmd, self.prog = elapsed, token_cmd, prog


def free_port():
    """A loopback port nothing listens on (bound, then closed)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def make_wrong_host_pki(path):
    """A CA and a server certificate for wrong.example only: served on
    127.0.0.1, reached as localhost, it is trusted but not for that host."""
    os.makedirs(path)
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]

    def openssl(*args):
        subprocess.run(["openssl", *args], cwd=path, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
    openssl("req", "-x509", *ec, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
            "-subj", "/CN=fwc wrong-host test CA")
    openssl("req", *ec, "-keyout", "server.key", "-out", "server.csr",
            "-subj", "/CN=wrong.example")
    with open(os.path.join(path, "server.ext"), "w") as f:
        f.write("subjectAltName=DNS:wrong.example\nbasicConstraints=CA:FALSE\n"
                "extendedKeyUsage=serverAuth\n")
    openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
            "-CAcreateserial", "-days", "2", "-extfile", "server.ext", "-out", "server.pem")


def write_file(path, data, mode=0o600):
    with open(path, "wb") as f:
        f.write(data)
    os.chmod(path, mode)
    return path


class Tester:
    def __init__(self, fwc, emu, paths, t0):
        self.fwc, self.emu, self.paths, self.t0 = fwc, emu, paths, t0
        self.results = []
        self.tokens = set()   # every token the emulator said it issued
        self.runs = []        # every run, for the final leak scan
        self.base_env = {"FWC_URL": emu.url, "FWC_CLIENT_ID": CLIENT_ID,
                         "FWC_CLIENT_SECRET_FILE": paths["secret"],
                         "FWC_CA_FILE": paths["ca"]}

    # ---- TAP -----------------------------------------------------------------

    def check(self, name, ok, detail="", skip=None):
        self.results.append(ok)
        line = f"{'ok' if ok else 'not ok'} {len(self.results)} - {name}"
        if skip:
            line += f" # SKIP {skip}"
        print(line, flush=True)
        if not ok:
            for text in str(detail).splitlines() or [""]:
                print(f"#   {text}")

    def note(self, text):
        for line in text.splitlines():
            print(f"# {line}", flush=True)

    # ---- secrets -------------------------------------------------------------

    def forbidden(self, with_tokens=True):
        out = test_token.forbidden(None)
        if with_tokens:
            for t in self.tokens:
                out += [("access token", t), ("access token", t[:12])]
        return out

    def leaks(self, text, with_tokens=True):
        return sorted({label for label, s in self.forbidden(with_tokens) if s and s in text})

    def redact(self, text):
        for label, s in sorted(self.forbidden(), key=lambda p: -len(p[1])):
            if s:
                text = text.replace(s, f"<{label}>")
        return text

    def show(self, r, stdin_note=""):
        cmd = shlex.join(r.argv) + stdin_note
        cmd = ("fwc " if r.prog is None else os.path.basename(r.prog) + " ") + cmd
        out = r.out if len(r.out) < 1500 else r.out[:1500] + "...[cut]"
        err = r.err if len(r.err) < 1500 else r.err[:1500] + "...[cut]"
        text = (f"$ {cmd}\nexit {r.rc if r.rc is not None else 'none (killed)'} "
                f"after {r.elapsed:.2f} s\nstdout: {out!r}\nstderr: {err!r}")
        return self.redact(text)

    # ---- running the tool ------------------------------------------------------

    def run(self, args, env=None, base_env=True, stdin=None, token_cmd=False, prog=None,
            stdout_path=None):
        """args: the tool's arguments; env: FWC_* variables to set (a None
        value removes one) over the base set, or over nothing when base_env
        is False. The environment holds nothing else but PATH. prog: another
        program than the tool; stdout_path: a file for stdout (/dev/full)
        instead of a pipe, so run.out stays empty."""
        full = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
        if base_env:
            full.update(self.base_env)
        for k, v in (env or {}).items():
            if v is None:
                full.pop(k, None)
            else:
                full[k] = v
        timeout = HANG_S
        started = time.monotonic()
        sink = open(stdout_path, "wb") if stdout_path else subprocess.PIPE
        try:
            p = subprocess.run([prog or self.fwc, *args], env=full, stdout=sink,
                               stderr=subprocess.PIPE,
                               input=stdin if stdin is not None else None,
                               stdin=subprocess.DEVNULL if stdin is None else None,
                               timeout=timeout)
            rc, out, err = p.returncode, p.stdout or b"", p.stderr
        except subprocess.TimeoutExpired as e:
            rc, out, err = None, e.stdout or b"", e.stderr or b""
        finally:
            if stdout_path:
                sink.close()
        r = Run(list(args), rc, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"),
                time.monotonic() - started, token_cmd, prog)
        self.runs.append(r)
        return r

    def case(self, name, args, want_rc, settings=None, env=None, base_env=True, stdin=None,
             token_cmd=False, offline=False, extra=None, stdin_note="", prog=None,
             stdout_path=None):
        """Configure the emulator, run the tool once, check the exit code,
        the leaks and extra(r, stats) -> [problems]. Returns (run, stats)."""
        self.emu.configure(**(settings or {}))
        r = self.run(args, env, base_env, stdin, token_cmd, prog, stdout_path)
        stats = self.emu.stats()
        if stats.get("last_token"):
            self.tokens.add(stats["last_token"])
        problems = []
        if r.rc is None:
            problems.append(f"no end after {HANG_S} s (a hang): killed")
        elif r.rc != want_rc:
            problems.append(f"exit {r.rc}, wanted {want_rc}")
        if want_rc != OK:
            if not r.err.strip():
                problems.append("no message on stderr")
            if want_rc in (USAGE, REFUSED, NETWORK) and r.out:
                problems.append("printed on stdout (error messages go to stderr)")
        if offline and stats.get("token_requests"):
            problems.append(f"the emulator saw {stats['token_requests']} token request(s); "
                            "a usage error must stop before the network")
        leaked = self.leaks(r.err)
        if leaked:
            problems.append("stderr shows: " + ", ".join(leaked))
        leaked = self.leaks(r.out, with_tokens=not token_cmd)
        if leaked:
            problems.append("stdout shows: " + ", ".join(leaked))
        if extra is not None and r.rc is not None:
            try:
                problems += extra(r, stats) or []
            except Exception as e:  # a check that breaks is a failure, not a crash
                problems.append(f"check raised {e!r}")
        detail = "\n".join(problems) + "\n" + self.show(r, stdin_note)
        if problems:
            detail += (f"\nemulator: {stats.get('token_requests')} token request(s), "
                       f"{stats.get('tokens_issued')} issued, last answer "
                       f"{stats.get('last_status')} {stats.get('last_error') or ''}, "
                       f"{stats.get('api_requests')} API request(s)")
        self.check(name, not problems, detail)
        return r, stats


# ---- the cases -------------------------------------------------------------------

def issued_token(r, stats):
    """fwc token printed exactly the token the emulator issued."""
    p = []
    token = stats.get("last_token")
    if not token:
        p.append("the emulator issued no token")
    elif r.out != token + "\n":
        p.append("stdout is not the issued token and a newline")
    if stats.get("token_requests") != 1:
        p.append(f"{stats.get('token_requests')} token requests, wanted 1")
    return p


def json_of(text):
    try:
        return json.loads(text)
    except ValueError:
        return None


def help_and_version(t):
    for cmd in ([], ["token"], ["get"], ["request"], ["upload"]):
        def extra(r, stats, cmd=cmd):
            p = []
            if not r.out.strip():
                p.append("nothing on stdout")
            elif cmd and cmd[0] not in r.out:
                p.append(f"the help does not mention {cmd[0]}")
            if "usage" not in r.out.lower() and not cmd:
                p.append("no usage text")
            return p
        t.case(f"fwc {' '.join(cmd + ['--help'])}: usage on stdout, exit 0", cmd + ["--help"],
               OK, base_env=False, offline=True, extra=extra)

    def version(r, stats):
        return [] if re.fullmatch(r"fwc v?\d+(\.\d+)*\S*\s*", r.out) else [
            "stdout is not 'fwc <version>'"]
    t.case("fwc --version: 'fwc <version>', exit 0", ["--version"], OK, base_env=False,
           offline=True, extra=version)


def token_cases(t):
    def plain(r, stats):
        p = issued_token(r, stats)
        if stats.get("last_client_auth") != "post":
            p.append(f"client authentication {stats.get('last_client_auth')}, wanted post")
        if "readable" in r.err:
            p.append("a permission warning for a mode 600 secret file")
        return p
    t.case("token: the issued token alone on stdout (client_secret_post)", ["token"], OK,
           token_cmd=True, extra=plain)

    def as_json(r, stats):
        d = json_of(r.out)
        if not isinstance(d, dict):
            return ["stdout is not a JSON object"]
        p = []
        if d.get("access_token") != stats.get("last_token"):
            p.append("access_token is not the issued token")
        if d.get("token_type") != "bearer":
            p.append(f"token_type {d.get('token_type')!r}")
        e = d.get("expires_in")
        if isinstance(e, bool) or not isinstance(e, int):
            p.append(f"expires_in {e!r} is not an integer")
        elif not LIFETIME - 10 <= e <= LIFETIME:
            p.append(f"expires_in {e}, wanted {LIFETIME - 10}..{LIFETIME}")
        return p
    t.case(f"token --json: access_token, token_type bearer, expires_in ~{LIFETIME}",
           ["token", "--json"], OK, settings={"lifetime": LIFETIME}, token_cmd=True,
           extra=as_json)

    def basic(r, stats):
        p = issued_token(r, stats)
        if stats.get("last_client_auth") != "basic":
            p.append(f"client authentication {stats.get('last_client_auth')}, wanted basic")
        return p
    t.case("--auth basic: HTTP Basic client authentication", ["--auth", "basic", "token"], OK,
           token_cmd=True, extra=basic)

    t.case("--secret-file -: the secret from stdin", ["token", "--secret-file", "-"], OK,
           env={"FWC_CLIENT_SECRET_FILE": None}, stdin=SECRET.encode(), token_cmd=True,
           extra=issued_token, stdin_note=" < (the secret)")

    paths, emu = t.paths, t.emu
    flags = ["--url", emu.url, "--client-id", CLIENT_ID, "--secret-file", paths["secret"],
             "--ca-file", paths["ca"], "--token-path", TOKEN_PATH]
    t.case("flags only, no FWC_* variables, options before the command", [*flags, "token"],
           OK, base_env=False, token_cmd=True, extra=issued_token)
    t.case("flags only, options after the command", ["token", *flags], OK, base_env=False,
           token_cmd=True, extra=issued_token)

    closed = f"https://localhost:{free_port()}"
    overrides = [
        ("--url over a wrong FWC_URL", {"FWC_URL": closed}, ["--url", emu.url]),
        ("--client-id over a wrong FWC_CLIENT_ID", {"FWC_CLIENT_ID": "someone-else"},
         ["--client-id", CLIENT_ID]),
        ("--secret-file over FWC_CLIENT_SECRET_FILE with a wrong secret",
         {"FWC_CLIENT_SECRET_FILE": paths["wrong"]}, ["--secret-file", paths["secret"]]),
        ("--ca-file over FWC_CA_FILE of another CA", {"FWC_CA_FILE": paths["other_ca"]},
         ["--ca-file", paths["ca"]]),
        ("--token-path over a wrong FWC_TOKEN_PATH", {"FWC_TOKEN_PATH": "/no/such/token"},
         ["--token-path", TOKEN_PATH]),
    ]
    for i, (name, env, args) in enumerate(overrides):
        argv = [*args, "token"] if i % 2 == 0 else ["token", *args]
        t.case("flags over environment: " + name, argv, OK, env=env, token_cmd=True,
               extra=issued_token)

    def warned(r, stats):
        p = issued_token(r, stats)
        if "readable" not in r.err:
            p.append("no warning containing 'readable' on stderr")
        return p
    t.case("secret file mode 644: works, with a warning containing 'readable'", ["token"], OK,
           env={"FWC_CLIENT_SECRET_FILE": paths["loose"]}, token_cmd=True, extra=warned)


def api_cases(t):
    emu, paths = t.emu, t.paths

    def me(r, stats):
        d = json_of(r.out)
        p = [] if isinstance(d, dict) and "archives" in d else [
            "stdout is not the emulator's /fotoweb/me/ JSON"]
        if stats.get("api_requests") != 1 or stats.get("api_401"):
            p.append(f"{stats.get('api_requests')} API request(s), {stats.get('api_401')} "
                     "refused; wanted 1 authorized")
        return p
    t.case("get /fotoweb/me/: the JSON body on stdout", ["get", "/fotoweb/me/"], OK, extra=me)
    t.case("get /fotoweb/me/ --accept application/json",
           ["get", "/fotoweb/me/", "--accept", "application/json"], OK, extra=me)
    t.case("request GET /fotoweb/me/", ["request", "GET", "/fotoweb/me/"], OK, extra=me)

    # upload of a small generated file, in three chunks
    data = os.urandom(2500)
    src = write_file(os.path.join(paths["tmp"], "payload.bin"), data, 0o644)
    name = "fwc-cli-test.bin"
    want_path = DEST + "cli/" + name + ".info"
    found = {}

    def uploaded(r, stats):
        p = []
        lines = r.out.splitlines()
        if len(lines) != 1 or not r.out.endswith("\n"):
            p.append("stdout is not one line")
        url = lines[0] if lines else ""
        if url not in (want_path, emu.url + want_path, emu.control_url + want_path):
            p.append(f"printed {url!r}, wanted the asset URL {want_path}")
        if r.err:
            p.append("stderr not quiet (stderr is not a TTY)")
        uid = stats.get("last_upload_id")
        if stats.get("uploads_created") != 1 or not uid:
            return p + [f"{stats.get('uploads_created')} uploads created, wanted 1"]
        st, info, _ = emu.call("GET", "/_emulator/uploads/" + uid)
        if st != 200:
            return p + [f"emulator has no upload {uid}: {st}"]
        found["id"] = uid
        if info["sha256"] != hashlib.sha256(data).hexdigest() or info["size"] != len(data):
            p.append(f"the emulator's copy differs: {info['size']} bytes, sha256 "
                     f"{info['sha256']}, wanted {len(data)} bytes, "
                     f"{hashlib.sha256(data).hexdigest()}")
        if not info["complete"] or info["status"] != "done":
            p.append(f"upload complete={info['complete']} status={info['status']}")
        req = info.get("request") or {}
        if req.get("filename") != name or (req.get("folder") or "").strip("/") != "cli" \
                or req.get("destination") != DEST:
            p.append(f"create request {json.dumps(req)[:300]}")
        fields = (req.get("metadata") or {}).get("fields") or []
        f5 = [f for f in fields if f.get("id") == 5]
        value = f5[0].get("value") if f5 else None
        if value != FIELD_VALUE and not (isinstance(value, list) and FIELD_VALUE in value):
            p.append(f"field 5 not {FIELD_VALUE!r}: {json.dumps(fields, ensure_ascii=False)}")
        return p
    t.case("upload: the asset URL alone on stdout, SHA-256 matches, --folder/--name/--field",
           ["upload", src, "--to", DEST, "--folder", "cli", "--name", name,
            "--field", "5=" + FIELD_VALUE], OK,
           settings={"chunk_size": 1000, "status_polls": 1}, extra=uploaded)

    if found.get("id"):
        def status(r, stats):
            d = json_of(r.out)
            if not isinstance(d, dict) or d.get("status") != "done" \
                    or (d.get("result") or {}).get("assetUrl") != want_path:
                return ["stdout is not the upload's done status"]
            return []
        t.case("request GET /fotoweb/api/uploads/<id>/status of that upload",
               ["request", "GET", f"/fotoweb/api/uploads/{found['id']}/status"], OK,
               extra=status)

    # request POST with --data: create an upload from a JSON file
    create = {"destination": DEST, "filename": "req.bin", "fileSize": 3, "hasXmp": False}
    body = write_file(os.path.join(paths["tmp"], "create.json"), json.dumps(create).encode(),
                      0o644)
    t.emu.configure()
    r = t.run(["request", "POST", "/fotoweb/api/uploads", "--data", "@" + body,
               "--accept", "application/json"])
    stats = t.emu.stats()
    name = "request POST /fotoweb/api/uploads --data @create.json creates an upload"
    d = json_of(r.out)
    leaked = t.leaks(r.out + r.err)
    if r.rc == OK and not leaked:
        st, info, _ = emu.call("GET", "/_emulator/uploads/" + str((d or {}).get("id")))
        good = (isinstance(d, dict) and st == 200 and info["request"].get("filename") == "req.bin"
                and info["file_size"] == 3)
        t.check(name, good, "the answer is not an upload the emulator made from the file\n"
                + t.show(r))
    elif (r.rc == SERVER and stats.get("uploads_created") == 0 and stats.get("api_requests") == 1
          and not leaked and "Content-Type" in r.out):
        t.check(name, True, skip="the tool cannot set a Content-Type for --data (no option "
                "in the contract): the emulator answered 400, see the note")
        t.note("note: " + t.show(r).replace("\n", "\nnote: "))
        t.note("note: fwc request sends the --data body without Content-Type: "
               "application/json, so POST /fotoweb/api/uploads is refused; request is "
               "checked with GET paths (/fotoweb/me/, an upload's status) only")
    else:
        t.check(name, False, ("shows " + ", ".join(leaked) + "\n" if leaked else "") + t.show(r))


def said(*words):
    """extra: stderr says each of words (any case)."""
    def extra(r, stats):
        return [f"stderr does not say {w!r}" for w in words if w not in r.err.lower()]
    return extra


def secret_line_cases(t):
    """The secret is the secret file's first line: a note or the previous
    secret kept on the lines after it is never sent, and a line that does
    not fit is refused rather than cut to fit."""
    tmp = t.paths["tmp"]

    def secret_file(name, data):
        return {"FWC_CLIENT_SECRET_FILE": write_file(os.path.join(tmp, name), data)}
    for name, what, end in (("lf", "LF", b"\n"), ("crlf", "CR LF", b"\r\n")):
        data = SECRET.encode() + end + b"# rotated 2024-05-01" + end
        t.case(f"secret file, {what} lines: the first line alone is the secret", ["token"], OK,
               env=secret_file("secret-" + name, data), token_cmd=True, extra=issued_token)
    t.case("--secret-file -: the first line of stdin alone is the secret",
           ["token", "--secret-file", "-"], OK, env={"FWC_CLIENT_SECRET_FILE": None},
           stdin=SECRET.encode() + b"\n# rotated 2024-05-01\n", token_cmd=True,
           extra=issued_token, stdin_note=" < (the secret, a comment line)")
    for name, what, end in (("empty-lf", "empty", b"\n"), ("empty-crlf", "CR LF only", b"\r\n")):
        t.case(f"exit 2: secret file whose first line is {what}, the secret on the second",
               ["token"], USAGE, env=secret_file("secret-" + name, end + SECRET.encode() + end),
               offline=True, extra=said("first line", "empty"))

    # The emulator takes a secret of the limit's length; a tool that cut a
    # longer line to fit would be let in.
    at_limit = "B" * SECRET_MAX

    def not_shown(r, stats):
        return ["the secret shows on stderr"] if at_limit[:16] in r.err else []
    t.case(f"exit 2: a first line of {SECRET_MAX + 1} bytes is refused, not cut to "
           f"{SECRET_MAX}", ["token"], USAGE, settings={"client_secret": at_limit},
           env=secret_file("secret-long", at_limit.encode() + b"B\n# note\n"), offline=True,
           extra=lambda r, stats: said("first line", "long")(r, stats) + not_shown(r, stats))
    for name, end in (("LF", b"\n"), ("CR LF", b"\r\n")):
        t.case(f"secret file: a {SECRET_MAX}-byte first line ending in {name}, then a note, "
               "is the secret", ["token"], OK, settings={"client_secret": at_limit},
               env=secret_file("secret-limit-" + name.replace(" ", ""),
                               at_limit.encode() + end + b"# note" + end),
               token_cmd=True, extra=issued_token)


def example_hook_cases(t):
    """build/examples/token reads the secret through examples/token/
    secret_file.c: the first line too, refused before it is sent when
    empty or too long."""
    prog, tmp = EXAMPLE_TOKEN, t.paths["tmp"]
    names = ["example token: a note after the secret's line is not sent",
             "example token: an empty first line is refused before any token request",
             f"example token: a {SECRET_MAX + 1}-byte first line is refused, not cut",
             f"example token: a {SECRET_MAX}-byte first line ending in CR LF is the secret"]
    if not os.access(prog, os.X_OK):
        for name in names:
            t.check(name, True, skip=f"{prog} not built (make build/examples/token)")
        return
    at_limit = "B" * SECRET_MAX

    def secret_file(name, data):
        return {"FWC_CLIENT_SECRET_FILE": write_file(os.path.join(tmp, name), data)}

    def got_token(r, stats):
        return [] if stats.get("tokens_issued") == 1 and "access token" in r.out else [
            f"{stats.get('tokens_issued')} token(s) issued; wanted 1 and 'access token' said"]

    def never_asked(r, stats):
        return [] if stats.get("token_requests") == 0 else [
            f"{stats.get('token_requests')} token request(s): the hook sent a bad secret"]
    t.case(names[0], [], OK, prog=prog, extra=got_token,
           env=secret_file("ex-note", SECRET.encode() + b"\n# rotated 2024-05-01\n"))
    t.case(names[1], [], 1, prog=prog, extra=never_asked,
           env=secret_file("ex-empty", b"\n" + SECRET.encode() + b"\n"))
    t.case(names[2], [], 1, prog=prog, extra=never_asked, settings={"client_secret": at_limit},
           env=secret_file("ex-long", at_limit.encode() + b"B\n"))
    t.case(names[3], [], OK, prog=prog, extra=got_token, settings={"client_secret": at_limit},
           env=secret_file("ex-limit", at_limit.encode() + b"\r\n# note\r\n"))


def terminal_unsafe(text):
    """The control characters (C0 but LF, DEL, C1) and undecodable bytes
    (U+FFFD after decoding) in text, named."""
    return sorted({f"U+{ord(c):04X}" for c in text
                   if (ord(c) < 0x20 and c != "\n") or 0x7f <= ord(c) <= 0x9f or c == "\ufffd"})


def hostile_text_cases(t):
    """Text the tool formats from the server reaches the terminal without
    control characters: a newline forges a line, ESC and CSI sequences
    rewrite the screen or the window title."""
    src = write_file(os.path.join(t.paths["tmp"], "hostile.bin"), b"x" * 100, 0o644)
    args = ["upload", src, "--to", DEST]

    def clean_stderr(r, stats):
        bad = terminal_unsafe(r.err)
        return [f"stderr holds {', '.join(bad)}"] if bad else []

    def refused_url(r, stats):
        p = clean_stderr(r, stats) + said("asset url")(r, stats)
        if r.out:
            p.append("printed an asset URL on stdout")
        if stats.get("uploads_created") != 1:
            p.append("the upload never reached the status poll")
        return p
    for mode, what in (("asset_url_lf", "a newline"), ("asset_url_esc", "ESC sequences"),
                       ("asset_url_c1", "the C1 control CSI (U+009B)")):
        t.case(f"exit 5: upload whose assetUrl holds {what}: not printed, stderr clean",
               args, SERVER, settings={"api_fault": mode}, extra=refused_url)

    want = DEST + "caf\u00e9.info"

    def printed(r, stats):
        return [] if r.out == want + "\n" else [f"stdout is not {want!r} and a newline"]
    t.case("upload whose assetUrl holds UTF-8 (e-acute): printed as it is", args, OK,
           settings={"api_fault": "asset_url_utf8"}, extra=printed)
    t.case("exit 3: an OAuth error code with ESC and BEL in it: stderr clean", ["token"],
           REFUSED, settings={"fault": "oauth_error", "error_code": "bad\u001b[2J\u0007code"},
           extra=clean_stderr)


def write_error_cases(t):
    """Output that cannot be written (stdout on /dev/full, a full disk) is
    a failure, as curl's exit 23: a script must not go on without the
    token, the API answer or the new asset's URL."""
    full = "/dev/full"
    src = write_file(os.path.join(t.paths["tmp"], "to-full.bin"), b"y" * 100, 0o644)
    runs = [("token", ["token"], {}, False, True),
            ("token --json", ["token", "--json"], {}, False, True),
            ("get /fotoweb/me/", ["get", "/fotoweb/me/"], {}, False, False),
            ("get of a 1 MiB answer (fails while streaming)", ["get", "/fotoweb/me/"],
             {"api_fault": "huge_answer"}, False, False),
            ("upload", ["upload", src, "--to", DEST], {}, False, False),
            ("--version", ["--version"], {}, True, False),
            ("--help", ["--help"], {}, True, False)]
    for name, args, settings, offline, token_cmd in runs:
        name = f"exit 6: {name} with stdout on {full}, and a message"
        if not os.path.exists(full):
            t.check(name, True, skip=f"no {full} here")
            continue
        t.case(name, args, WRITE, settings=settings, base_env=not offline, offline=offline,
               token_cmd=token_cmd, stdout_path=full, extra=said("write"))


def usage_cases(t):
    paths, emu = t.paths, t.emu
    t.case("exit 2: no command", [], USAGE, offline=True)
    t.case("exit 2: unknown command", ["frobnicate"], USAGE, offline=True)
    t.case("exit 2: unknown option", ["--bogus", "token"], USAGE, offline=True)
    t.case("exit 2: --secret SECRET is refused (secrets come from files only)",
           ["--secret", SECRET, "token"], USAGE, offline=True)
    t.case("exit 2: --client-secret SECRET after the command",
           ["token", "--client-secret", SECRET], USAGE, offline=True)
    t.case("exit 2: --client-secret=SECRET (one argument), not echoed",
           ["--client-secret=" + SECRET, "token"], USAGE, offline=True)
    t.case("exit 2: missing URL", ["token"], USAGE, env={"FWC_URL": None}, offline=True)
    t.case("exit 2: missing client ID", ["token"], USAGE, env={"FWC_CLIENT_ID": None},
           offline=True)
    t.case("exit 2: missing secret file", ["token"], USAGE,
           env={"FWC_CLIENT_SECRET_FILE": None}, offline=True)
    t.case("exit 2: unreadable secret file (no such file)",
           ["token", "--secret-file", os.path.join(paths["tmp"], "no-such-secret")], USAGE,
           offline=True)
    t.case("exit 2: bad URL", ["token", "--url", "not a url"], USAGE, offline=True)
    t.case("exit 2: --auth other than post|basic", ["token", "--auth", "digest"], USAGE,
           offline=True)
    for bad in ("5s", "0", "-3", "99999999999999999999"):
        t.case(f"exit 2: --timeout {bad} (whole seconds only)", ["token", "--timeout", bad],
               USAGE, offline=True)

    # http:// must be refused before any connection: a plain listener
    # tells whether the tool connected, and what it sent.
    lst = socket.socket()
    lst.bind(("127.0.0.1", 0))
    lst.listen(4)
    port = lst.getsockname()[1]
    sent = []

    def plaintext(r, stats):
        lst.setblocking(False)
        try:
            conn, _ = lst.accept()
        except (BlockingIOError, OSError):
            return []
        conn.settimeout(0.5)
        try:
            sent.append(conn.recv(65536))
        except OSError:
            pass
        conn.close()
        what = b"".join(sent).decode("utf-8", "replace")
        return ["the tool connected to the http:// URL"
                + (" and sent the secret in clear text" if t.leaks(what, False) else "")]
    try:
        t.case("exit 2: http:// URL, refused before connecting",
               ["token", "--url", f"http://localhost:{port}", "--timeout", "3"], USAGE,
               offline=True, extra=plaintext)
    finally:
        lst.close()


def refused_cases(t):
    paths = t.paths

    def said(error):
        def extra(r, stats):
            return [] if stats.get("last_error") == error else [
                f"the emulator's last answer was {stats.get('last_status')} "
                f"{stats.get('last_error')}, wanted {error}"]
        return extra
    t.case("exit 3: wrong secret (401 invalid_client)", ["token"], REFUSED,
           env={"FWC_CLIENT_SECRET_FILE": paths["wrong"]}, extra=said("invalid_client"))
    t.case("exit 3: wrong secret with --auth basic", ["token", "--auth", "basic"], REFUSED,
           env={"FWC_CLIENT_SECRET_FILE": paths["wrong"]}, extra=said("invalid_client"))
    t.case("exit 3: get with a wrong secret", ["get", "/fotoweb/me/"], REFUSED,
           env={"FWC_CLIENT_SECRET_FILE": paths["wrong"]}, extra=said("invalid_client"))
    t.case("exit 3: invalid_client fault", ["token"], REFUSED,
           settings={"fault": "invalid_client"})
    t.case("exit 3: access_denied fault (403)", ["token"], REFUSED,
           settings={"fault": "access_denied"}, extra=said("access_denied"))

    def renewed(r, stats):
        return [] if stats.get("tokens_issued", 0) >= 2 and stats.get("api_401", 0) >= 2 else [
            f"{stats.get('tokens_issued')} token(s) issued, {stats.get('api_401')} 401 "
            "answer(s): wanted a renewal and a second 401"]
    t.case("exit 3: get refused (401) even after renewing the token",
           ["get", "/fotoweb/me/"], REFUSED, settings={"token_ttl": 0}, extra=renewed)


def network_cases(t, wrong_host_url, wrong_host_ca):
    paths = t.paths

    t.case("exit 4: connection refused on a closed port",
           ["token", "--url", f"https://localhost:{free_port()}"], NETWORK)

    def names(*words):
        def extra(r, stats):
            return [f"stderr does not name {w}" for w in words if w not in r.err]
        return extra
    t.case("exit 4: certificate from an untrusted CA; the message names host and CA file",
           ["token"], NETWORK, env={"FWC_CA_FILE": paths["other_ca"]},
           extra=names("localhost", paths["other_ca"]))
    if os.path.exists(SYSTEM_BUNDLE):
        t.case("exit 4: no CA file given: the system bundle does not trust the emulator",
               ["get", "/fotoweb/me/"], NETWORK, env={"FWC_CA_FILE": None},
               extra=names("localhost", SYSTEM_BUNDLE))
    else:
        t.check("exit 4: no CA file given: the system bundle", True,
                skip=f"{SYSTEM_BUNDLE} does not exist here")
    t.case("exit 4: certificate for another host (wrong.example)",
           ["token", "--url", wrong_host_url, "--ca-file", wrong_host_ca], NETWORK)


def server_cases(t):
    t.case("exit 5: HTML 502 from a proxy (token)", ["token"], SERVER,
           settings={"fault": "html_502"})
    t.case("exit 5: HTML 502 from a proxy (get)", ["get", "/fotoweb/me/"], SERVER,
           settings={"fault": "html_502"})
    t.case("exit 5: token answer without access_token", ["token"], SERVER,
           settings={"fault": "missing_fields"})
    t.case("exit 5: a 1 MiB token (a limit exceeded)", ["token"], SERVER,
           settings={"fault": "huge_token"})

    def reached(r, stats):
        return [] if stats.get("api_requests") == 1 and not stats.get("api_401") else [
            f"{stats.get('api_requests')} API request(s), {stats.get('api_401')} refused"]
    t.case("exit 5: get of an unknown path (404)", ["get", "/fotoweb/api/no-such-thing"],
           SERVER, extra=reached)
    t.case("exit 5: request POST /fotoweb/me/ (405)", ["request", "POST", "/fotoweb/me/"],
           SERVER, extra=reached)


# ---- field networks: a real proxy (tinyproxy), upload --state ----------------------

PROXY_USER, PROXY_PASS = "kiosk", "pr0xy-S3cret"


class Tinyproxy:
    """A real tinyproxy on loopback, started by the test itself: open,
    requiring Basic auth, or refusing CONNECT to any port but 443."""

    def __init__(self, tmp, name, extra):
        self.port = free_port()
        self.dir = os.path.join(tmp, "tinyproxy-" + name)
        os.mkdir(self.dir)
        self.logfile = os.path.join(self.dir, "log")
        conf = os.path.join(self.dir, "conf")
        with open(conf, "w") as f:
            f.write(f"Port {self.port}\nListen 127.0.0.1\nTimeout 60\nMaxClients 20\n"
                    f"Allow 127.0.0.1\nLogLevel Connect\nLogFile \"{self.logfile}\"\n{extra}")
        self.proc = subprocess.Popen(["tinyproxy", "-d", "-c", conf], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        while True:  # until it listens (a hang is the only failure)
            try:
                socket.create_connection(("127.0.0.1", self.port), 1).close()
                break
            except OSError:
                if self.proc.poll() is not None:
                    raise RuntimeError("tinyproxy did not start")
                time.sleep(0.05)

    def url(self, creds=""):
        return f"http://{creds}127.0.0.1:{self.port}"

    def log(self):
        try:
            with open(self.logfile, errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def proxy_cases(t):
    tmp = t.paths["tmp"]
    try:
        open_px = Tinyproxy(tmp, "open", "")
        auth_px = Tinyproxy(tmp, "auth", f"BasicAuth {PROXY_USER} {PROXY_PASS}\n")
        deny_px = Tinyproxy(tmp, "deny", "ConnectPort 443\n")
    except (OSError, RuntimeError) as e:
        t.check("tinyproxy starts (make installs it)", False, repr(e))
        return
    emu_port = t.emu.url.rsplit(":", 1)[1]
    try:
        def through(px):
            def check(r, stats):
                p = issued_token(r, stats)
                if f":{emu_port}" not in px.log() or "CONNECT" not in px.log():
                    p.append("the proxy's log shows no CONNECT to the emulator:\n"
                             + px.log()[-800:])
                return p
            return check

        t.case("proxy: --proxy through an open tinyproxy (TLS inside the tunnel)",
               ["--proxy", open_px.url(), "token"], OK, token_cmd=True, extra=through(open_px))
        before = open_px.log().count("CONNECT")
        t.case("proxy: https_proxy is used as curl uses it", ["token"], OK, token_cmd=True,
               env={"https_proxy": open_px.url()},
               extra=lambda r, s: [] if open_px.log().count("CONNECT") > before
               else ["no CONNECT in the proxy's log"])
        t.case("proxy: HTTPS_PROXY too", ["get", "/fotoweb/me/"], OK,
               env={"HTTPS_PROXY": open_px.url()})
        creds = f"{PROXY_USER}:{PROXY_PASS}@"
        t.case("proxy: Basic credentials a proxy requires",
               ["--proxy", auth_px.url(creds), "token"], OK, token_cmd=True,
               extra=lambda r, s: ([] if PROXY_PASS not in r.err + r.out
                                   else ["the proxy password was printed"]))

        def says(*words):
            def check(r, stats):
                p = [f"stderr does not say {w!r}" for w in words if w not in r.err]
                if PROXY_PASS in r.err or PROXY_PASS in r.out or "wrong-pass" in r.err:
                    p.append("a proxy password was printed")
                if stats.get("token_requests"):
                    p.append("a token request reached the emulator")
                return p
            return check

        t.case("proxy: wrong credentials are a 407, exit 4",
               ["--proxy", auth_px.url(f"{PROXY_USER}:wrong-pass@"), "token"], NETWORK,
               extra=says("credentials"))
        t.case("proxy: no credentials where they are required, exit 4",
               ["--proxy", auth_px.url(), "token"], NETWORK, extra=says("credentials"))
        t.case("proxy: a proxy that refuses CONNECT to this port, exit 4",
               ["--proxy", deny_px.url(), "token"], NETWORK, extra=says("refused the tunnel"))
        dead = f"http://127.0.0.1:{free_port()}"
        t.case("proxy: nothing listens at the proxy, exit 4", ["--proxy", dead, "token"],
               NETWORK)
        for label, env, args in (
                ("no_proxy names the host", {"https_proxy": dead, "no_proxy": "localhost"}, []),
                ("NO_PROXY by suffix", {"https_proxy": dead, "NO_PROXY": "example.com,.localhost"},
                 []),
                ("no_proxy '*'", {"https_proxy": dead, "no_proxy": "*"}, []),
                ("a port-less no_proxy entry matches any port",
                 {"https_proxy": dead, "no_proxy": "127.0.0.1,localhost"}, []),
                ("--noproxy over the environment", {"https_proxy": dead, "no_proxy": "other"},
                 ["--noproxy", "localhost"]),
                ("--proxy \"\" means none", {"https_proxy": dead}, ["--proxy", ""])):
            t.case(f"proxy: {label}: direct", args + ["token"], OK, token_cmd=True, env=env)
        t.case("proxy: a no_proxy entry for another port does not match",
               ["token"], NETWORK, env={"https_proxy": dead, "no_proxy": "localhost:1"})
        t.case("proxy: a suffix is matched at a dot only",
               ["token"], NETWORK, env={"https_proxy": dead, "no_proxy": "calhost"})
        t.case("proxy: an https:// proxy is refused, exit 2",
               ["--proxy", "https://127.0.0.1:3128", "token"], USAGE, offline=True)
        t.case("proxy: a bad port is refused, exit 2",
               ["--proxy", "127.0.0.1:99999", "token"], USAGE, offline=True)
    finally:
        for px in (open_px, auth_px, deny_px):
            px.stop()


def state_cases(t):
    """upload --state: killed mid-way, the same command resumes from the
    last confirmed chunk; no chunk reaches the emulator twice."""
    emu = t.emu
    tmp = t.paths["tmp"]
    data = os.urandom(6 * 1024 + 100)  # 7 chunks of 1 KiB
    src = write_file(os.path.join(tmp, "resume.bin"), data, 0o644)
    state = os.path.join(tmp, "upload.state")
    args = ["upload", src, "--to", DEST, "--name", "resume.bin", "--state", state]
    emu.configure(reset=True, chunk_size=1024, chunk_delay=1, status_polls=0)
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **t.base_env}
    p = subprocess.Popen([t.fwc, *args], env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    uid, confirmed = None, 0
    started = time.monotonic()
    while p.poll() is None and time.monotonic() - started < HANG_S:
        uid = emu.stats().get("last_upload_id")
        if uid:
            st, info, _ = emu.call("GET", "/_emulator/uploads/" + uid)
            confirmed = info.get("chunks_received", 0) if st == 200 else 0
            if confirmed >= 3 and os.path.exists(state):
                break
        time.sleep(0.1)
    p.kill()
    p.communicate()
    mode = os.stat(state).st_mode & 0o777 if os.path.exists(state) else None
    t.check("upload --state: killed mid-way, a 0600 state file is left", mode == 0o600,
            f"mode {mode if mode is None else oct(mode)}, {confirmed} chunks confirmed")
    saved = open(state).read() if os.path.exists(state) else ""
    t.check("upload --state: the state names the upload and a chunk past the first",
            uid is not None and f"id {uid}\n" in saved and "next_chunk 0\n" not in saved,
            saved)
    other = write_file(os.path.join(tmp, "other.bin"), data + b"x", 0o644)
    t.case("upload --state: refused for another file, exit 2",
           ["upload", other, "--to", DEST, "--state", state], USAGE)
    t.case("upload --state: refused for another destination, exit 2",
           ["upload", src, "--to", DEST + "elsewhere/", "--name", "resume.bin",
            "--state", state], USAGE)

    def resumed(r, stats):
        p = []
        if stats.get("uploads_created"):
            p.append("a new upload was created instead of resuming")
        st, info, _ = emu.call("GET", "/_emulator/uploads/" + str(uid))
        if st != 200:
            return p + [f"no upload {uid}"]
        if info["sha256"] != hashlib.sha256(data).hexdigest() or not info["complete"]:
            p.append(f"sha256/complete differ: {info['sha256']} {info['complete']}")
        stored = [c[0] for c in info.get("chunk_log", []) if c[1] == "stored"]
        if sorted(stored) != list(range(7)):
            p.append(f"chunks stored: {stored}")
        # A chunk the state confirmed is never sent again; the one in flight
        # when the run was killed may be (stored, its answer lost: 409).
        m = re.search(r"^next_chunk (\d+)$", saved, re.M)
        confirmed_upto = int(m.group(1)) if m else 0
        again = [c for c in info.get("chunk_log", [])[confirmed_upto:] if c[0] < confirmed_upto]
        if again or confirmed_upto == 0:
            p.append(f"a confirmed chunk (< {confirmed_upto}) reached the emulator again: "
                     f"{info['chunk_log']}")
        late = [c for c in info.get("chunk_log", []) if c[1] == "duplicate"
                and c[0] != confirmed_upto]
        if late:
            p.append(f"a chunk other than the one in flight was sent twice: {info['chunk_log']}")
        if os.path.exists(state):
            p.append("the state file is still there after success")
        return p

    t.case("upload --state: the same command continues from the last confirmed chunk",
           args, OK, settings={"reset": True, "chunk_size": 1024, "chunk_delay": 0,
                               "status_polls": 0}, extra=resumed)
    emu.configure(reset=True)


def timeout_case(t):
    # Last: the emulator's handler still sleeps after the tool is gone, and
    # issues a token when it wakes.
    # No upper bound on the time: on a busy machine any bound is a guess.
    # Exit 4 says enough, since the answer comes at 3 s and a tool that
    # waited for it would have printed a token and exited 0. Where the
    # second ran out is the machine's business: under valgrind on a loaded
    # machine the TLS handshake alone can take it, and the request then
    # never reaches the emulator; both are the timeout doing its job.
    def bounded(r, stats):
        p = []
        if r.elapsed < 0.8:
            p.append(f"gave up after {r.elapsed:.2f} s, before its 1 s timeout")
        if "timed out" not in r.err:
            p.append("no 'timed out' message")
        return p
    t.case("exit 4: --timeout 1 against a token answer delayed 3 s",
           ["--timeout", "1", "token"], NETWORK,
           settings={"fault": "slow", "slow_seconds": 3}, extra=bounded)


# ---- issue 18, item 7: the CLI for scripts and services ------------------------

COMMANDS = ("token", "get", "request", "upload")
# Each command's own options: its help names them, and no other command's.
COMMAND_OPTIONS = {"token": ["--json"], "get": ["--accept"],
                   "request": ["--data", "--content-type", "--accept"],
                   "upload": ["--to", "--folder", "--name", "--field"]}
MAN_PAGE = os.path.join(ROOT, "examples", "cli", "fwc.1")


def options_in(text):
    """The options a help text names: --long and -x, without a value."""
    return sorted(set(re.findall(r"(?<![\w-])(--[a-z][a-z-]*[a-z]|-[a-zA-Z])(?![\w-])", text)))


def help_cases(t):
    """fwc help CMD and fwc CMD --help: the command's own help, the same
    both ways, exit 0, without configuration or network."""
    for cmd in COMMANDS:
        others = sorted({o for c, opts in COMMAND_OPTIONS.items() if c != cmd for o in opts}
                        - set(COMMAND_OPTIONS[cmd]))
        texts = {}

        def own(r, stats, cmd=cmd, others=others, texts=texts):
            p = []
            if not re.search(rf"usage: fwc .*\b{cmd}\b", r.out):
                p.append(f"no 'usage: fwc ... {cmd}' line")
            p += [f"does not name {o}" for o in COMMAND_OPTIONS[cmd] if o not in r.out]
            p += [f"names {o}, another command's option" for o in others if o in r.out]
            texts[" ".join(r.argv)] = r.out
            return p
        t.case(f"fwc help {cmd}: that command's usage and options only, exit 0",
               ["help", cmd], OK, base_env=False, offline=True, extra=own)
        t.case(f"fwc {cmd} --help: the same as fwc help {cmd}", [cmd, "--help"], OK,
               base_env=False, offline=True,
               extra=lambda r, stats, own=own, cmd=cmd, texts=texts: own(r, stats) + (
                   [] if texts.get(f"help {cmd}") == r.out else
                   [f"differs from fwc help {cmd}"]))

    def general(r, stats):
        return [f"does not list {c}" for c in COMMANDS if c not in r.out] + (
            [] if "usage" in r.out.lower() else ["no usage text"])
    t.case("fwc help: the general usage, exit 0", ["help"], OK, base_env=False, offline=True,
           extra=general)
    t.case("exit 2: fwc help of an unknown command", ["help", "frobnicate"], USAGE,
           base_env=False, offline=True, extra=said("frobnicate"))


def opt_equals_cases(t):
    """--opt=value works as well as --opt value."""
    paths, emu = t.paths, t.emu
    flags = [f"--url={emu.url}", f"--client-id={CLIENT_ID}", f"--secret-file={paths['secret']}",
             f"--ca-file={paths['ca']}", f"--token-path={TOKEN_PATH}", "--auth=basic",
             "--timeout=60"]

    def basic(r, stats):
        p = issued_token(r, stats)
        if stats.get("last_client_auth") != "basic":
            p.append(f"client authentication {stats.get('last_client_auth')}, wanted basic")
        return p
    t.case("--opt=value for every global option (flags only, no FWC_*)", [*flags, "token"], OK,
           base_env=False, token_cmd=True, extra=basic)
    src = write_file(os.path.join(paths["tmp"], "equals.bin"), b"e" * 300, 0o644)

    def uploaded(r, stats):
        p = [] if r.out.strip().endswith("/eq/e.bin.info") else [
            "stdout is not the asset URL of eq/e.bin"]
        st, info, _ = emu.call("GET", "/_emulator/uploads/" + str(stats.get("last_upload_id")))
        fields = ((info or {}).get("request") or {}).get("metadata", {}).get("fields") \
            if st == 200 else None
        if not fields or fields[0].get("id") != 5 or fields[0].get("value") not in (
                "a=b", ["a=b"]):
            p.append(f"field 5 is not 'a=b': {fields!r}")
        return p
    t.case("--to=, --folder=, --name=, --field=5=a=b (the value keeps its '=')",
           ["upload", src, f"--to={DEST}", "--folder=eq", "--name=e.bin", "--field=5=a=b"], OK,
           extra=uploaded)
    t.case("get PATH --accept=application/json", ["get", "/fotoweb/me/",
                                                   "--accept=application/json"], OK,
           extra=lambda r, stats: [] if isinstance(json_of(r.out), dict) else ["no JSON"])
    t.case("exit 2: --json=yes (a flag that takes no value)", ["token", "--json=yes"], USAGE,
           offline=True, extra=said("--json"))
    t.case("exit 2: --url= (an empty value)", ["--url=", "token"], USAGE, offline=True,
           extra=said("--url"))


def verbose_cases(t):
    """-v / --verbose set the log level at run time; at the default level a
    failure is told once, by the tool."""
    paths = t.paths

    def once(*words):
        def extra(r, stats):
            p = [] if not re.search(r"\b(warning|info|debug): ", r.err) else [
                "a library log line at the default level"]
            for w in words:
                n = r.err.lower().count(w)
                if n != 1:
                    p.append(f"{w!r} said {n} times, wanted once")
            return p
        return extra
    t.case("default level, wrong secret: one message, the tool's (no library warning too)",
           ["token"], REFUSED, env={"FWC_CLIENT_SECRET_FILE": paths["wrong"]},
           extra=once("invalid client credentials"))
    t.case("default level, connection refused: one message, the tool's",
           ["token", "--url", f"https://localhost:{free_port()}"], NETWORK,
           extra=once("connection refused"))

    def levels(want, unwanted=()):
        def extra(r, stats):
            p = [f"stderr has no '{w}' line" for w in want if w not in r.err]
            p += [f"stderr has a '{w}' line" for w in unwanted if w in r.err]
            # The log shows at most a token's first 4 characters: no run of
            # 8 of them anywhere.
            for tok in t.tokens | {stats.get("last_token") or ""}:
                if len(tok) >= 8 and any(tok[i:i + 8] in r.err for i in range(len(tok) - 7)):
                    p.append("stderr holds 8 characters of a token")
            return p
        return extra
    t.case("-v token: the library's info lines (new token, lifetime), no debug",
           ["-v", "token"], OK, token_cmd=True,
           extra=lambda r, s: issued_token(r, s) + levels(
               ["info: new access token", "info: token lifetime"], ["debug: "])(r, s))
    t.case("--verbose after the command: the same", ["token", "--verbose"], OK, token_cmd=True,
           extra=lambda r, s: issued_token(r, s) + levels(["info: new access token"])(r, s))
    t.case("-v -v get: debug lines too, no secret or token in them", ["-v", "-v", "get",
                                                                        "/fotoweb/me/"], OK,
           extra=levels(["info: new access token", "debug: "]))
    t.case("-vv token --auth basic: debug lines, no secret or token in them",
           ["-vv", "token", "--auth", "basic"], OK, token_cmd=True,
           extra=lambda r, s: issued_token(r, s) + levels(["debug: "])(r, s))
    src = write_file(os.path.join(paths["tmp"], "verbose.bin"), os.urandom(3000), 0o644)
    t.case("-v -v upload: debug lines, the asset URL alone on stdout",
           ["-v", "-v", "upload", src, "--to", DEST], OK,
           settings={"chunk_size": 1000, "status_polls": 1},
           extra=lambda r, s: levels(["debug: "])(r, s) + (
               [] if len(r.out.splitlines()) == 1 else ["stdout is not one line"]))
    t.case("-v, wrong secret: the library's warning is logged, the tool's message follows",
           ["-v", "token"], REFUSED, env={"FWC_CLIENT_SECRET_FILE": paths["wrong"]},
           extra=levels(["warning: "]))


def path_cases(t):
    """API paths are under the base URL and start with '/'; a base URL may
    carry a prefix (a proxy's), but not FotoWeb's own /fotoweb, which every
    path repeats. Each mistake is named with what to change."""
    emu, paths = t.emu, t.paths
    t.case("exit 2: get fotoweb/me/ (no leading '/'): says to write /fotoweb/me/",
           ["get", "fotoweb/me/"], USAGE, offline=True, extra=said("/fotoweb/me/"))
    t.case("exit 2: request GET fotoweb/me/: the same", ["request", "GET", "fotoweb/me/"],
           USAGE, offline=True, extra=said("/fotoweb/me/"))
    t.case("exit 2: --token-path fotoweb/oauth2/token: says to write /fotoweb/oauth2/token",
           ["token", "--token-path", "fotoweb/oauth2/token"], USAGE, offline=True,
           extra=said("/fotoweb/oauth2/token"))
    src = write_file(os.path.join(paths["tmp"], "to.bin"), b"t" * 10, 0o644)
    t.case("exit 2: upload --to fotoweb/archives/5000-Uploads/: says to start it with '/'",
           ["upload", src, "--to", DEST.lstrip("/")], USAGE, offline=True,
           extra=said(DEST.lower()))
    t.case("exit 2: --url ending in /fotoweb with the default token path: says to drop it",
           ["token", "--url", emu.url + "/fotoweb"], USAGE, offline=True,
           extra=said("/fotoweb/fotoweb/", "--url " + emu.url.lower()))
    t.case("exit 2: --url ending in /fotoweb/ and get /fotoweb/me/: says to drop it",
           ["get", "/fotoweb/me/", "--url", emu.url + "/fotoweb/",
            "--token-path", "/oauth2/token"], USAGE, offline=True,
           extra=said("/fotoweb/fotoweb/me/", "--url " + emu.url.lower()))

    def me(r, stats):
        return [] if isinstance(json_of(r.out), dict) and stats.get("api_requests") == 1 else [
            "stdout is not /fotoweb/me/'s JSON"]
    t.case("a base URL with a prefix works: --url .../fotoweb, --token-path /oauth2/token, "
           "get /me/", ["get", "/me/", "--url", emu.url + "/fotoweb",
                        "--token-path", "/oauth2/token"], OK, extra=me)
    t.case("--url with a trailing '/' is the bare host", ["get", "/fotoweb/me/", "--url",
                                                          emu.url + "/"], OK, extra=me)
    t.case("exit 5: --url with another prefix (/proxy), token endpoint 404: names the path "
           "sent and what to change", ["token", "--url", emu.url + "/proxy"], SERVER,
           extra=said("/proxy/fotoweb/oauth2/token", "--url " + emu.url.lower()))
    t.case("exit 5: get with --url .../proxy: the same, not 'HTTP 0'",
           ["get", "/fotoweb/me/", "--url", emu.url + "/proxy"], SERVER,
           extra=lambda r, s: said("/proxy/fotoweb/oauth2/token")(r, s) + (
               ["says HTTP 0"] if "HTTP 0" in r.err else []))


def run_on_pty(t, args, settings):
    """Run the tool with stderr on a pseudo-terminal (stdout on a pipe):
    a Run whose err is all the terminal got, byte for byte (raw mode)."""
    import pty
    import threading
    import tty
    t.emu.configure(**(settings or {}))
    master, slave = pty.openpty()
    tty.setraw(slave)
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **t.base_env}
    got = []

    def drain():
        while True:
            try:
                b = os.read(master, 65536)
            except OSError:
                return
            if not b:
                return
            got.append(b)
    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    started = time.monotonic()
    try:
        p = subprocess.run([t.fwc, *args], env=env, stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=slave, timeout=HANG_S)
        rc, out = p.returncode, p.stdout
    except subprocess.TimeoutExpired as e:
        rc, out = None, e.stdout or b""
    elapsed = time.monotonic() - started
    os.close(slave)
    reader.join(HANG_S)
    os.close(master)
    r = Run(list(args), rc, out.decode("utf-8", "replace"),
            b"".join(got).decode("utf-8", "replace"), elapsed, False)
    t.runs.append(r)
    return r


def progress_cases(t):
    """On a terminal the progress line is redrawn at most 10 times a second
    (and once more when the upload ends); off a terminal it is not drawn."""
    size, chunk = 256 * 1024, 16 * 1024
    src = write_file(os.path.join(t.paths["tmp"], "progress.bin"), os.urandom(size), 0o644)
    # 16 chunks answered after 0.1 s each: the upload lasts at least 1.6 s.
    r = run_on_pty(t, ["upload", src, "--to", DEST],
                   {"chunk_size": chunk, "chunk_delay": 0.1, "status_polls": 0})
    draws = r.err.count("\r")
    limit = 10 * r.elapsed + 2
    p = []
    if r.rc != OK:
        p.append(f"exit {r.rc}, wanted 0")
    if draws < 3:
        p.append(f"{draws} draws of the progress line in a {r.elapsed:.1f} s upload on a "
                 "terminal, wanted at least 3")
    if draws > limit:
        p.append(f"{draws} draws in {r.elapsed:.2f} s: more than 10 a second "
                 f"(at most {int(limit)})")
    if not r.err.endswith("\n"):
        p.append("the progress line is not ended by a newline")
    if f"{size} / {size}" not in r.err:
        p.append("the last draw does not show the whole size sent")
    if t.leaks(r.err) or t.leaks(r.out):
        p.append("a secret or token shows")
    t.check(f"progress on a terminal: {draws} draws in {r.elapsed:.1f} s, at most 10 a second "
            "plus the last", not p, "\n".join(p) + "\n" + t.show(r))

    def quiet(r, stats):
        return ["stderr not empty off a terminal"] if r.err else []
    t.case("progress off a terminal: nothing on stderr", ["upload", src, "--to", DEST], OK,
           settings={"chunk_size": chunk, "status_polls": 0}, extra=quiet)


def roff_text(src):
    """The man page's source as plain text: hyphens, fonts and escapes undone."""
    text = re.sub(r"\\f(\[[A-Z]*\]|[A-Z])", "", src)
    text = text.replace("\\-", "-").replace("\\(em", "-").replace("\\&", "").replace("\\e", "\\")
    return text


def man_page_cases(t):
    """examples/cli/fwc.1: present, SPDX-tagged, naming every option and
    command of the help, every variable and exit code; groff renders it
    without a warning."""
    name = "man page examples/cli/fwc.1"
    if not os.path.exists(MAN_PAGE):
        t.check(f"{name} exists", False, f"{MAN_PAGE} is missing")
        return
    with open(MAN_PAGE, encoding="utf-8") as f:
        src = f.read()
    t.check(f"{name} starts with an SPDX-License-Identifier: MIT comment",
            src.startswith('.\\" SPDX-License-Identifier: MIT\n'), src[:80])
    text = roff_text(src)
    helps = {"--help": t.run(["--help"], base_env=False)}
    for cmd in COMMANDS:
        helps[f"help {cmd}"] = t.run(["help", cmd], base_env=False)
    missing = []
    for what, r in helps.items():
        for opt in options_in(r.out):
            if not re.search(rf"(?<![\w-]){re.escape(opt)}(?![\w-])", text):
                missing.append(f"{opt} (fwc {what})")
    for word in [*COMMANDS, "help"]:
        if not re.search(rf"^\.(SS|TP|B|BR|IP).*\b{word}\b", src, re.M):
            missing.append(f"command {word}")
    env_vars = set(re.findall(r"\bFWC_[A-Z_]+\b", helps["--help"].out))
    missing += [v for v in sorted(env_vars) if v not in text]
    codes = re.findall(r"\b(\d) (?:success|usage|credentials|network|server|the output)",
                       helps["--help"].out)
    for code in codes:
        if not re.search(rf"^\.TP\n\.?B?\s*{code}\s*$", src, re.M):
            missing.append(f"exit code {code}")
    t.check(f"{name} names every option of fwc --help and fwc help CMD, every command, "
            f"FWC_* variable and exit code ({len(codes)} codes)",
            not missing and len(codes) >= 6, "missing: " + ", ".join(missing))
    groff = subprocess.run(["sh", "-c", "command -v groff"], capture_output=True, text=True)
    if groff.returncode != 0:
        t.check(f"{name} renders without warnings", True, skip="no groff here")
        return
    g = subprocess.run(["groff", "-man", "-Tutf8", "-ww", "-b", "-z", MAN_PAGE],
                       capture_output=True, text=True)
    t.check(f"{name}: groff -man -Tutf8 -ww renders it without a warning",
            g.returncode == 0 and not g.stderr.strip(), g.stderr)


# ---- issue 20: warm starts, --cache FILE ------------------------------------------

def cache_cases(t):
    """--cache FILE / FWC_CACHE: the second run within the token's lifetime
    makes no token request and resumes the TLS session; the file is 0600,
    written atomically under FILE.lock; a file others may read, or that is
    not a regular file, is refused (exit 2) before the network; a cache for
    another server or client, a corrupt one, an expired token each give a
    cold start that works; runs at once leave a usable file."""
    emu, tmp = t.emu, t.paths["tmp"]
    folder = os.path.join(tmp, "cache")
    os.mkdir(folder, 0o700)
    cache = os.path.join(folder, "warm")
    get = ["--cache", cache, "get", "/fotoweb/me/"]

    def again(name, args, want, env=None, want_rc=OK):
        """A run that keeps the emulator's statistics: want(r, d) judges it
        on d(key), what this run added to key."""
        before = emu.stats()
        r = t.run(args, env)
        after = emu.stats()
        if after.get("last_token"):
            t.tokens.add(after["last_token"])

        def d(key):
            return (after.get(key) or 0) - (before.get(key) or 0)
        p = [] if r.rc == want_rc else [f"exit {r.rc}, wanted {want_rc}"]
        leaked = t.leaks(r.err) + t.leaks(r.out)
        if leaked:
            p.append("output shows: " + ", ".join(leaked))
        if r.rc is not None:
            p += want(r, d)
        t.check(name, not p, "\n".join(p) + f"\n(token requests +{d('token_requests')}, "
                f"handshakes resumed +{d('tls_resumed')})\n" + t.show(r))
        return r

    def mode_of(path):
        return os.lstat(path).st_mode & 0o777 if os.path.lexists(path) else None

    def leftovers():
        return sorted(n for n in os.listdir(folder) if n.endswith(".tmp"))

    def cold(r, d):
        p = [] if d("token_requests") == 1 else [f"{d('token_requests')} token requests, "
                                                  "wanted 1 (a cold start)"]
        if mode_of(cache) != 0o600:
            p.append(f"cache file mode {mode_of(cache) and oct(mode_of(cache))}, wanted 0600")
        if leftovers():
            p.append(f"temporary files left: {leftovers()}")
        return p

    def warm(r, d):
        p = []
        if d("token_requests"):
            p.append(f"{d('token_requests')} token request(s): the cached token was not used")
        if d("tls_resumed") != 1:
            p.append(f"{d('tls_resumed')} resumed handshakes, wanted 1")
        if d("api_requests") != 1 or not r.out.startswith("{"):
            p.append("not one API request with its answer on stdout")
        return p

    emu.configure()
    again("--cache: the first run starts cold and writes the file, mode 0600, no temporary "
          "file left", get, cold)
    with open(cache, "rb") as f:
        first = f.read()
    # The token is in it (hence 0600); the client secret never is.
    t.check("--cache: the file does not hold the client secret",
            SECRET.encode() not in first and SECRET.encode()[:12] not in first,
            f"{len(first)} bytes")
    again("--cache: a second run within the token's lifetime: no token request, the TLS "
          "session resumed", get, warm)
    r = again("FWC_CACHE, -v: warm too, and the notice says what was taken, never the "
              "contents", ["-v", "get", "/fotoweb/me/"],
              lambda r, d: warm(r, d) + ([] if "took the token and the TLS session" in r.err
                                         else ["no notice of what the cache gave"]),
              env={"FWC_CACHE": cache})
    r = again("--cache without -v: nothing said about the cache on stderr", get,
              lambda r, d: ["stderr: " + r.err] if r.err.strip() else [])

    # Refusals: before the network, the file left as it was.
    def refused(*words):
        def check(r, d):
            p = [] if not d("token_requests") and not d("api_requests") else [
                "the network was used before the refusal"]
            p += [f"no '{w}' in the message" for w in words if w not in r.err]
            if r.out:
                p.append("printed on stdout")
            return p
        return check
    kept = open(cache, "rb").read()
    os.chmod(cache, 0o640)
    again("--cache: a group-readable cache file is refused, exit 2", get,
          refused("chmod 600", cache), want_rc=USAGE)
    os.chmod(cache, 0o604)
    again("--cache: an other-readable cache file is refused, exit 2", get,
          refused("chmod 600"), want_rc=USAGE)
    os.chmod(cache, 0o600)
    link = os.path.join(folder, "link")
    os.symlink(cache, link)
    again("--cache: a symbolic link is refused, exit 2", ["--cache", link, "get", "/fotoweb/me/"],
          refused("symbolic link"), want_rc=USAGE)
    sub = os.path.join(folder, "adir")
    os.mkdir(sub, 0o700)
    again("--cache: a directory is refused, exit 2", ["--cache", sub, "get", "/fotoweb/me/"],
          refused("not a regular file"), want_rc=USAGE)
    t.check("--cache: the refusals left the file as it was",
            open(cache, "rb").read() == kept and mode_of(cache) == 0o600)

    # Another server: the same emulator as https://127.0.0.1:PORT, another
    # base URL. Nothing of the cache applies; the file then holds that one.
    other_url = emu.url.replace("localhost", "127.0.0.1")
    again("--cache: a cache for another base URL: a cold start that works",
          ["--url", other_url, *get],
          lambda r, d: ([] if d("token_requests") == 1 and d("tls_resumed") == 0 else
                        ["not a cold start (token request and full handshake)"]) +
          ([] if r.out.startswith("{") else ["no API answer"]))
    again("--cache: back on the first base URL: a cold start again (the file was rewritten "
          "for the other)", get, cold)
    # Another client ID: a run whose credentials are refused still stores
    # its TLS session, bound to that client ID; the right client must not
    # take it.
    os.unlink(cache)
    again("--cache: a refused client (exit 3) still writes its cache", [
        "--client-id", "someone-else", *get], lambda r, d: [] if os.path.exists(cache) else
        ["no cache written"], want_rc=REFUSED)
    again("--cache: a cache for another client ID: a cold start that works", get,
          lambda r, d: ([] if d("token_requests") == 1 and d("tls_resumed") == 0 else
                        ["not a cold start (token request and full handshake)"]))

    # Corrupt and truncated files: a cold start, and the file rewritten.
    good = open(cache, "rb").read()
    for what, data in (("random bytes", os.urandom(300)), ("an empty file", b""),
                       ("a cut-off cache", good[:len(good) // 2]),
                       ("a cache too large", good + os.urandom(70000))):
        write_file(cache, data, 0o600)
        again(f"--cache: {what}: a cold start that works, and the file is rewritten", get,
              lambda r, d, data=data: cold(r, d) + (
                  [] if open(cache, "rb").read() != data else ["the file was not rewritten"]))
    again("--cache: after a corrupt file, the rewritten one gives a warm start", get, warm)

    # An expired token: a new token, but the TLS session still resumes.
    emu.configure(lifetime=2)
    os.unlink(cache)
    again("--cache: with a 2 s token lifetime, a cold run", get, cold)
    time.sleep(3)
    again("--cache: the cached token has expired: one token request, the TLS session still "
          "resumed", get, lambda r, d: ([] if d("token_requests") == 1 else
                                        [f"{d('token_requests')} token requests, wanted 1"]) +
          ([] if d("tls_resumed") >= 1 else ["no resumed handshake"]))
    emu.configure()

    # A path where nothing can be created: the run works, a warning says so.
    again("--cache in a folder that does not exist: the command works, a warning says why",
          ["--cache", os.path.join(folder, "none", "warm"), "get", "/fotoweb/me/"],
          lambda r, d: [] if "warning" in r.err and "cache" in r.err else ["no warning"])

    # Runs at once: each gets the lock in turn; the file stays whole.
    os.unlink(cache)
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **t.base_env}
    before = emu.stats()
    procs = [subprocess.Popen([t.fwc, *get], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE) for _ in range(4)]
    outs = []
    for p in procs:
        try:
            out, err = p.communicate(timeout=HANG_S)
        except subprocess.TimeoutExpired:
            p.kill()
            out, err = p.communicate()
        outs.append((p.returncode, out, err))
    after = emu.stats()
    n_tokens = after["token_requests"] - before["token_requests"]
    bad = [f"exit {rc}: {t.redact(err.decode('utf-8', 'replace'))}" for rc, _, err in outs
           if rc != 0 or not out.startswith(b"{")]
    t.check(f"--cache: 4 runs at once all succeed ({n_tokens} token request(s) among them)",
            not bad and 1 <= n_tokens <= 4, "\n".join(bad))
    t.check("--cache: after runs at once the file is 0600 and no temporary file is left",
            mode_of(cache) == 0o600 and not leftovers(),
            f"mode {mode_of(cache)}, left {leftovers()}")
    again("--cache: after runs at once the file gives a warm start", get, warm)
    emu.configure()


def emulator_check(t):
    """The emulator answers a token and /fotoweb/me/ to Python's client."""
    emu = t.emu
    emu.configure()
    body = urllib.parse.urlencode({"grant_type": "client_credentials", "client_id": CLIENT_ID,
                                   "client_secret": SECRET}).encode()
    st, ans, _ = emu.call("POST", TOKEN_PATH, body,
                          {"Content-Type": "application/x-www-form-urlencoded"})
    ok = st == 200 and isinstance(ans, dict) and "access_token" in ans
    st2 = None
    if ok:
        st2, me, _ = emu.call("GET", "/fotoweb/me/", None,
                              {"Authorization": "Bearer " + ans["access_token"]})
        ok = st2 == 200 and isinstance(me, dict)
    t.check("emulator: a token and /fotoweb/me/ for Python's own client", ok,
            f"token {st}, me {st2}")
    return ok


def main():
    fwc = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else DEFAULT_FWC)
    if not os.access(fwc, os.X_OK):
        print(f"not ok 1 - {fwc} is an executable (make build/fwc)")
        print("1..1")
        return 1
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    t0 = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        pki = os.path.join(tmp, "pki")
        other = os.path.join(tmp, "other-pki")
        subprocess.run([test_token.MAKE_PKI, pki], check=True)
        subprocess.run([test_token.MAKE_PKI, other], check=True)
        wrong = os.path.join(tmp, "wrong-host-pki")
        make_wrong_host_pki(wrong)
        paths = {
            "tmp": tmp, "ca": os.path.join(pki, "ca.pem"),
            "other_ca": os.path.join(other, "ca.pem"),
            "secret": write_file(os.path.join(tmp, "secret"), SECRET.encode()),
            "wrong": write_file(os.path.join(tmp, "wrong-secret"), WRONG_SECRET.encode()),
            "loose": write_file(os.path.join(tmp, "loose-secret"), SECRET.encode(), 0o644),
        }
        emu = test_token.Emulator(tmp, pki)
        wrong_dir = os.path.join(tmp, "wrong-host")
        os.mkdir(wrong_dir)
        wrong_emu = None
        t = Tester(fwc, emu, paths, t0)
        try:
            wrong_emu = test_token.Emulator(wrong_dir, wrong, control=False)
            if emulator_check(t):
                help_and_version(t)
                token_cases(t)
                secret_line_cases(t)
                example_hook_cases(t)
                api_cases(t)
                hostile_text_cases(t)
                write_error_cases(t)
                usage_cases(t)
                refused_cases(t)
                network_cases(t, wrong_emu.url, os.path.join(wrong, "ca.pem"))
                server_cases(t)
                help_cases(t)
                opt_equals_cases(t)
                verbose_cases(t)
                path_cases(t)
                progress_cases(t)
                man_page_cases(t)
                proxy_cases(t)
                state_cases(t)
                cache_cases(t)
                timeout_case(t)
                # Every run again, against every token issued in the end.
                bad = []
                for r in t.runs:
                    # The token command's stdout is the token: only the
                    # secret is checked there.
                    for label, text, tokens in (("stderr", r.err, True),
                                                ("stdout", r.out, not r.token_cmd)):
                        leaked = t.leaks(text, with_tokens=tokens)
                        if leaked:
                            bad.append(f"fwc {t.redact(shlex.join(r.argv))}: {label} shows "
                                       + ", ".join(leaked))
                t.check(f"no secret or token on stderr of any run, nor on stdout but for "
                        f"token ({len(t.runs)} runs, {len(t.tokens)} tokens)", not bad,
                        "\n".join(bad))
        finally:
            for e in (emu, wrong_emu):
                if e is None:
                    continue
                e.stop()
                log = e.output().strip()
                e.log.close()
                if log:
                    for line in log.splitlines()[-40:]:
                        print(f"# emulator: {t.redact(line)}")

    failed = t.results.count(False)
    print(f"1..{len(t.results)}")
    print(f"# {len(t.results) - failed} passed, {failed} failed "
          f"in {time.monotonic() - t0:.1f} s")
    return 1 if failed or not t.results else 0


if __name__ == "__main__":
    sys.exit(main())
