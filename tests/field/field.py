#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Field networks: fwc and curl over shaped links and real proxies.

  field.py bench [--profiles gprs,3g,...] [--clients fwc,curl] [--fwc build/fwc]
                 [--file-mib 3] [--out build/field] [--doc docs/PERFORMANCE.md]
  field.py check [--fwc build/fwc]                   (TAP, for make test)
  field.py run PROFILE [--client fwc|curl] [--proxy open|auth|refuse]
                 [--steps token,get,upload] [--file-kib N] [--chunk-kib N]

Each runs in a private network namespace of its own (it re-runs itself
under `unshare --net`; root): the FotoWeb emulator
(tests/server/fotoweb_emulator.py, real TLS with a throwaway CA) sits
behind the shaped link of tests/field/link.py, and the proxies of
tests/field/proxy.py are on the client's loopback. Nothing leaves the
namespaces.

For each profile and client, three steps, each a fresh process as a
script on a device would run it:
  token   `fwc token` / curl POSTing the token form
  get     `fwc get /fotoweb/me/` / curl: the token, then the GET
  upload  `fwc upload FILE` of a file of random bytes (3 MiB, the
          emulator's chunk size 1 MiB) / curl: the token, the create
          POST, then every chunk (multipart/form-data, part "chunk", cut
          into files beforehand) and the status poll in one process, with
          --retry-all-errors so that a dropped chunk is posted again; the
          emulator answers "done" on the first poll. curl is told not to
          send "Expect: 100-continue", which would cost it a round trip
          per chunk: the reference should be curl at its best.
and for each step: success (exit status, the emulator's SHA-256 of what
it assembled against the file's), wall time, goodput (file bytes over the
upload's wall time, token and create included, for both clients), bytes
the client sent through the link per byte of file (TLS, HTTP and
multipart overhead included: resent chunks show here), connections
opened (counted by the relay), and the emulator's log of chunk posts
(stored, truncated, duplicate...).

bench: every profile (and two proxied variants) with fwc and curl in one
run; prints the tables and writes them to OUT/results.md, OUT/results.json
and, with --doc, into that file's "Field networks" section, replaced on
each run. A benchmark: it exits non-zero only when the rig itself failed,
never because a client did.

check: the short run for make test, as TAP. Checks the link (its rate
never above the profile's, its round trip never under it: bounds a busy
machine cannot break), the relay's faults, the proxies with curl, and
fwc on 3g (a small upload, and a 1 MiB chunk sent once at 40 KB/s), on a
20 s stall and on a link that drops, fwc through the three proxies and
with the proxy variables, and `fwc upload --state`.
"""
import argparse
import hashlib
import json
import os
import re
import shutil
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
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)

import link as linkmod  # noqa: E402
from link import (KB, MIB, PROFILES, SERVER_NAME, SERVER_PORT, S_LINK, S_MGMT,  # noqa: E402
                  Link, LinkError, describe, fmt_rate, in_private_netns)
from proxy import Proxies  # noqa: E402

DEST = "/fotoweb/archives/5000-Uploads/"
CLIENT_ID = "demo-client"
SECRET = "s3cr+t/with=odd&chars"   # the emulator's demo client
PROXY_VARS = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")
BENCH_VARIANTS = [("gprs", None), ("3g", None), ("lte-poor", None), ("satellite", None),
                  ("lan", None), ("drop", None), ("lan", "open"), ("3g", "auth")]


class RigError(Exception):
    """The rig itself failed (not a client): the run cannot go on."""


# ---- the emulator, on the server side ------------------------------------------------------

class Emulator:
    def __init__(self, link, work, pki):
        self.link, self.work, self.pki = link, work, pki

    def start(self):
        env = dict(os.environ, FWC_PKI_EXTRA_SAN=",IP:%s,IP:%s,DNS:%s" % (S_LINK, S_MGMT,
                                                                          SERVER_NAME))
        r = subprocess.run([os.path.join(ROOT, "tests/server/make_pki.sh"), self.pki], env=env,
                           capture_output=True, text=True)
        if r.returncode:
            raise RigError("make_pki.sh: " + r.stderr)
        self.ca = os.path.join(self.pki, "ca.pem")
        port_file = os.path.join(self.work, "emulator.port")
        log = open(os.path.join(self.work, "emulator.log"), "wb")
        # On every address of the server side: the relay reaches it on
        # loopback, the driver on the management pair.
        self.proc = self.link.spawn_s(
            [sys.executable, os.path.join(ROOT, "tests/server/fotoweb_emulator.py"),
             "--bind", "0.0.0.0", "--port-file", port_file, "--tls-cert",
             os.path.join(self.pki, "server.pem"), "--tls-key", os.path.join(self.pki, "server.key"),
             "--control", "--tcp-nodelay", "--status-polls", "0"], stdout=log, stderr=log)
        linkmod.wait_for(port_file, self.proc, "the emulator")
        with open(port_file) as f:
            self.port = int(f.read())
        self.ctx = ssl.create_default_context(cafile=self.ca)
        self.secret_file = os.path.join(self.work, "secret")
        fd = os.open(self.secret_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(SECRET + "\n")

    def call(self, method, path, body=None):
        req = urllib.request.Request("https://%s:%d%s" % (S_MGMT, self.port, path), data=body,
                                     method=method, headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, context=self.ctx, timeout=60) as r:
                data = r.read()
        except (urllib.error.URLError, OSError) as e:
            raise RigError("emulator %s %s: %s" % (method, path, e))
        return json.loads(data) if data else None

    def configure(self, **settings):
        return self.call("PUT", "/_emulator/config", json.dumps(settings).encode())

    def upload_ids(self):
        return self.call("GET", "/_emulator/uploads")["ids"]

    def upload(self, uid):
        return self.call("GET", "/_emulator/uploads/" + urllib.parse.quote(uid, safe=""))

    def forget(self, uid):
        self.call("DELETE", "/_emulator/uploads/" + urllib.parse.quote(uid, safe=""))


# ---- one step of one client -------------------------------------------------------------

class Step:
    """What one step did: the process's outcome and the link's view of it."""

    def __init__(self, name):
        self.name = name
        self.ok = False
        self.rc = None
        self.wall = None
        self.note = ""
        self.stdout = self.stderr = ""
        self.relay = {}
        self.upload = None      # the emulator's summary of the upload, if any
        self.uploads = 0        # uploads created by the step
        self.sha_ok = None
        self.file_size = None

    def as_dict(self):
        d = {k: v for k, v in self.__dict__.items() if k not in ("stdout", "stderr")}
        d["stderr_tail"] = self.stderr[-400:]
        return d

    @property
    def connections(self):
        return self.relay.get("connections")

    @property
    def sent_per_byte(self):
        if not self.file_size or "up_bytes" not in self.relay:
            return None
        return self.relay["up_bytes"] / self.file_size

    @property
    def goodput(self):
        if not self.ok or not self.file_size or not self.wall:
            return None
        return self.file_size / self.wall

    @property
    def chunk_goodput(self):
        """File bytes over the chunk phase as the server saw it: from the
        first chunk request's headers to the last chunk body in. The same
        clock and the same end points for every client, whatever it does
        before its first chunk (curl: two more processes and handshakes)."""
        times = (self.upload or {}).get("chunk_times")
        if not self.ok or not times:
            return None
        span = max(t[2] for t in times) - min(t[1] for t in times)
        return self.file_size / span if span > 0 else None

    def chunk_posts(self):
        """The emulator's chunk log, compact: "0 1x 1 2 2": chunk 1 truncated
        once, then stored."""
        if not self.upload:
            return "-"
        out = []
        for index, outcome, _ in self.upload["chunk_log"]:
            out.append("%s%s" % (index, "" if outcome == "stored" else ":" + outcome))
        return " ".join(out) or "none"

    def resent(self):
        """(again, after_loss): the chunks whose body reached the server
        whole more than once (a resend of data it had, or was still
        receiving), and the chunks with a body that ended early (the
        connection was lost, or the client gave up mid-body). Order does
        not matter: a killed connection's remains may reach the server
        after the next run's post."""
        whole, cut = {}, set()
        for index, outcome, _ in (self.upload or {}).get("chunk_log", []):
            if outcome == "truncated":
                cut.add(index)
            else:
                whole[index] = whole.get(index, 0) + 1
        return {i for i, n in whole.items() if n > 1}, cut


def clean_env(extra):
    env = {k: v for k, v in os.environ.items()
           if k.lower() not in PROXY_VARS and not k.startswith("FWC_")}
    env.update(extra)
    return env


def step_cap(profile, nbytes):
    """A hang guard, never a pass mark: a client still running after
    four times the link's own transfer time (plus 3 minutes) is stopped
    and the step reported as a failure."""
    rate = PROFILES[profile]["up"]
    return 180 + (4 * nbytes / rate if rate else 0)


class Rig:
    """The namespaces, the emulator, the proxies; the clients' steps."""

    def __init__(self, out, fwc, curl="curl"):
        self.out = out
        self.fwc = os.path.abspath(fwc) if fwc else None
        self.curl = curl
        self.work = tempfile.mkdtemp(prefix="fwc-field-")
        self.link = Link(self.work)
        self.proxies = Proxies(self.work)
        self.emu = None

    def __enter__(self):
        try:
            self.link.start()
            pki = os.path.join(self.out, "pki")
            shutil.rmtree(pki, ignore_errors=True)   # a fresh CA each run
            self.emu = Emulator(self.link, self.work, pki)
            self.emu.start()
            self.link.start_relay(self.emu.port)
            self.proxies.start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        self.proxies.close()
        self.link.close()
        shutil.rmtree(self.work, ignore_errors=True)

    # ---- what every client is given ----------------------------------------------------

    def url(self, proxy):
        host = SERVER_NAME if proxy else S_LINK
        return "https://%s:%d" % (host, SERVER_PORT)

    def fwc_env(self, proxy, extra=None):
        env = clean_env({"FWC_URL": self.url(proxy), "FWC_CA_FILE": self.emu.ca,
                         "FWC_CLIENT_ID": CLIENT_ID,
                         "FWC_CLIENT_SECRET_FILE": self.emu.secret_file})
        env.update(extra or {})
        return env

    def fwc_cmd(self, proxy, *args):
        cmd = [self.fwc]
        if proxy:
            cmd += ["--proxy", self.proxies.url(proxy)]
        return cmd + list(args)

    def curl_base(self, proxy):
        cmd = [self.curl, "-sS", "--cacert", self.emu.ca]
        if proxy:
            cmd += ["--proxy", self.proxies.url(proxy)]
        return cmd

    # ---- running a step ------------------------------------------------------------------

    def execute(self, step, cmd, env, cap, stdin=None):
        t = time.monotonic()
        try:
            r = subprocess.run(cmd, env=env, capture_output=True, timeout=cap,
                               stdin=stdin or subprocess.DEVNULL)
            step.rc = r.returncode
            step.stdout = r.stdout.decode("utf-8", "replace")
            step.stderr = r.stderr.decode("utf-8", "replace")
        except subprocess.TimeoutExpired as e:
            step.rc = "cap"
            step.stdout = (e.stdout or b"").decode("utf-8", "replace")
            step.stderr = (e.stderr or b"").decode("utf-8", "replace")
            step.note = "stopped after %.0f s (the rig's hang guard)" % cap
        step.wall = (step.wall or 0) + time.monotonic() - t
        return step.rc == 0

    def begin(self, profile, faults):
        self.link.arm(faults=faults)
        return self.emu.upload_ids()

    def finish_upload(self, step, before, data_sha):
        after = self.emu.upload_ids()
        new = [u for u in after if u not in before]
        step.uploads = len(new)
        if new:
            step.upload = self.emu.upload(new[-1])
            u = step.upload
            step.sha_ok = bool(u["complete"] and u["size"] == step.file_size
                               and u["sha256"] == data_sha)
            for uid in new:
                self.emu.forget(uid)
        else:
            step.sha_ok = False

    def end(self, step):
        step.relay = self.link.stats()
        return step

    # ---- fwc -------------------------------------------------------------------------------

    def fwc_token(self, profile, proxy=None):
        step = Step("token")
        self.begin(profile, False)
        ok = self.execute(step, self.fwc_cmd(proxy, "token"), self.fwc_env(proxy),
                          step_cap(profile, 0))
        step.ok = ok and len(step.stdout.strip()) > 0
        return self.end(step)

    def fwc_get(self, profile, proxy=None):
        step = Step("get")
        self.begin(profile, False)
        ok = self.execute(step, self.fwc_cmd(proxy, "get", "/fotoweb/me/"), self.fwc_env(proxy),
                          step_cap(profile, 0))
        step.ok = ok and '"userName"' in step.stdout
        return self.end(step)

    def fwc_upload(self, profile, data, proxy=None, faults=True, extra_args=()):
        path, size, sha = data
        step = Step("upload")
        step.file_size = size
        before = self.begin(profile, faults)
        ok = self.execute(step, self.fwc_cmd(proxy, "upload", path, "--to", DEST, *extra_args),
                          self.fwc_env(proxy), step_cap(profile, size))
        self.end(step)
        self.finish_upload(step, before, sha)
        step.ok = ok and bool(step.sha_ok)
        return step

    # ---- curl -------------------------------------------------------------------------------

    def curl_token_into(self, step, profile, proxy):
        """curl POSTing the token form; the token, or None."""
        form = os.path.join(self.work, "token.form")
        if not os.path.exists(form):
            fd = os.open(form, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as f:
                f.write(urllib.parse.urlencode([("grant_type", "client_credentials"),
                                                ("client_id", CLIENT_ID),
                                                ("client_secret", SECRET)]))
        cmd = self.curl_base(proxy) + ["--data-binary", "@" + form,
                                        self.url(proxy) + "/fotoweb/oauth2/token"]
        if not self.execute(step, cmd, clean_env({}), step_cap(profile, 0)):
            return None
        try:
            token = json.loads(step.stdout)["access_token"]
        except (ValueError, KeyError, TypeError):
            step.note = "no token in curl's answer: " + step.stdout[:100]
            return None
        header = os.path.join(self.work, "auth.header")
        fd = os.open(header, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write("Authorization: Bearer %s\n" % token)
        return header

    def curl_token(self, profile, proxy=None):
        step = Step("token")
        self.begin(profile, False)
        step.ok = self.curl_token_into(step, profile, proxy) is not None
        return self.end(step)

    def curl_get(self, profile, proxy=None):
        step = Step("get")
        self.begin(profile, False)
        header = self.curl_token_into(step, profile, proxy)
        if header:
            ok = self.execute(step, self.curl_base(proxy) + ["-H", "@" + header,
                              self.url(proxy) + "/fotoweb/me/"], clean_env({}),
                              step_cap(profile, 0))
            step.ok = ok and '"userName"' in step.stdout
        return self.end(step)

    def curl_upload(self, profile, data, chunk_dir, proxy=None, faults=True):
        path, size, sha = data
        step = Step("upload")
        step.file_size = size
        before = self.begin(profile, faults)
        header = self.curl_token_into(step, profile, proxy)
        if header:
            self.curl_chunks(step, profile, proxy, header, path, size, chunk_dir)
        self.end(step)
        self.finish_upload(step, before, sha)
        step.ok = step.ok and bool(step.sha_ok)
        return step

    def curl_chunks(self, step, profile, proxy, header, path, size, chunk_dir):
        base = self.url(proxy) + "/fotoweb/api/uploads"
        create = json.dumps({"destination": DEST, "filename": os.path.basename(path),
                             "fileSize": size})
        if not self.execute(step, self.curl_base(proxy) + [
                "-H", "@" + header, "-H", "Content-Type: application/json",
                "--data-binary", create, base], clean_env({}), step_cap(profile, 0)):
            return
        try:
            created = json.loads(step.stdout)
            uid, n = created["id"], created["numChunks"]
        except (ValueError, KeyError, TypeError):
            step.note = "create: " + step.stdout[:100]
            return
        chunks = sorted(f for f in os.listdir(chunk_dir))
        if len(chunks) != n:
            raise RigError("%d chunk files, the server wants %d" % (len(chunks), n))
        at = base + "/" + urllib.parse.quote(uid, safe="")
        cmd = [self.curl]
        for i, name in enumerate(chunks):
            cmd += self.curl_base(proxy)[1:] + [
                "--retry", "5", "--retry-all-errors", "--retry-delay", "1",
                # No "Expect: 100-continue" (curl asks for it above 1 MiB):
                # a round trip per chunk that fwc does not spend.
                "-H", "Expect:", "-H", "@" + header, "-F", "chunk=@%s;type=application/octet-stream;filename=%s"
                % (os.path.join(chunk_dir, name), os.path.basename(path)),
                "-o", "/dev/null", "-w", "%{http_code}\n", "%s/chunks/%d" % (at, i), "--next"]
        cmd += self.curl_base(proxy)[1:] + ["-H", "@" + header, "-w", "\n%{http_code}\n",
                                            at + "/status"]
        ok = self.execute(step, cmd, clean_env({}), step_cap(profile, size))
        lines = step.stdout.strip().split("\n")
        codes = lines[:n] + lines[-1:]
        if not ok or codes != ["204"] * n + ["200"]:
            step.note = step.note or "curl's answers: %s" % " ".join(codes)
            return
        try:
            status = json.loads(lines[-2])["status"]
        except (ValueError, KeyError, IndexError, TypeError):
            status = None
        step.ok = status == "done"
        if not step.ok:
            step.note = "status %r" % status

    # ---- dispatch ---------------------------------------------------------------------------

    def steps(self, client, profile, data, chunk_dir, proxy=None, which=("token", "get", "upload")):
        out = []
        for name in which:
            if client == "fwc":
                s = {"token": lambda: self.fwc_token(profile, proxy),
                     "get": lambda: self.fwc_get(profile, proxy),
                     "upload": lambda: self.fwc_upload(profile, data, proxy)}[name]()
            else:
                s = {"token": lambda: self.curl_token(profile, proxy),
                     "get": lambda: self.curl_get(profile, proxy),
                     "upload": lambda: self.curl_upload(profile, data, chunk_dir, proxy)}[name]()
            if s.rc not in (0, None) and not s.note:
                s.note = "exit %s: %s" % (s.rc, last_line(s.stderr))
            out.append(s)
        return out


def last_line(text):
    """The last line of a client's stderr that says something (not fwc's
    "(see fwc --help)")."""
    lines = [ln for ln in text.strip().split("\n") if ln.strip() and not ln.startswith("(")]
    return lines[-1][:160] if lines else ""


def make_file(work, size):
    """A file of size random bytes: (path, size, SHA-256)."""
    path = os.path.join(work, "field-%d.bin" % size)
    data = os.urandom(size)
    with open(path, "wb") as f:
        f.write(data)
    return path, size, hashlib.sha256(data).hexdigest()


def cut_chunks(work, data, chunk_size):
    path, size, _ = data
    d = os.path.join(work, "chunks-%d" % chunk_size)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    with open(path, "rb") as f:
        i = 0
        for block in iter(lambda: f.read(chunk_size), b""):
            with open(os.path.join(d, "%05d" % i), "wb") as out:
                out.write(block)
            i += 1
    return d


# ---- bench: the table -----------------------------------------------------------------------

def fmt_s(x):
    return "-" if x is None else ("%.2f s" % x if x < 10 else "%.0f s" % x)


def step_cell(s):
    if s is None:
        return "-"
    return fmt_s(s.wall) if s.ok else "FAIL (%s)" % ("cap" if s.rc == "cap" else "exit %s" % s.rc
                                                     if s.rc else "check")


def variant_name(profile, proxy):
    return profile + (" via %s proxy" % proxy if proxy else "")


def bench_rows(results):
    rows = []
    for r in results:
        tok, get, up = (r["steps"].get(k) for k in ("token", "get", "upload"))
        rows.append([
            variant_name(r["profile"], r["proxy"]), r["client"], step_cell(tok), step_cell(get),
            ("ok" if up.ok else "FAIL") if up else "-",
            fmt_s(up.wall) if up else "-",
            fmt_rate(up.goodput) if up and up.goodput else "-",
            fmt_rate(up.chunk_goodput) if up and up.chunk_goodput else "-",
            "%.2f" % up.sent_per_byte if up and up.sent_per_byte is not None else "-",
            str(up.connections) if up and up.connections is not None else "-",
            ("yes" if up.sha_ok else "no") if up else "-",
            up.chunk_posts() if up else "-",
            up.note if up and not up.ok else ""])
    return rows


HEAD = ["link", "client", "token", "get", "upload", "upload time", "goodput", "chunk goodput",
        "sent/file",
        "conns", "SHA-256", "chunk posts", "note"]


def text_table(head, rows):
    widths = [max(len(str(r[i])) for r in [head] + rows) for i in range(len(head))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(head, widths))]
    lines.append("-" * len(lines[0]))
    for r in rows:
        lines.append("  ".join(str(c).ljust(w) for c, w in zip(r, widths)))
    return "\n".join(lines)


def md_table(head, rows):
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        out.append("| " + " | ".join(str(c).replace("|", "\\|") for c in r) + " |")
    return "\n".join(out)


def link_rows(measured):
    rows = []
    for name, m in measured.items():
        p = PROFILES[name]
        rows.append([name, describe(p), "%.0f ms" % m["rtt_ms"], fmt_rate(m["up"]),
                     fmt_rate(m["down"])])
    return rows


LINK_HEAD = ["profile", "set", "RTT measured", "up measured", "down measured"]

DOC_SECTION = "## Field networks (`make field`)"


def doc_text(results, measured, context, file_mib):
    return "\n".join([
        DOC_SECTION, "",
        "Written by `make field` (tests/field/field.py bench); replaced on each run. fwc "
        "and curl, one after the other on the same link in the same run, against the "
        "FotoWeb emulator over TLS behind the link emulator of tests/field/link.py: "
        "the kernel's tbf for the rate, the relay of tests/field/relay.py for the round "
        "trip, the stall and the reset. Each step is a new process: `token`, `get` "
        "(token + GET /fotoweb/me/) and `upload` of a %g MiB file of random bytes in "
        "1 MiB chunks (token, create, chunks, status; for curl three processes, the chunks "
        "and status in one, with `--retry-all-errors`). goodput: file bytes over the "
        "upload's wall time, as a script sees it (curl's includes its two extra "
        "connections). chunk goodput: file bytes over the chunk phase as the emulator saw "
        "it, from the first chunk request's headers to the last chunk's body, the same "
        "end points for both clients. sent/file: bytes the client sent through the link over the "
        "file's size (TLS, HTTP and multipart included; a resent chunk adds about 1/3 "
        "here). conns: TCP connections the upload opened. chunk posts: the emulator's log, "
        "in order (`1:truncated`: chunk 1's body ended early, the connection lost). A "
        "benchmark, not a test: `make test` runs the short `field.py check`." % file_mib,
        "",
        "### The links, as measured",
        "",
        "A plain TCP client through each link (the probe server of relay.py): the lowest "
        "of five 1-byte round trips, and about 3 s of data each way. tbf counts whole "
        "frames, so payload rates come out about 5 % under the rate set.",
        "",
        md_table(LINK_HEAD, link_rows(measured)), "",
        "### fwc and curl", "",
        md_table(HEAD, bench_rows(results)), "",
        "Reading it against issue 17: on every profile the upload should say ok with "
        "SHA-256 yes; on the shaped ones fwc's goodput should be at least 0.95 of curl's "
        "(chunk goodput compares the two without curl's extra connections); sent/file "
        "should stay near 1.0 (about 1.2 on drop, where one chunk's first half is lost with "
        "the connection, for curl too), and chunk posts should show no `:duplicate` (a "
        "chunk sent again while the server had it). The link emulator does not delay the "
        "TCP handshake (tests/field/relay.py says why), so each connection costs one round "
        "trip less than on a real link, for both clients.", "",
        context, ""])


def write_doc(doc, text):
    with open(doc) as f:
        old = f.read()
    start = old.find(DOC_SECTION)
    if start < 0:
        new = old.rstrip("\n") + "\n\n" + text
    else:
        m = re.compile(r"^## ", re.M).search(old, start + len(DOC_SECTION))
        new = old[:start] + text + ("\n" + old[m.start():] if m else "")
    with open(doc + ".tmp", "w") as f:
        f.write(new)
    os.replace(doc + ".tmp", doc)


def bench_main(a):
    profiles = a.profiles.split(",") if a.profiles else None
    variants = [v for v in BENCH_VARIANTS if profiles is None or v[0] in profiles]
    if profiles:
        variants += [(p, None) for p in profiles if (p, None) not in variants]
    clients = a.clients.split(",")
    os.makedirs(a.out, exist_ok=True)
    started = time.monotonic()
    load = os.getloadavg()[0]
    results, measured = [], {}
    with Rig(a.out, a.fwc) as rig:
        size = int(a.file_mib * MIB)
        data = make_file(rig.work, size)
        rig.emu.configure(chunk_size=MIB, status_polls=0)
        chunk_dir = cut_chunks(rig.work, data, MIB)
        for profile, proxy in variants:
            rig.link.shape(profile)
            if profile not in measured:
                measured[profile] = rig.link.measure()
                m = measured[profile]
                print("link %-10s RTT %.0f ms, up %s, down %s  (set: %s)" % (
                    profile, m["rtt_ms"], fmt_rate(m["up"]), fmt_rate(m["down"]),
                    describe(PROFILES[profile])), flush=True)
            for client in clients:
                print("  %s on %s ..." % (client, variant_name(profile, proxy)), end="",
                      flush=True)
                steps = rig.steps(client, profile, data, chunk_dir, proxy)
                results.append({"profile": profile, "proxy": proxy, "client": client,
                                "steps": {s.name: s for s in steps}})
                print(" " + ", ".join("%s %s" % (s.name, step_cell(s)) for s in steps),
                      flush=True)
    took = time.monotonic() - started
    curl_v = subprocess.run([a.curl, "--version"], capture_output=True, text=True).stdout
    fwc_v = subprocess.run([a.fwc, "--version"], capture_output=True, text=True).stdout
    words = curl_v.split("\n")[0].split()
    curl_name = " ".join(words[:2] + [w for w in words if w.startswith("OpenSSL/")])
    context = ("Run: %s; %s (%s); %s; %d CPUs, load average %.2f at the start; "
               "%.0f s in all." % (time.strftime("%Y-%m-%d"), fwc_v.strip().split("\n")[0],
                                   git_describe(), curl_name, os.cpu_count() or 0, load, took))
    print()
    print(text_table(LINK_HEAD, link_rows(measured)))
    print()
    print(text_table(HEAD, bench_rows(results)))
    print()
    print(context)
    text = doc_text(results, measured, context, a.file_mib)
    with open(os.path.join(a.out, "results.md"), "w") as f:
        f.write(text)
    with open(os.path.join(a.out, "results.json"), "w") as f:
        json.dump({"link": measured, "context": context,
                   "runs": [dict(r, steps={k: s.as_dict() for k, s in r["steps"].items()})
                            for r in results]}, f, indent=1, default=str)
    if a.doc:
        write_doc(a.doc, text)
        print("written: %s (section \"%s\")" % (a.doc, DOC_SECTION[3:]))
    return 0


def git_describe():
    """The commit fwc was built from; "-dirty" when the library's or the
    tool's sources differ from it (a regenerated document does not count)."""
    r = subprocess.run(["git", "-C", ROOT, "describe", "--always"], capture_output=True,
                       text=True)
    d = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--", "src", "include",
                        "port", "examples", "Makefile"], capture_output=True, text=True)
    return (r.stdout.strip() or "?") + ("-dirty" if d.stdout.strip() else "")


# ---- check: the short TAP run for make test --------------------------------------------

class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def result(self, ok, what, detail=""):
        self.n += 1
        print("%s %d - %s" % ("ok" if ok else "not ok", self.n, what), flush=True)
        if detail and (not ok or os.environ.get("FWC_FIELD_VERBOSE")):
            for line in str(detail).strip().split("\n"):
                print("#   " + line)
        if not ok:
            self.failed += 1
        return ok

    def check(self, what, fn):
        """fn returns (ok, detail)."""
        try:
            ok, detail = fn()
        except RigError as e:
            ok, detail = False, "rig: %s" % e
        return self.result(ok, what, detail)


def describe_step(s):
    d = "exit %s after %s; relay: %s conns, %s B up" % (
        s.rc, fmt_s(s.wall), s.relay.get("connections"), s.relay.get("up_bytes"))
    if s.upload is not None:
        d += "; chunks: %s; sha ok: %s; sent/file %.2f" % (s.chunk_posts(), s.sha_ok,
                                                           s.sent_per_byte or 0)
    if s.note:
        d += "; " + s.note
    if s.rc not in (0, None):
        d += "\nstderr: " + s.stderr[-300:]
    return d


def curl_connect_code(rig, proxy_url, url_host=None, extra=()):
    """curl to the token endpoint through a proxy: (exit, CONNECT answer's
    status, HTTP status)."""
    url = "https://%s:%d/fotoweb/oauth2/token" % (url_host or SERVER_NAME, SERVER_PORT)
    cmd = [rig.curl, "-sS", "--cacert", rig.emu.ca, "-o", "/dev/null", "-w",
           "%{http_connect} %{http_code}", "-d", "grant_type=client_credentials&client_id="
           + CLIENT_ID + "&client_secret=" + urllib.parse.quote(SECRET, safe=""), url]
    if proxy_url:
        cmd[1:1] = ["--proxy", proxy_url]
    r = subprocess.run(cmd + list(extra), capture_output=True, text=True, env=clean_env({}),
                       timeout=120)
    codes = (r.stdout.split() + ["", ""])[:2]
    return r.returncode, codes[0], codes[1], r.stderr.strip()


def check_link(tap, rig):
    rig.link.shape("lan")
    m = rig.link.measure(seconds=1)
    tap.result(m["up"] > 0 and m["down"] > 0, "link lan: a plain client gets its bytes both ways",
               "RTT %.1f ms, up %s, down %s" % (m["rtt_ms"], fmt_rate(m["up"]), fmt_rate(m["down"])))
    rig.link.shape("3g")
    p = PROFILES["3g"]
    m = rig.link.measure(seconds=2)
    detail = "RTT %.0f ms (set %d), up %s (set %s), down %s (set %s)" % (
        m["rtt_ms"], p["rtt_ms"], fmt_rate(m["up"]), fmt_rate(p["up"]), fmt_rate(m["down"]),
        fmt_rate(p["down"]))
    print("# link 3g as measured: " + detail)
    # Only bounds a busy machine cannot break: a link is never faster than
    # its tbf, and a round trip never shorter than the relay's delays.
    tap.result(m["up"] <= 1.25 * p["up"], "link 3g: upstream shaped to at most 40 KB/s", detail)
    tap.result(m["down"] <= 1.25 * p["down"], "link 3g: downstream shaped to at most 250 KB/s",
               detail)
    tap.result(m["rtt_ms"] >= 0.95 * p["rtt_ms"], "link 3g: round trip at least 600 ms", detail)


def check_relay_faults(tap, rig):
    """The relay's stall and reset on a plain connection (lan)."""
    rig.link.shape("lan")
    rig.link.control({"op": "set", "stall_after": 256 * KB, "stall_s": 2.0})
    t = time.monotonic()
    linkmod.probe_up(1 * MIB, 0)
    took = time.monotonic() - t
    st = rig.link.stats()
    tap.result(took >= 2.0 and len(st["stalls"]) == 1,
               "relay: a 2 s stall after 256 KB holds a 1 MiB transfer for at least 2 s",
               "took %.2f s; stalls %s" % (took, st["stalls"]))
    rig.link.control({"op": "set", "reset_after": 256 * KB})
    err = None
    try:
        linkmod.probe_up(1 * MIB, 0)
    except (OSError, LinkError) as e:
        err = e
    st = rig.link.stats()
    tap.result(isinstance(err, (ConnectionResetError, BrokenPipeError))
               and len(st["resets"]) == 1,
               "relay: a reset after 256 KB ends the transfer with a TCP reset",
               "client saw %r; resets %s" % (err, st["resets"]))
    rig.link.shape("lan")


def check_proxies(tap, rig):
    rig.link.shape("lan")
    px = rig.proxies
    rc, conn, code, err = curl_connect_code(rig, None)
    tap.result(rc != 0 and code in ("", "000"),
               "proxy rig: without a proxy, the server's name does not resolve (curl)",
               "curl exit %d, %s" % (rc, err))
    rc, conn, code, err = curl_connect_code(rig, px.url("open"))
    tap.result(rc == 0 and conn == "200" and code == "200",
               "proxy open: curl's CONNECT is answered 200, the token fetch 200",
               "curl exit %d, CONNECT %s, HTTP %s, %s" % (rc, conn, code, err))
    rc, conn, code, err = curl_connect_code(rig, px.url("auth", ""))
    tap.result(rc != 0 and conn == "407", "proxy auth: CONNECT without credentials is 407",
               "curl exit %d, CONNECT %s, %s" % (rc, conn, err))
    # tinyproxy 1.11 answers a wrong password with 401 and WWW-Authenticate
    # (no credentials at all: 407): a client must take either as refusal.
    rc, conn, code, err = curl_connect_code(rig, px.url("auth", "field:wrong"))
    tap.result(rc != 0 and conn in ("401", "407"),
               "proxy auth: CONNECT with a wrong password is refused (tinyproxy: 401)",
               "curl exit %d, CONNECT %s, %s" % (rc, conn, err))
    rc, conn, code, err = curl_connect_code(rig, px.url("auth"))
    tap.result(rc == 0 and conn == "200" and code == "200",
               "proxy auth: with Basic credentials, CONNECT 200 and the token fetch 200",
               "curl exit %d, CONNECT %s, HTTP %s, %s" % (rc, conn, code, err))
    rc, conn, code, err = curl_connect_code(rig, px.url("refuse"))
    tap.result(rc != 0 and conn == "403", "proxy refuse: CONNECT to port 4443 is 403",
               "curl exit %d, CONNECT %s, %s" % (rc, conn, err))


def small_file(rig, kib):
    return make_file(rig.work, kib * 1024)


def fwc_small(tap, rig, data):
    rig.link.shape("3g")
    s = rig.fwc_token("3g")
    tap.result(s.ok, "fwc on 3g: token", describe_step(s))
    s = rig.fwc_get("3g")
    tap.result(s.ok, "fwc on 3g: get /fotoweb/me/", describe_step(s))
    s = rig.fwc_upload("3g", data)
    again, lost = s.resent()
    tap.result(s.ok and not again and not lost and s.uploads == 1,
               "fwc on 3g: 192 KiB in 64 KiB chunks uploaded, SHA-256 matches, each chunk once",
               describe_step(s))


def curl_small(tap, rig, data, chunk_dir):
    s = rig.curl_upload("3g", data, chunk_dir)
    tap.result(s.ok, "curl on 3g: the same upload (the rig's own reference)", describe_step(s))


def check_main(a):
    tap = Tap()
    with Rig(a.out, a.fwc) as rig:
        check_link(tap, rig)
        check_relay_faults(tap, rig)
        check_proxies(tap, rig)

        rig.emu.configure(chunk_size=64 * 1024, status_polls=0)
        small = small_file(rig, 192)
        small_chunks = cut_chunks(rig.work, small, 64 * 1024)
        fwc_small(tap, rig, small)
        curl_small(tap, rig, small, small_chunks)

        rig.emu.configure(chunk_size=MIB)
        big = make_file(rig.work, 3 * MIB)

        held = {}

        def drop():
            rig.link.shape("drop")
            s = held["drop"] = rig.fwc_upload("drop", big)
            return bool(s.ok and s.relay.get("resets")), describe_step(s)
        tap.check("fwc on drop (lan, reset mid-chunk 1 of 3): the upload completes, SHA-256 "
                  "matches", drop)

        def drop_no_resend():
            s = held.get("drop")
            if s is None or not s.relay.get("resets"):
                return False, "the drop run did not reach the reset"
            again, lost = s.resent()
            fine = s.ok and not again and lost <= {1} and s.uploads == 1
            return fine, describe_step(s) + "\nresent after success: %s; after the loss: %s" % (
                sorted(again), sorted(lost))
        tap.check("fwc on drop: resumes at the dropped chunk, no earlier chunk resent",
                  drop_no_resend)

        def one_mib_3g():
            rig.link.shape("3g")
            one = make_file(rig.work, MIB)
            s = rig.fwc_upload("3g", one)
            again, lost = s.resent()
            return (s.ok and not again and not lost and s.uploads == 1
                    and (s.sent_per_byte or 9) < 1.1), describe_step(s)
        tap.check("fwc on 3g: a 1 MiB chunk at 40 KB/s completes, sent once", one_mib_3g)

        def stall():
            rig.link.shape("stall")
            s = rig.fwc_upload("stall", big)
            again, lost = s.resent()
            return (s.ok and bool(s.relay.get("stalls")) and not again and not lost
                    and s.uploads == 1), describe_step(s)
        tap.check("fwc on stall (20 s without a byte, mid-chunk 1): completes, no chunk resent",
                  stall)

        proxy_checks(tap, rig, small)
        resume_check(tap, rig, big)
    print("1..%d" % tap.n)
    return 1 if tap.failed else 0


def proxy_checks(tap, rig, small):

    def via(proxy, step):
        def fn():
            rig.link.shape("lan")
            rig.emu.configure(chunk_size=64 * 1024)
            s = {"token": lambda: rig.fwc_token("lan", proxy),
                 "get": lambda: rig.fwc_get("lan", proxy),
                 "upload": lambda: rig.fwc_upload("lan", small, proxy)}[step]()
            return s.ok, describe_step(s)
        return fn
    for step in ("token", "get", "upload"):
        tap.check("fwc --proxy (open proxy, server name known to the proxy only): " + step,
                  via("open", step))
    tap.check("fwc --proxy http://user:pass@... (Basic proxy auth): token", via("auth", "token"))

    def refused(proxy_url, what):
        def fn():
            rig.link.shape("lan")
            s = Step("token")
            rig.begin("lan", False)
            rig.execute(s, [rig.fwc, "--proxy", proxy_url, "token"], rig.fwc_env("open"), 180)
            rig.end(s)
            # A named error: exit 4 (network), nothing on stdout, and the
            # message names the proxy.
            return (s.rc == 4 and not s.stdout.strip()
                    and "proxy" in s.stderr.lower()), describe_step(s) + "\nexpected: " + what
        return fn
    tap.check("fwc --proxy without the credentials the proxy wants: exit 4, a proxy error",
              refused(rig.proxies.url("auth", ""), "407 named"))
    tap.check("fwc --proxy with a wrong password (tinyproxy answers 401): exit 4, a proxy error",
              refused(rig.proxies.url("auth", "field:wrong"), "401 named"))
    tap.check("fwc --proxy that refuses CONNECT: exit 4, a proxy error",
              refused(rig.proxies.url("refuse"), "403 named"))

    def env(extra, want_ok, url_proxy=None):
        def fn():
            rig.link.shape("lan")
            s = Step("token")
            rig.begin("lan", False)
            rig.execute(s, [rig.fwc, "token"], rig.fwc_env(url_proxy, extra), 180)
            rig.end(s)
            ok = (s.rc == 0 and bool(s.stdout.strip())) if want_ok else s.rc not in (0, None)
            return ok, describe_step(s)
        return fn
    tap.check("fwc with https_proxy (open proxy): token through it",
              env({"https_proxy": rig.proxies.url("open")}, True, "open"))
    tap.check("fwc with HTTPS_PROXY (open proxy): token through it",
              env({"HTTPS_PROXY": rig.proxies.url("open")}, True, "open"))
    tap.check("fwc with https_proxy set to a refusing proxy: fails (the proxy is used)",
              env({"https_proxy": rig.proxies.url("refuse")}, False))
    tap.check("fwc with https_proxy refusing and no_proxy naming the server: goes direct",
              env({"https_proxy": rig.proxies.url("refuse"), "no_proxy": "example.org," + S_LINK},
                  True))
    tap.check("fwc with https_proxy refusing and no_proxy=*: goes direct",
              env({"https_proxy": rig.proxies.url("refuse"), "NO_PROXY": "*"}, True))

    def noproxy_flag():
        rig.link.shape("lan")
        s = Step("token")
        rig.begin("lan", False)
        rig.execute(s, [rig.fwc, "--noproxy", S_LINK, "token"],
                    rig.fwc_env(None, {"https_proxy": rig.proxies.url("refuse")}), 180)
        rig.end(s)
        return s.rc == 0 and bool(s.stdout.strip()), describe_step(s)
    tap.check("fwc --noproxy naming the server, https_proxy refusing: goes direct",
              noproxy_flag)


def resume_check(tap, rig, big):
    """fwc upload --state FILE killed mid-way (SIGKILL, during a stall in
    chunk 1) and run again: the same upload continues from its last
    confirmed chunk."""
    def fn():
        rig.link.shape("lan")
        rig.emu.configure(chunk_size=MIB)
        path, size, sha = big
        state = os.path.join(rig.work, "upload.state")
        if os.path.exists(state):
            os.remove(state)
        before = rig.emu.upload_ids()
        rig.link.control({"op": "set", "stall_after": 3 * MIB // 2, "stall_s": 600})
        cmd = [rig.fwc, "upload", path, "--to", DEST, "--state", state]
        p = subprocess.Popen(cmd, env=rig.fwc_env(None), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
        for _ in range(1200):   # until the stall holds chunk 1, or fwc gave up
            if rig.link.stats()["stalls"] or p.poll() is not None:
                break
            time.sleep(0.1)
        first_rc = p.poll()
        p.kill()
        out1, err1 = p.communicate()
        # The killed run's connection dies with the link (what its kernel
        # still held never arrives), then the link is back.
        rig.link.control({"op": "reset_all"})
        rig.link.control({"op": "set", "stall_after": None})
        step = Step("upload")
        step.file_size = size
        rig.execute(step, cmd, rig.fwc_env(None), 180)
        rig.end(step)
        rig.finish_upload(step, before, sha)
        again, lost = step.resent()
        ok = (first_rc is None and step.rc == 0 and step.sha_ok and step.uploads == 1
              and not again and lost <= {1})
        return ok, ("first run: %s (killed mid-chunk 1 when None)\n" % first_rc
                    + "first stderr: %s\n" % err1.decode(errors="replace")[-300:]
                    + describe_step(step))
    tap.check("fwc upload --state FILE: killed mid-chunk, run again, continues the same "
              "upload from its last confirmed chunk", fn)


# ---- run: one profile, by hand --------------------------------------------------------------

def run_main(a):
    with Rig(a.out, a.fwc) as rig:
        chunk = a.chunk_kib * 1024
        rig.emu.configure(chunk_size=chunk, status_polls=0)
        data = make_file(rig.work, a.file_kib * 1024)
        chunk_dir = cut_chunks(rig.work, data, chunk)
        rig.link.shape(a.profile)
        m = rig.link.measure()
        print("link %s: RTT %.0f ms, up %s, down %s (set: %s)" % (
            a.profile, m["rtt_ms"], fmt_rate(m["up"]), fmt_rate(m["down"]),
            describe(PROFILES[a.profile])))
        ok = True
        for s in rig.steps(a.client, a.profile, data, chunk_dir, a.proxy, a.steps.split(",")):
            ok &= s.ok
            print("%-7s %s: %s" % (s.name, "ok" if s.ok else "FAILED", describe_step(s)))
            if s.name == "upload":
                print("        goodput %s, sent/file %s, relay %s" % (
                    fmt_rate(s.goodput), "%.3f" % s.sent_per_byte if s.sent_per_byte else "-",
                    json.dumps(s.relay)))
    return 0 if ok else 1


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    for name in ("bench", "check", "run"):
        p = sub.add_parser(name)
        p.add_argument("--fwc", default=os.path.join(ROOT, "build/fwc"))
        p.add_argument("--curl", default="curl")
        p.add_argument("--out", default=os.path.join(ROOT, "build/field"))
    b = sub.choices["bench"]
    b.add_argument("--profiles", help="comma-separated (default: all, and the proxied variants)")
    b.add_argument("--clients", default="fwc,curl")
    b.add_argument("--file-mib", type=float, default=3)
    b.add_argument("--doc", help="write the tables into this Markdown file's section")
    r = sub.choices["run"]
    r.add_argument("profile", choices=sorted(PROFILES))
    r.add_argument("--client", choices=("fwc", "curl"), default="fwc")
    r.add_argument("--proxy", choices=("open", "auth", "refuse"))
    r.add_argument("--steps", default="token,get,upload")
    r.add_argument("--file-kib", type=int, default=3072)
    r.add_argument("--chunk-kib", type=int, default=1024)
    a = ap.parse_args()
    if a.fwc and not os.access(a.fwc, os.X_OK):
        ap.error("%s is not built (make build/fwc)" % a.fwc)
    in_private_netns()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    a.out = os.path.abspath(a.out)
    try:
        return {"bench": bench_main, "check": check_main, "run": run_main}[a.cmd](a)
    except (RigError, LinkError) as e:
        print("Bail out! field: %s" % e, flush=True)
        return 1


if __name__ == "__main__":
    sys.exit(main())
