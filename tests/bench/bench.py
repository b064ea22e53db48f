#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""make bench: fwc against curl, same server, same run; prints ratios.

Usage (make bench runs it under tests/server/with_emulator.sh --control,
which sets FWC_URL, FWC_CA_FILE, FWC_CLIENT_ID, FWC_CLIENT_SECRET_FILE):

  bench.py --fwc build/fwc --probe build/bench/bench_probe
           --launcher build/bench/bench_run --fwc-dev2k build/bench/fwc-dev2k
           --fwc-m36 build/bench/fwc-m36 --gcm build/bench/bench_gcm
           --gcm36 build/bench/bench_gcm36 --out build/bench
           [--doc docs/PERFORMANCE.md] [--curl curl] [--token-runs 30] [--api-runs 10]
           [--upload-mib 256] [--upload-runs 5]

A benchmark, not a test: it exits non-zero only when a client failed or a
check (one connection, the uploaded file's SHA-256) did not hold, never
because a goal was missed. Python standard library only.

1. Token fetch, a new process each time: `fwc token` against curl POSTing
   the same form (grant_type, client_id, client_secret) with the same CA to
   the same URL. Wall time of --token-runs runs each, interleaved (median,
   p90); CPU instructions of one run each under valgrind's callgrind (the
   "Collected" total, every thread of the process); the request's bytes on
   the wire (request line + headers + body) as the emulator read them.
   The same for fwc built on mbedTLS 3.6 (fwc-m36, statically linked),
   which speaks TLS 1.3 as curl does: the handshakes then match.
2. A token and 10 GETs of /fotoweb/me/ over one connection: bench_probe
   (one fwc_client: fwc_token, then fwc_request x 10) against one curl
   process given the token POST and, after --next, 10 GETs with
   "Authorization: Bearer" (a token fetched beforehand, outside the
   timing). Both must use exactly one TCP connection (the emulator counts
   them). Wall time (median of --api-runs), callgrind instructions.
3. Upload of a --upload-mib MiB file of random bytes (made once under
   OUT): `fwc upload` against curl doing the same Upload API calls: the
   create POST (JSON), then one process posting every chunk as
   multipart/form-data (part "chunk", cut into files beforehand, outside
   the timing) and the status GET, over one connection. The emulator is
   set to answer "done" on the first status poll, so neither client waits.
   build/fwc is built for Linux (16 KiB I/O buffer, full-size TLS records);
   the same upload again with the device's 2 KiB buffer (fwc-dev2k), and
   with fwc on mbedTLS 3.6 (fwc-m36, built as build/fwc is). Throughput (median of --upload-runs),
   each client's CPU time and maximum RSS (wait4 in tests/bench/bench_run.c),
   the emulator's CPU time over the same interval, the SHA-256 the emulator
   computed of what it received, and AES-256-GCM alone on one core in
   mbedTLS (bench_gcm and bench_gcm36, CPU time) and OpenSSL (openssl speed): the ceiling
   each TLS library puts on an upload. fwc's CPU time per uploaded MiB is
   set against bench_gcm's: what fwc costs beyond the cipher. Maximum RSS
   for a 1 MiB upload and for the big one, fwc and curl: fwc's must not grow.

4. A warm start: `fwc --cache FILE get` in a new process, with the token
   and TLS session the run before it left in FILE (the emulator must count
   no token request and one resumed handshake, every run), against one
   curl GET with the same bearer header (curl keeps no session across
   processes). Wall time (median of --api-runs), callgrind instructions;
   the same for fwc-m36 (a TLS 1.3 ticket).

Results: a table on stdout, the same as Markdown in OUT/results.md (and,
with --doc, in that file's "### Measured" section, replaced on each run),
and the raw figures in OUT/results.json.
"""
import argparse
import hashlib
import json
import os
import re
import shutil
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

TOKEN_PATH = "/fotoweb/oauth2/token"
API_PATH = "/fotoweb/me/"
DEST = "/fotoweb/archives/5000-Uploads/"
MIB = 1 << 20
API_CALLS = 10
SERVER_SATURATED = 0.85   # CPU / wall above this: that process is the bottleneck


class Failure(Exception):
    pass


# ---- the emulator's control endpoint -------------------------------------------

class Emulator:
    def __init__(self, url, ca):
        parts = urllib.parse.urlsplit(url)
        # The control calls go to the address; the clients use the URL as given.
        self.control = "https://127.0.0.1:%d" % parts.port
        self.ctx = ssl.create_default_context(cafile=ca)

    def call(self, method, path, body=None):
        req = urllib.request.Request(self.control + path, data=body, method=method,
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, context=self.ctx, timeout=60) as r:
                data = r.read()
        except urllib.error.HTTPError as e:
            raise Failure("emulator %s %s: %d %s" % (method, path, e.code, e.read()[:200]))
        return json.loads(data) if data else None

    def stats(self):
        return self.call("GET", "/_emulator/stats")

    def configure(self, **settings):
        return self.call("PUT", "/_emulator/config", json.dumps(settings).encode())

    def upload(self, uid):
        return self.call("GET", "/_emulator/uploads/" + urllib.parse.quote(uid, safe=""))

    def forget(self, uid):
        self.call("DELETE", "/_emulator/uploads/" + urllib.parse.quote(uid, safe=""))


def connections(before, after):
    """TCP connections a client made between two stats calls (the second
    stats call's own connection is not the client's)."""
    return after["connections"] - before["connections"] - 1


# ---- running a client -------------------------------------------------------------

class Run:
    """One finished process: wall time, CPU time, maximum RSS, exit status,
    output."""

    def __init__(self, fields, out, err):
        self.wall = fields["wall_ns"] / 1e9
        self.cpu = (fields["utime_us"] + fields["stime_us"]) / 1e6
        self.maxrss_kib = fields["maxrss_kib"]
        self.rc = fields["status"]
        self.out, self.err = out, err


LAUNCHER = None   # tests/bench/bench_run.c, built by bench.mk
OUT = None        # --out: callgrind's files are kept there for callgrind_annotate


def run(cmd, work):
    """Run cmd under the launcher, which times it and reads its rusage
    (see bench_run.c for why not from here); output goes to files, so no
    pipe needs draining while it runs."""
    out_path, err_path = os.path.join(work, "stdout"), os.path.join(work, "stderr")
    result = os.path.join(work, "rusage")
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        subprocess.run([LAUNCHER, result] + cmd, stdout=out, stderr=err,
                       stdin=subprocess.DEVNULL, check=False)
    with open(out_path, "rb") as f:
        stdout = f.read().decode("utf-8", "replace")
    with open(err_path, "rb") as f:
        stderr = f.read().decode("utf-8", "replace")
    try:
        with open(result) as f:
            fields = {k: int(v) for k, v in re.findall(r"(\w+)=(-?\d+)", f.read())}
        os.remove(result)
    except OSError:
        raise Failure("%s: not started: %s" % (cmd[0], stderr[-300:]))
    return Run(fields, stdout, stderr)


def must(r, what):
    if r.rc != 0:
        raise Failure("%s exited %d: %s %s" % (what, r.rc, r.out[-400:], r.err[-400:]))
    return r


COLLECTED = re.compile(r"==\d+== Collected : (\d+)")


def instructions(cmd, work, name):
    """Instructions (callgrind's Ir total) of one run of cmd."""
    out_file = os.path.join(OUT, "callgrind.%s.out" % name)
    r = must(run(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out_file] + cmd,
                 work), "callgrind " + name)
    m = COLLECTED.search(r.err)
    if not m:
        raise Failure("no callgrind total for %s: %s" % (name, r.err[-400:]))
    return int(m.group(1)), instruction_split(out_file)


GROUPS = (("TLS + crypto", re.compile(r"^lib(mbed(tls|x509|crypto)|ssl|crypto)\.so")),
          ("loader", re.compile(r"^ld-linux")),
          ("libc", re.compile(r"^libc\.so")),
          ("client", re.compile(r"^(fwc|fwc-dev2k|fwc-m36|bench_probe|curl|libcurl\.so.*)$")))


def instruction_split(out_file):
    """callgrind's instructions by kind of code: TLS + crypto libraries,
    the dynamic loader, libc, the client itself (fwc and its CLI or probe,
    statically linked; curl and libcurl), everything else."""
    r = subprocess.run(["callgrind_annotate", "--threshold=100", out_file],
                       capture_output=True, text=True)
    split = {name: 0 for name, _ in GROUPS}
    split["other"] = 0
    for line in r.stdout.splitlines():
        m = re.match(r"\s*([\d,]+) \(\s*[\d.]+%\)\s+\S.*\[(.*)\]\s*$", line)
        if not m:
            continue
        obj = os.path.basename(m.group(2))
        group = next((name for name, pat in GROUPS if pat.match(obj)), "other")
        split[group] += int(m.group(1).replace(",", ""))
    return split


def median(xs):
    s = sorted(xs)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def p90(xs):
    """Nearest-rank 90th percentile."""
    s = sorted(xs)
    return s[max(0, -(-9 * len(s) // 10) - 1)]


# ---- the table ----------------------------------------------------------------------

class Table:
    def __init__(self):
        self.rows = []   # (section, metric, fwc, curl, ratio, note)

    def add(self, section, metric, fwc, curl, ratio="", note=""):
        self.rows.append((section, metric, fwc, curl, ratio, note))

    def text(self):
        head = ("", "metric", "fwc", "curl (or as noted)", "ratio", "")
        rows = [head] + self.rows
        widths = [max(len(r[i]) for r in rows) for i in range(5)]
        lines = []
        for r in rows:
            lines.append("  ".join(r[i].ljust(widths[i]) if i < 2 else r[i].rjust(widths[i])
                                   for i in range(5)) + ("  " + r[5] if r[5] else ""))
            if r is head:
                lines.append("-" * (sum(widths) + 8))
        return "\n".join(lines)

    def markdown(self):
        out = ["| | metric | fwc | curl (or as noted) | ratio | note |",
               "|---|---|--:|--:|--:|---|"]
        for r in self.rows:
            out.append("| " + " | ".join(c.replace("|", "\\|") for c in r) + " |")
        return "\n".join(out)


def ratio(a, b, digits=2):
    return ("%%.%df" % digits) % (a / b) if b else "-"


def ms(x):
    return "%.1f ms" % (x * 1000)


def kib(x):
    return "{:,} KiB".format(x)


def add_split(table, split):
    notes = {"TLS + crypto": "fwc: libmbed*; curl: libssl, libcrypto",
             "client": "fwc: the static binary (libfwc + main); curl: curl + libcurl",
             "other": "curl: its other libraries"}
    for group in [name for name, _ in GROUPS] + ["other"]:
        table.add("", "  ... in " + group, "{:,}".format(split["fwc"][group]),
                  "{:,}".format(split["curl"][group]),
                  ratio(split["fwc"][group], split["curl"][group], 3), notes.get(group, ""))


# ---- the four measurements --------------------------------------------------------

def token_form():
    """The form curl posts: what fwc sends with client_secret_post."""
    with open(os.environ["FWC_CLIENT_SECRET_FILE"], "rb") as f:
        secret = f.read().split(b"\n")[0].rstrip(b"\r").decode()
    return urllib.parse.urlencode([("grant_type", "client_credentials"),
                                   ("client_id", os.environ["FWC_CLIENT_ID"]),
                                   ("client_secret", secret)])


def bench_token(a, emu, work, table, raw):
    url, ca = os.environ["FWC_URL"], os.environ["FWC_CA_FILE"]
    fwc = [a.fwc, "token"]
    fwc36 = [a.fwc_m36, "token"]
    curl = [a.curl, "-sS", "--fail", "--cacert", ca, "--data-binary", "@" + a.form,
            "-o", "/dev/null", "-w", "%{http_code} %{num_connects}\n", url + TOKEN_PATH]
    # The request's size on the wire, and one warm-up run each (page cache).
    sizes, tls = {}, {}
    clients = (("fwc", fwc), ("curl", curl), ("fwc-m36", fwc36))
    for name, cmd in clients:
        must(run(cmd, work), name)
        st = emu.stats()
        sizes[name], tls[name] = st["last_token_request_bytes"], st["last_token_tls"]
    walls = {"fwc": [], "curl": [], "fwc-m36": []}
    for _ in range(a.token_runs):
        for name, cmd in clients:
            r = must(run(cmd, work), name)
            if name == "curl" and not r.out.startswith("200 "):
                raise Failure("curl token: " + r.out)
            walls[name].append(r.wall)
    ir, split = {}, {}
    for name, cmd in clients:
        ir[name], split[name] = instructions(cmd, work, name + "-token")
    sec = "1. token fetch (new process)"
    med = {k: median(v) for k, v in walls.items()}
    hi = {k: p90(v) for k, v in walls.items()}
    goal = "goal <= 1.00: " + ("met" if med["fwc"] <= med["curl"] else
                               "MISSED by %.0f %%" % (100 * (med["fwc"] / med["curl"] - 1)))
    table.add(sec, "wall, median of %d" % a.token_runs, ms(med["fwc"]), ms(med["curl"]),
              ratio(med["fwc"], med["curl"]), goal)
    table.add("", "wall, p90", ms(hi["fwc"]), ms(hi["curl"]), ratio(hi["fwc"], hi["curl"]))
    table.add("", "instructions (callgrind)", "{:,}".format(ir["fwc"]),
              "{:,}".format(ir["curl"]), ratio(ir["fwc"], ir["curl"], 3))
    add_split(table, split)
    table.add("", "request on the wire", "%d B" % sizes["fwc"], "%d B" % sizes["curl"],
              ratio(sizes["fwc"], sizes["curl"]), "request line + headers + body")
    table.add("", "TLS", tls["fwc"] or "-", tls["curl"] or "-")
    table.add("", "fwc on mbedTLS 3.6: wall, median", ms(med["fwc-m36"]), ms(med["curl"]),
              ratio(med["fwc-m36"], med["curl"]), "fwc-m36, mbedTLS linked statically")
    table.add("", "... instructions (callgrind)", "{:,}".format(ir["fwc-m36"]),
              "{:,}".format(ir["curl"]), ratio(ir["fwc-m36"], ir["curl"], 3))
    table.add("", "... request on the wire", "%d B" % sizes["fwc-m36"], "%d B" % sizes["curl"],
              ratio(sizes["fwc-m36"], sizes["curl"]))
    table.add("", "... TLS", tls["fwc-m36"] or "-", tls["curl"] or "-")
    raw["token"] = {"walls_s": walls, "instructions": ir, "instruction_split": split,
                    "request_bytes": sizes, "tls": tls}


def bench_api(a, emu, work, table, raw):
    url, ca = os.environ["FWC_URL"], os.environ["FWC_CA_FILE"]
    # curl's bearer token, fetched here, outside the timing; in a header
    # file so that it is not on a command line.
    st0 = emu.stats()
    r = must(run([a.curl, "-sS", "--fail", "--cacert", ca, "--data-binary", "@" + a.form,
                  url + TOKEN_PATH], work), "curl token")
    token = json.loads(r.out)["access_token"]
    auth = os.path.join(work, "auth.header")
    fd = os.open(auth, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write("Authorization: Bearer %s\n" % token)
    a.auth_header = auth
    if emu.stats()["tokens_issued"] != st0["tokens_issued"] + 1:
        raise Failure("curl's token was not issued by the emulator")

    fwc = [a.probe, str(API_CALLS), API_PATH]
    curl = [a.curl, "-sS", "--fail", "--cacert", ca, "--data-binary", "@" + a.form,
            "-o", "/dev/null", "-w", "%{http_code} %{num_connects}\n", url + TOKEN_PATH]
    for _ in range(API_CALLS):
        curl += ["--next", "-sS", "--fail", "--cacert", ca, "-H", "@" + auth,
                 "-o", "/dev/null", "-w", "%{http_code} %{num_connects}\n", url + API_PATH]

    def checked(name, cmd):
        before = emu.stats()
        r = must(run(cmd, work), name)
        after = emu.stats()
        conns = connections(before, after)
        tokens = after["token_requests"] - before["token_requests"]
        calls = after["api_requests"] - before["api_requests"]
        if conns != 1 or tokens != 1 or calls != API_CALLS or after["api_401"] != before["api_401"]:
            raise Failure("%s: %d connections, %d token requests, %d API requests (want 1, 1, "
                          "%d, no 401): %s" % (name, conns, tokens, calls, API_CALLS, r.out))
        if name == "curl":
            codes = [line.split() for line in r.out.split("\n") if line]
            if [c[0] for c in codes] != ["200"] * (API_CALLS + 1) \
                    or sum(int(c[1]) for c in codes) != 1:
                raise Failure("curl: " + r.out)
        return r, conns

    walls = {"fwc": [], "curl": []}
    conns = {}
    for _ in range(a.api_runs):
        for name, cmd in (("fwc", fwc), ("curl", curl)):
            r, conns[name] = checked(name, cmd)
            walls[name].append(r.wall)
    ir, split = {}, {}
    for name, cmd in (("fwc", fwc), ("curl", curl)):
        ir[name], split[name] = instructions(cmd, work, name + "-api")
    med = {k: median(v) for k, v in walls.items()}
    sec = "2. token + %d GETs, 1 process" % API_CALLS
    table.add(sec, "wall, median of %d" % a.api_runs, ms(med["fwc"]), ms(med["curl"]),
              ratio(med["fwc"], med["curl"]))
    table.add("", "instructions (callgrind)", "{:,}".format(ir["fwc"]),
              "{:,}".format(ir["curl"]), ratio(ir["fwc"], ir["curl"], 3))
    add_split(table, split)
    table.add("", "TCP connections", str(conns["fwc"]), str(conns["curl"]), "",
              "counted by the emulator, every run")
    raw["api"] = {"walls_s": walls, "instructions": ir, "instruction_split": split,
                  "connections": conns}


def make_upload_file(a):
    """OUT/upload.bin of random bytes, made once; its SHA-256."""
    path = os.path.join(a.out, "upload.bin")
    size = a.upload_mib * MIB
    if not (os.path.exists(path) and os.path.getsize(path) == size):
        with open("/dev/urandom", "rb") as src, open(path + ".tmp", "wb") as dst:
            for _ in range(a.upload_mib):
                dst.write(src.read(MIB))
        os.replace(path + ".tmp", path)
    sha = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(4 * MIB), b""):
            sha.update(block)
    return path, size, sha.hexdigest()


def cut_chunks(a, path, size, chunk_size, name="chunks"):
    """The file cut into chunk files for curl (outside the timing), in
    OUT/name; redone only when the file or the chunk size changed."""
    d = os.path.join(a.out, name)
    stamp = os.path.join(d, "stamp")
    want = "%d %d %d" % (size, chunk_size, os.stat(path).st_mtime_ns)
    if os.path.exists(stamp) and open(stamp).read() == want:
        return d
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    with open(path, "rb") as f:
        i = 0
        for block in iter(lambda: f.read(chunk_size), b""):
            with open(os.path.join(d, "%05d" % i), "wb") as out:
                out.write(block)
            i += 1
    with open(stamp, "w") as f:
        f.write(want)
    return d


def verify_upload(emu, uid, size, sha, name):
    u = emu.upload(uid)
    ok = u["complete"] and u["size"] == size and u["sha256"] == sha
    emu.forget(uid)  # the emulator keeps uploads in memory
    if not ok:
        raise Failure("%s upload %s: complete=%s size=%d sha256=%s (want %d %s)" % (
            name, uid, u["complete"], u["size"], u["sha256"], size, sha))


def fwc_upload(a, emu, work, path, size, sha, fwc=None):
    before = emu.stats()
    r = must(run([fwc or a.fwc, "upload", path, "--to", DEST], work), "fwc upload")
    after = emu.stats()
    if after["uploads_created"] != before["uploads_created"] + 1:
        raise Failure("fwc upload: no upload created")
    verify_upload(emu, after["last_upload_id"], size, sha, "fwc")
    return {"wall": r.wall, "cpu": r.cpu, "rss": r.maxrss_kib,
            "server_cpu": after["cpu_seconds"] - before["cpu_seconds"],
            "connections": connections(before, after)}


def curl_upload(a, emu, work, path, size, sha, chunk_dir):
    """The same Upload API calls with curl: create (one process), then
    every chunk and the status poll (one process, one connection)."""
    url, ca = os.environ["FWC_URL"], os.environ["FWC_CA_FILE"]
    create = json.dumps({"destination": DEST, "filename": os.path.basename(path),
                         "fileSize": size})
    before = emu.stats()
    r1 = must(run([a.curl, "-sS", "--fail", "--cacert", ca, "-H", "@" + a.auth_header,
                   "-H", "Content-Type: application/json", "--data-binary", create,
                   url + "/fotoweb/api/uploads"], work), "curl create")
    created = json.loads(r1.out)
    uid, n = created["id"], created["numChunks"]
    chunks = sorted(f for f in os.listdir(chunk_dir) if f != "stamp")
    if len(chunks) != n:
        raise Failure("curl upload: %d chunk files, the server wants %d" % (len(chunks), n))
    base = url + "/fotoweb/api/uploads/" + urllib.parse.quote(uid, safe="")
    cmd = [a.curl]
    for i, name in enumerate(chunks):
        cmd += ["-sS", "--cacert", ca, "-H", "@" + a.auth_header,
                "-F", "chunk=@%s;type=application/octet-stream;filename=%s"
                % (os.path.join(chunk_dir, name), os.path.basename(path)),
                "-o", "/dev/null", "-w", "%{http_code} %{num_connects}\n",
                "%s/chunks/%d" % (base, i), "--next"]
    cmd += ["-sS", "--cacert", ca, "-H", "@" + a.auth_header, "-w",
            "\n%{http_code} %{num_connects}\n", base + "/status"]
    r2 = must(run(cmd, work), "curl chunks")
    after = emu.stats()
    lines = r2.out.strip().split("\n")
    status = json.loads(lines[-2])
    codes = [line.split() for line in lines[:n]] + [lines[-1].split()]
    if [c[0] for c in codes] != ["204"] * n + ["200"] or status.get("status") != "done":
        raise Failure("curl upload: answers %s, status %s" % (r2.out[-300:], status))
    if sum(int(c[1]) for c in codes) != 1:
        raise Failure("curl upload: chunks over more than one connection")
    verify_upload(emu, uid, size, sha, "curl")
    return {"wall": r1.wall + r2.wall, "chunks_wall": r2.wall, "cpu": r1.cpu + r2.cpu,
            "rss": max(r1.maxrss_kib, r2.maxrss_kib),
            "server_cpu": after["cpu_seconds"] - before["cpu_seconds"],
            "connections": connections(before, after)}


def gcm_run(a, work, gcm=None):
    """mbedTLS's AES-256-GCM alone on one core, 16 KiB records, 64 MiB:
    CPU milliseconds per MiB (bench_gcm, or bench_gcm36 for 3.6)."""
    r = must(run([gcm or a.gcm, "64"], work), "bench_gcm")
    m = re.search(r"cpu_ms_per_mib=([\d.]+) mbedtls=(\S+)", r.out)
    if gcm is None:
        a.mbedtls_version = m.group(2)
    return float(m.group(1))


def gcm_ceilings(a, work, gcm_ms):
    """AES-256-GCM alone on one core, 16 KiB records, MiB/s: mbedTLS (the
    median of the runs between the uploads) and OpenSSL (openssl speed);
    and mbedTLS's median CPU milliseconds per MiB."""
    ms_per_mib = median(gcm_ms)
    r = run(["openssl", "speed", "-evp", "aes-256-gcm", "-seconds", "1", "-bytes", "16384"], work)
    m = re.search(r"^AES-256-GCM\s+([\d.]+)k\s*$", r.out, re.M)
    ossl = float(m.group(1)) * 1000 / MIB if r.rc == 0 and m else None
    return 1000 / ms_per_mib, ossl, ms_per_mib


def small_file(a, name, mib):
    """OUT/name: mib MiB of random bytes, made anew each run; its SHA-256."""
    path = os.path.join(a.out, name)
    data = os.urandom(mib * MIB)
    with open(path, "wb") as f:
        f.write(data)
    return path, hashlib.sha256(data).hexdigest()


def goal_min(r, want):
    return "goal >= %.2f: " % want + ("met" if r >= want else
                                       "MISSED by %.0f points" % (100 * (want - r)))


def goal_max(r, want):
    return "goal <= %.2f: " % want + ("met" if r <= want else
                                       "MISSED by %.0f points" % (100 * (r - want)))


UPLOADERS = ("fwc", "curl", "fwc-dev2k", "fwc-m36")


def upload_runs(a, emu, work, big, small):
    """Every client uploads the big file --upload-runs times, interleaved,
    each round followed by a bench_gcm run, so the cipher's CPU time is
    taken under the same load as the clients'; then the 1 MiB file once
    (fwc, device fwc and curl: the memory comparison)."""
    path, size, sha, chunk_dir = big
    spath, ssha, schunks = small
    runs = {k: [] for k in UPLOADERS}
    runs["gcm_ms"], runs["gcm36_ms"] = [], []
    bins = {"fwc": a.fwc, "fwc-dev2k": a.fwc_dev2k, "fwc-m36": a.fwc_m36}
    for _ in range(a.upload_runs):
        for k in UPLOADERS:
            runs[k].append(curl_upload(a, emu, work, path, size, sha, chunk_dir) if k == "curl"
                           else fwc_upload(a, emu, work, path, size, sha, bins[k]))
        runs["gcm_ms"].append(gcm_run(a, work))
        runs["gcm36_ms"].append(gcm_run(a, work, a.gcm36))
    one = {"fwc": fwc_upload(a, emu, work, spath, MIB, ssha),
           "fwc-dev2k": fwc_upload(a, emu, work, spath, MIB, ssha, a.fwc_dev2k),
           "curl": curl_upload(a, emu, work, spath, MIB, ssha, schunks)}
    return runs, one


def bench_upload(a, emu, work, table, raw):
    path, size, sha = make_upload_file(a)
    cfg = emu.call("GET", "/_emulator/config")
    chunk_dir = cut_chunks(a, path, size, cfg["chunk_size"])
    # A 1 MiB file for the memory comparison: RSS should not grow with size.
    spath, ssha = small_file(a, "small.bin", 1)
    schunks = cut_chunks(a, spath, MIB, cfg["chunk_size"], "small-chunks")
    old_polls = cfg["status_polls"]
    emu.configure(status_polls=0)   # "done" on the first poll: nobody sleeps
    try:
        runs, one = upload_runs(a, emu, work, (path, size, sha, chunk_dir),
                                (spath, ssha, schunks))
    finally:
        emu.configure(status_polls=old_polls)
    gcm36_ms = median(runs.pop("gcm36_ms"))
    gcm = gcm_ceilings(a, work, runs.pop("gcm_ms"))
    mib = size / MIB
    mib_s = {k: median([mib / r["wall"] for r in v]) for k, v in runs.items()}
    # The run whose wall time is the median, for the CPU and server figures.
    pick = {k: sorted(v, key=lambda r: r["wall"])[len(v) // 2] for k, v in runs.items()}
    rss = {k: max(r["rss"] for r in v) for k, v in runs.items()}
    sec = "3. upload %d MiB" % a.upload_mib
    add_throughput(table, sec, a, mib_s, pick)
    add_cpu(table, runs, mib, gcm, gcm36_ms)
    add_server(table, pick)
    add_gcm(table, a, gcm)
    add_rss(table, a, rss, one)
    table.add("", "server SHA-256 = file's", "yes", "yes", "", "every run; %s..." % sha[:16])
    table.add("", "TCP connections", str(pick["fwc"]["connections"]),
              str(pick["curl"]["connections"]), "", "curl: create + chunks processes")
    raw["upload"] = {"bytes": size, "sha256": sha, "runs": runs, "one_mib": one,
                     "mib_per_s": mib_s, "gcm_mib_per_s": {"mbedtls": gcm[0], "openssl": gcm[1]},
                     "gcm_cpu_ms_per_mib": gcm[2], "gcm36_cpu_ms_per_mib": gcm36_ms}


def add_throughput(table, sec, a, mib_s, pick):
    r_tp = mib_s["fwc"] / mib_s["curl"]
    table.add(sec, "throughput, median of %d" % a.upload_runs, "%.1f MiB/s" % mib_s["fwc"],
              "%.1f MiB/s" % mib_s["curl"], "%.2f" % r_tp,
              goal_min(r_tp, 0.9) + "; fwc built for Linux: 16 KiB I/O buffer and records")
    table.add("", "... device build (2 KiB)", "%.1f MiB/s" % mib_s["fwc-dev2k"],
              "%.1f MiB/s" % mib_s["curl"], ratio(mib_s["fwc-dev2k"], mib_s["curl"]),
              "CONFIG_FWC_IO_BUFFER_SIZE=2048, the library's default: 2 KiB TLS records")
    table.add("", "... fwc on mbedTLS 3.6", "%.1f MiB/s" % mib_s["fwc-m36"],
              "%.1f MiB/s" % mib_s["curl"], ratio(mib_s["fwc-m36"], mib_s["curl"]),
              "built as build/fwc is (16 KiB), mbedTLS linked statically")
    table.add("", "wall (median run)", "%.2f s" % pick["fwc"]["wall"],
              "%.2f s" % pick["curl"]["wall"], ratio(pick["fwc"]["wall"], pick["curl"]["wall"]),
              "curl: create %.2f s + chunks and status %.2f s"
              % (pick["curl"]["wall"] - pick["curl"]["chunks_wall"], pick["curl"]["chunks_wall"]))


def add_cpu(table, runs, mib, gcm, gcm36_ms):
    """Client CPU (user + sys) per uploaded MiB, the median of the runs:
    against curl, and against mbedTLS's AES-256-GCM alone (the median of
    the runs between the uploads), what fwc cannot go below on this
    mbedTLS. Then each client's CPU beyond its own cipher (OpenSSL's for
    curl): reading the file, the system calls and the kernel's TCP work,
    which curl pays too."""
    _, ossl, gcm_ms = gcm
    cpu = {k: median([r["cpu"] for r in v]) for k, v in runs.items()}
    per = {k: 1000 * cpu[k] / mib for k in cpu}
    table.add("", "client CPU (user+sys), median", "%.2f s" % cpu["fwc"], "%.2f s" % cpu["curl"],
              ratio(cpu["fwc"], cpu["curl"]), "device build: %.2f s" % cpu["fwc-dev2k"])
    table.add("", "client CPU per MiB, median", "%.2f ms" % per["fwc"], "%.2f ms" % gcm_ms,
              ratio(per["fwc"], gcm_ms), goal_max(per["fwc"] / gcm_ms, 1.15) +
              "; against: mbedTLS AES-256-GCM alone (bench_gcm CPU time, between the uploads)")
    table.add("", "... device build (2 KiB)", "%.2f ms" % per["fwc-dev2k"], "%.2f ms" % gcm_ms,
              ratio(per["fwc-dev2k"], gcm_ms), "against: AES-256-GCM alone")
    table.add("", "... fwc on mbedTLS 3.6", "%.2f ms" % per["fwc-m36"], "%.2f ms" % gcm36_ms,
              ratio(per["fwc-m36"], gcm36_ms), "against: mbedTLS 3.6's AES-256-GCM alone "
              "(%.0f MiB/s)" % (1000 / gcm36_ms))
    table.add("", "... Linux build against curl", "%.2f ms" % per["fwc"], "%.2f ms" % per["curl"],
              ratio(per["fwc"], per["curl"]), "curl's TLS is OpenSSL (below)")
    if ossl:
        fwc_extra, curl_extra = per["fwc"] - gcm_ms, per["curl"] - 1000 / ossl
        table.add("", "... beyond the cipher, per MiB", "%.2f ms" % fwc_extra,
                  "%.2f ms" % curl_extra, ratio(fwc_extra, curl_extra),
                  "CPU per MiB less AES-256-GCM's per MiB (mbedTLS for fwc, OpenSSL for curl)")


def add_server(table, pick):
    own = {k: pick[k]["cpu"] / pick[k]["wall"] for k in pick}
    busy = {k: pick[k]["server_cpu"] / pick[k]["wall"] for k in pick}

    def bound(k):
        side, share = max((("client", own[k]), ("emulator", busy[k])), key=lambda x: x[1])
        return "%s-bound" % side if share >= SERVER_SATURATED else "neither saturated"
    table.add("", "client CPU / wall", "%.0f %%" % (100 * own["fwc"]),
              "%.0f %%" % (100 * own["curl"]), "", "device build: %.0f %%" % (100 * own["fwc-dev2k"]))
    table.add("", "emulator CPU / wall",
              "%.0f %% (%.2f s)" % (100 * busy["fwc"], pick["fwc"]["server_cpu"]),
              "%.0f %% (%.2f s)" % (100 * busy["curl"], pick["curl"]["server_cpu"]), "",
              "device build: %.0f %%; one Python thread serves the connection"
              % (100 * busy["fwc-dev2k"]))
    table.add("", "bottleneck (>= %.0f %% busy)" % (100 * SERVER_SATURATED),
              bound("fwc"), bound("curl"), "", "device build: " + bound("fwc-dev2k"))


def add_gcm(table, a, gcm):
    mbed, ossl, _ = gcm
    table.add("", "AES-256-GCM alone, one core", "%.0f MiB/s" % mbed,
              "%.0f MiB/s" % ossl if ossl else "-", ratio(mbed, ossl) if ossl else "",
              "fwc: mbedTLS %s (bench_gcm CPU time, median); curl: OpenSSL (openssl speed)"
              % a.mbedtls_version)


def add_rss(table, a, rss, one):
    """Maximum RSS for the big upload and for 1 MiB: against curl, and
    big against small (flat is the goal: no chunk is ever held whole)."""
    table.add("", "max RSS, %d MiB upload" % a.upload_mib, kib(rss["fwc"]), kib(rss["curl"]),
              ratio(rss["fwc"], rss["curl"]), "device build: %s" % kib(rss["fwc-dev2k"]))
    table.add("", "max RSS, 1 MiB upload", kib(one["fwc"]["rss"]), kib(one["curl"]["rss"]),
              ratio(one["fwc"]["rss"], one["curl"]["rss"]),
              "device build: %s" % kib(one["fwc-dev2k"]["rss"]))
    grow = rss["fwc"] / one["fwc"]["rss"]
    table.add("", "RSS, %d MiB / 1 MiB" % a.upload_mib, "%.2f" % grow,
              "%.2f" % (rss["curl"] / one["curl"]["rss"]), "",
              "goal flat (<= 1.05): " + ("met" if grow <= 1.05 else "MISSED") +
              "; device build: %.2f" % (rss["fwc-dev2k"] / one["fwc-dev2k"]["rss"]))


DOC_SECTION = "### Measured"


def write_doc(doc, text):
    """Replace the doc's "### Measured" section (up to the next heading of
    level 2 or 3) with text; append it when there is none."""
    with open(doc) as f:
        old = f.read()
    start = old.find(DOC_SECTION + "\n")
    if start < 0:
        new = old.rstrip("\n") + "\n\n" + text
    else:
        m = re.compile(r"^###? ", re.M).search(old, start + len(DOC_SECTION))
        new = old[:start] + text + ("\n" + old[m.start():] if m else "")
    with open(doc + ".tmp", "w") as f:
        f.write(new)
    os.replace(doc + ".tmp", doc)


def bench_warm(a, emu, work, table, raw):
    """A warm start: fwc get with --cache (the token and the TLS session
    from the run before it: no token request, an abbreviated handshake)
    against one curl GET with the same bearer token, a process each. curl
    keeps no session across processes, so its handshake is a full one:
    that is what a device or a shell loop without fwc's cache pays."""
    url, ca = os.environ["FWC_URL"], os.environ["FWC_CA_FILE"]
    clients = {
        "fwc": [a.fwc, "--cache", os.path.join(work, "warm.cache"), "get", API_PATH],
        "fwc-m36": [a.fwc_m36, "--cache", os.path.join(work, "warm36.cache"), "get", API_PATH],
        "curl": [a.curl, "-sS", "--fail", "--cacert", ca, "-H", "@" + a.auth_header,
                 "-o", "/dev/null", url + API_PATH],
    }

    def checked(name, cmd):
        before = emu.stats()
        r = must(run(cmd, work), name)
        after = emu.stats()
        tokens = after["token_requests"] - before["token_requests"]
        resumed = after["tls_resumed"] - before["tls_resumed"]
        calls = after["api_requests"] - before["api_requests"]
        want_resumed = 0 if name == "curl" else 1
        if tokens != 0 or calls != 1 or resumed != want_resumed:
            raise Failure("%s warm: %d token requests, %d API requests, %d resumed handshakes "
                          "(want 0, 1, %d)" % (name, tokens, calls, resumed, want_resumed))
        return r

    for name in ("fwc", "fwc-m36"):  # the cold run that fills each cache
        must(run(clients[name], work), name + " (filling the cache)")
    walls = {k: [] for k in clients}
    for _ in range(a.api_runs):
        for name, cmd in clients.items():
            walls[name].append(checked(name, cmd).wall)
    ir, split = {}, {}
    for name, cmd in clients.items():
        ir[name], split[name] = instructions(cmd, work, name + "-warm")
        checked(name, cmd)  # the callgrind run was warm too: the next one still is
    med = {k: median(v) for k, v in walls.items()}
    r = ir["fwc"] / ir["curl"]
    goal = "goal <= 0.20: " + ("met" if r <= 0.2 else "MISSED")
    sec = "4. warm GET, new process"
    table.add(sec, "wall, median of %d" % a.api_runs, ms(med["fwc"]), ms(med["curl"]),
              ratio(med["fwc"], med["curl"]), "fwc --cache: cached token, resumed session")
    table.add("", "instructions (callgrind)", "{:,}".format(ir["fwc"]),
              "{:,}".format(ir["curl"]), ratio(ir["fwc"], ir["curl"], 3), goal)
    add_split(table, split)
    table.add("", "fwc on mbedTLS 3.6: wall, median", ms(med["fwc-m36"]), ms(med["curl"]),
              ratio(med["fwc-m36"], med["curl"]), "TLS 1.3 ticket")
    table.add("", "... instructions (callgrind)", "{:,}".format(ir["fwc-m36"]),
              "{:,}".format(ir["curl"]), ratio(ir["fwc-m36"], ir["curl"], 3))
    table.add("", "token requests, resumed handshakes", "0, 1", "0, 0", "",
              "counted by the emulator, every run")
    raw["warm"] = {"walls_s": walls, "instructions": ir, "instruction_split": split}


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--fwc", required=True)
    ap.add_argument("--probe", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--launcher", required=True, help="bench_run (tests/bench/bench_run.c)")
    ap.add_argument("--fwc-dev2k", required=True,
                    help="build/fwc built with the device's 2 KiB I/O buffer")
    ap.add_argument("--doc", help="write the table into this Markdown file's \"%s\" section"
                    % DOC_SECTION)
    ap.add_argument("--fwc-m36", required=True,
                    help="build/fwc built on mbedTLS 3.6 (TLS 1.3)")
    ap.add_argument("--gcm", required=True, help="bench_gcm (tests/bench/bench_gcm.c)")
    ap.add_argument("--gcm36", required=True, help="bench_gcm on mbedTLS 3.6")
    ap.add_argument("--curl", default="curl")
    ap.add_argument("--token-runs", type=int, default=30)
    ap.add_argument("--api-runs", type=int, default=10)
    ap.add_argument("--upload-mib", type=int, default=256)
    ap.add_argument("--upload-runs", type=int, default=5)
    a = ap.parse_args()
    global LAUNCHER, OUT
    LAUNCHER = os.path.abspath(a.launcher)
    OUT = a.out
    for v in ("FWC_URL", "FWC_CA_FILE", "FWC_CLIENT_ID", "FWC_CLIENT_SECRET_FILE"):
        if not os.environ.get(v):
            ap.error(v + " is not set (run under tests/server/with_emulator.sh)")
    os.makedirs(a.out, exist_ok=True)
    emu = Emulator(os.environ["FWC_URL"], os.environ["FWC_CA_FILE"])
    started = time.monotonic()
    load = os.getloadavg()[0]
    curl_version = subprocess.run([a.curl, "--version"], capture_output=True,
                                  text=True).stdout.split("\n")[0]
    table, raw = Table(), {}
    with tempfile.TemporaryDirectory() as work:
        a.form = os.path.join(work, "token.form")
        fd = os.open(a.form, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(token_form())
        try:
            for step in (bench_token, bench_api, bench_upload, bench_warm):
                print("running %s ..." % step.__name__, file=sys.stderr, flush=True)
                step(a, emu, work, table, raw)
        except Failure as e:
            print("bench: FAILED: %s" % e, file=sys.stderr)
            return 1
    took = time.monotonic() - started
    context = ("%s; %d CPUs, load average %.2f at the start; %s; emulator: Python %s "
               "over HTTPS on loopback; %.0f s." % (
                   os.uname().machine, os.cpu_count() or 0, load, curl_version,
                   sys.version.split()[0], took))
    print()
    print(table.text())
    print()
    print(context)
    md = os.path.join(a.out, "results.md")
    with open(md, "w") as f:
        f.write("# make bench: fwc against curl\n\n" + table.markdown() + "\n\n" + context + "\n")
    if a.doc:
        write_doc(a.doc, "%s\n\nWritten by `make bench` (tests/bench/bench.py); replaced on each "
                  "run. One run: %s\n\n%s\n" % (DOC_SECTION, context, table.markdown()))
        print("written: %s (section \"%s\")" % (a.doc, DOC_SECTION[4:]))
    raw["context"] = context
    with open(os.path.join(a.out, "results.json"), "w") as f:
        json.dump(raw, f, indent=1, default=str)
    print("Markdown: %s" % md)
    return 0


if __name__ == "__main__":
    sys.exit(main())
