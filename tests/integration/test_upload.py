#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""fwc's Upload API client (fwc_upload) against the FotoWeb emulator.

Usage: test_upload.py PROBE [PROBE ...]   (one upload_probe binary per mbedTLS line)

Starts one emulator over HTTPS (throwaway CA made by tests/server/make_pki.sh
in a temporary folder) with its test-only control endpoint, first checks the
emulator's Upload API with Python's own client (a wrong emulator would make
the probe cases prove nothing), then, for each probe, runs the upload cases:
every file is checked against the emulator's copy by SHA-256, and each case
checks what the emulator saw (chunk requests in order, tokens, polls). The
probe prints one line:
  result=<code> asset=<url or -> id=<upload id or -> next=<n> progress_calls=<n>
  status=<HTTP status of the last failure, 0: none> (<name>)
and exits 3 when its progress callback misbehaved (backwards, wrong total,
not ending at the file size). Neither the secret nor a token may show in
anything the probe prints. Prints TAP ("ok N - name" / "not ok N - name");
exit 1 on a failure. FWC_TEST_VERBOSE=1 adds a diagnostic line per case.
"""
import hashlib
import http.client
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
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import test_token  # noqa: E402  (the emulator harness and the credentials)

ERROR_H = os.path.join(HERE, "..", "..", "include", "fwc", "error.h")
CLIENT_ID, SECRET = test_token.CLIENT_ID, test_token.SECRET
DEST = "/fotoweb/archives/5000-Uploads/"
CHUNK = 1000                # the small chunk size of most cases
LARGE_CHUNK = 8192          # larger than the client's I/O buffer
BIG = 64 << 20              # the big file, with the default 1 MiB chunks
# A probe still running after this long is killed: only a hang reaches it,
# never a slow or busy machine (the 64 MiB case under sanitizers included).
# The killed case fails with its name and the run goes on.
HANG_S = 120
# FWC_TEST_VERBOSE=1: a diagnostic line per case (probe line, time, what the
# emulator saw), passed or not.
VERBOSE = bool(os.environ.get("FWC_TEST_VERBOSE"))

LINE = re.compile(r"result=(-?\d+) asset=(\S+) id=(\S+) next=(\d+) progress_calls=(\d+) "
                  r"status=(-?\d+) \((.*)\)$")


def error_codes():
    """{"FWC_OK": 0, "FWC_ERR_...": -n} from include/fwc/error.h."""
    with open(ERROR_H) as f:
        text = f.read()
    return {m.group(1): int(m.group(2))
            for m in re.finditer(r"\b(FWC_(?:OK|ERR_\w+))\s*=\s*(-?\d+)", text)}


CODES = error_codes()
OK = CODES["FWC_OK"]
BODY_READER = CODES["FWC_ERR_BODY_READER"]
UNAUTHORIZED = CODES["FWC_ERR_UNAUTHORIZED"]
HTTP_STATUS = CODES["FWC_ERR_HTTP_STATUS"]
# Codes an upload that the server reports "failed" may end with: one named
# for it, when error.h has one, else any but the transport and generic ones.
UPLOAD_FAILED = sorted(v for k, v in CODES.items() if "UPLOAD" in k)


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def multipart(parts, boundary="fwc-test-boundary-8f3a", preamble=b""):
    """(body, Content-Type) of a multipart/form-data body with the parts
    [(name, data)]."""
    out = [preamble]
    for name, data in parts:
        out.append(b"--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
                   b"Content-Type: application/octet-stream\r\n\r\n"
                   % (boundary.encode(), name.encode(), name.encode()))
        out.append(data + b"\r\n")
    out.append(b"--%s--\r\n" % boundary.encode())
    return b"".join(out), "multipart/form-data; boundary=" + boundary


class Emulator(test_token.Emulator):
    """The token test's emulator harness, plus the Upload API's calls."""

    def call(self, method, path, body=None, headers=None):
        """(status, JSON or bytes, headers); status None when the
        connection broke without an answer."""
        try:
            return super().call(method, path, body, headers)
        except (urllib.error.URLError, http.client.HTTPException, ConnectionError,
                ssl.SSLError, OSError) as e:
            return None, repr(e), {}

    def token(self):
        body = urllib.parse.urlencode({"grant_type": "client_credentials",
                                       "client_id": CLIENT_ID,
                                       "client_secret": SECRET}).encode()
        st, ans, _ = self.call("POST", "/fotoweb/oauth2/token", body,
                               {"Content-Type": "application/x-www-form-urlencoded"})
        if st != 200:
            raise RuntimeError(f"emulator token: {st} {ans}")
        return ans["access_token"]

    def api(self, method, path, token, body=None, ctype=None):
        headers = {"Authorization": "Bearer " + token} if token else {}
        if ctype:
            headers["Content-Type"] = ctype
        return self.call(method, path, body, headers)

    def create(self, token, **members):
        req = {"destination": DEST, "filename": "t.bin", "fileSize": 0, "hasXmp": False,
               "checkoutId": None, "comment": None,
               "metadata": {"fields": [], "attributes": []}}
        req.update(members)
        return self.api("POST", "/fotoweb/api/uploads", token, json.dumps(req).encode(),
                        "application/json")

    def chunk(self, token, uid, index, data, name="chunk", **kw):
        body, ctype = multipart([(name, data)], **kw)
        return self.api("POST", f"/fotoweb/api/uploads/{uid}/chunks/{index}", token, body,
                        ctype)

    def status(self, token, uid):
        return self.api("GET", f"/fotoweb/api/uploads/{uid}/status", token)

    def upload(self, uid):
        st, ans, _ = self.call("GET", "/_emulator/uploads/" + uid)
        if st != 200:
            raise RuntimeError(f"emulator upload {uid}: {st} {ans}")
        return ans

    def forget(self, uid):
        self.call("DELETE", "/_emulator/uploads/" + uid)


def emulator_checks(emu, check):
    """The emulator's Upload API seen by Python's HTTP client."""
    emu.configure(chunk_size=7, status_polls=2)
    tok = emu.token()

    st, ans, hdrs = emu.create(None, fileSize=20)
    check("emulator: create without a token is 401 with WWW-Authenticate: Bearer",
          st == 401 and (hdrs.get("WWW-Authenticate") or "").startswith("Bearer"),
          f"{st} {ans}")
    st, ans, _ = emu.api("POST", "/fotoweb/api/uploads", tok,
                         json.dumps({"destination": DEST, "filename": "a", "fileSize": 1})
                         .encode(), "text/plain")
    check("emulator: create with a wrong Content-Type is 400",
          st == 400 and isinstance(ans, dict) and "message" in ans, f"{st} {ans}")
    st, ans, _ = emu.api("POST", "/fotoweb/api/uploads", tok, b"{not json", "application/json")
    check("emulator: create with bad JSON is 400", st == 400 and "message" in ans,
          f"{st} {ans}")
    bad = [("no destination", {"destination": None}),
           ("destination outside the archives", {"destination": "/fotoweb/me/"}),
           ("fileSize a string", {"fileSize": "20"}), ("fileSize negative", {"fileSize": -1}),
           ("fileSize missing", {"fileSize": None}), ("no filename", {"filename": ""}),
           ("hasXmp not a boolean", {"hasXmp": "yes"}),
           ("a field id not a number", {"metadata": {"fields": [{"id": "5", "action": "add",
                                                                  "value": "x"}]}})]
    got = []
    for what, members in bad:
        st, ans, _ = emu.create(tok, **{"fileSize": 20, **members})
        if st != 400 or "message" not in ans:
            got.append(f"{what}: {st} {ans}")
    check("emulator: create refuses a bad member with 400 {message}", not got, "\n".join(got))
    st, ans, _ = emu.create(tok, fileSize=20, destination="/fotoweb/archives/5999-ReadOnly/")
    check("emulator: create to a read-only collection is 403", st == 403, f"{st} {ans}")

    st, ans, _ = emu.create(tok, fileSize=20, filename="t a.bin", folder="x/y z")
    ok = (st == 200 and isinstance(ans, dict) and ans.get("chunkSize") == 7
          and ans.get("numChunks") == 3 and ans.get("hasXmp") is False
          and re.fullmatch(r"[A-Za-z0-9_-]+", str(ans.get("id"))) is not None)
    check("emulator: create answers id (base64url), chunkSize, numChunks, hasXmp", ok,
          f"{st} {ans}")
    if not ok:
        return
    uid = ans["id"]
    data = os.urandom(20)
    st1, doc, _ = emu.status(tok, uid)
    st2, ans2, _ = emu.api("POST", f"/fotoweb/api/uploads/{uid}/chunks/0", tok, data[:7],
                           "application/octet-stream")
    st3, ans3, _ = emu.chunk(tok, uid, 0, data[:6])
    st4, ans4, _ = emu.chunk(tok, uid, 3, data[:6])
    st5, ans5, _ = emu.chunk(tok, uid, "x", data[:7])
    st6, ans6, _ = emu.chunk(tok, "AAAAunknown", 0, data[:7])
    st7, ans7, _ = emu.chunk(tok, uid, 0, data[:7], name="file")
    check("emulator: awaitingData, then 415 not multipart, 400 wrong size, 400 index out of "
          "range, 400 bad index, 404 unknown upload, 400 no \"chunk\" part",
          st1 == 200 and doc.get("status") == "awaitingData" and st2 == 415 and st3 == 400
          and st4 == 400 and st5 == 400 and st6 == 404 and st7 == 400,
          f"{st1} {doc} / {st2} / {st3} {ans3} / {st4} {ans4} / {st5} / {st6} / {st7} {ans7}")
    st1, _, _ = emu.chunk(tok, uid, 0, data[:7])
    st2, ans2, _ = emu.chunk(tok, uid, 0, data[:7])
    st3, _, _ = emu.chunk(tok, uid, 2, data[14:])
    # A preamble, a quoted boundary with a space in it, transport padding.
    body, _ = multipart([("chunk", data[7:14])], boundary="a b'c", preamble=b"ignored\r\n")
    body = body.replace(b"--a b'c\r\n", b"--a b'c \t\r\n", 1)
    st4, ans4, _ = emu.api("POST", f"/fotoweb/api/uploads/{uid}/chunks/1", tok, body,
                           'multipart/form-data; boundary="a b\'c"')
    check("emulator: chunks 204, a chunk sent twice 409, a preamble and a quoted boundary",
          st1 == 204 and st2 == 409 and st3 == 204 and st4 == 204,
          f"{st1} / {st2} {ans2} / {st3} / {st4} {ans4}")
    seq = [emu.status(tok, uid)[1] for _ in range(3)]
    want_url = DEST + "x/y%20z/t%20a.bin.info"
    check("emulator: status pending, inProgress, then done with the assetUrl",
          [d.get("status") for d in seq] == ["pending", "inProgress", "done"]
          and seq[2].get("result", {}).get("assetUrl") == want_url
          and seq[0].get("result") is None, str(seq))
    info = emu.upload(uid)
    check("emulator: control endpoint gives the file's SHA-256, size and counts",
          info["sha256"] == sha256(data) and info["size"] == 20 and info["chunks_received"] == 3
          and info["chunk_posts"] == 9 and info["xmp"] is False and info["complete"]
          and info["request"]["folder"] == "x/y z", json.dumps(info)[:600])

    # XMP
    _, a1, _ = emu.create(tok, fileSize=3)
    _, a2, _ = emu.create(tok, fileSize=3, hasXmp=True)
    xmp = b"<x:xmpmeta xmlns:x='adobe:ns:meta/'/>"
    body, ctype = multipart([("xmp", xmp)])
    st1, _, _ = emu.api("POST", f"/fotoweb/api/uploads/{a1['id']}/xmp", tok, body, ctype)
    st2, _, _ = emu.chunk(tok, a2["id"], 0, b"abc")
    d1 = emu.status(tok, a2["id"])[1]
    st3, _, _ = emu.api("POST", f"/fotoweb/api/uploads/{a2['id']}/xmp", tok, body, ctype)
    st4, _, _ = emu.api("POST", f"/fotoweb/api/uploads/{a2['id']}/xmp", tok, body, ctype)
    st5, _, _ = emu.api("POST", f"/fotoweb/api/uploads/{a2['id']}/xmp", tok, xmp,
                        "application/rdf+xml")
    d2 = emu.status(tok, a2["id"])[1]
    info = emu.upload(a2["id"])
    check("emulator: XMP 400 when not announced, 204, 409 the second time, 415 not "
          "multipart; awaitingData until it arrived",
          a2.get("hasXmp") is True and st1 == 400 and st2 == 204 and st3 == 204 and st4 == 409
          and st5 == 415 and d1.get("status") == "awaitingData"
          and d2.get("status") == "pending" and info["xmp_sha256"] == sha256(xmp),
          f"{st1} {st2} {st3} {st4} {st5} {d1} {d2}")

    # A 0-byte file: no chunk at all, complete once created.
    st, a0, _ = emu.create(tok, fileSize=0)
    stc, _, _ = emu.chunk(tok, a0["id"], 0, b"")
    seq = [emu.status(tok, a0["id"])[1].get("status") for _ in range(3)]
    check("emulator: a 0-byte file has numChunks 0, refuses chunk 0, goes on to done",
          st == 200 and a0.get("numChunks") == 0 and stc == 400
          and seq == ["pending", "inProgress", "done"], f"{st} {a0} {stc} {seq}")

    # One-shot faults.
    emu.configure(chunk_size=7, status_polls=0, retry_after_on_chunk=0, reset_on_chunk=1,
                  drop_answer_on_chunk=2, fail_status=True)
    tok = emu.token()
    _, a, _ = emu.create(tok, fileSize=20)
    uid = a["id"]
    r1 = emu.chunk(tok, uid, 0, data[:7])
    r2 = emu.chunk(tok, uid, 0, data[:7])
    r3 = emu.chunk(tok, uid, 1, data[7:14])
    n3 = emu.upload(uid)["chunks_received"]
    r4 = emu.chunk(tok, uid, 1, data[7:14])
    r5 = emu.chunk(tok, uid, 2, data[14:])
    n5 = emu.upload(uid)["chunks_received"]
    r6 = emu.chunk(tok, uid, 2, data[14:])
    _, cfg, _ = emu.call("GET", "/_emulator/config")
    doc = emu.status(tok, uid)[1]
    info = emu.upload(uid)
    check("emulator: 503 with Retry-After: 1 once, then 204",
          r1[0] == 503 and r1[2].get("Retry-After") == "1" and r2[0] == 204,
          f"{r1[0]} {r1[1]} / {r2[0]}")
    check("emulator: reset_on_chunk closes without an answer and keeps nothing, once",
          r3[0] is None and n3 == 1 and r4[0] == 204, f"{r3[:2]} {n3} / {r4[0]}")
    check("emulator: drop_answer_on_chunk keeps the chunk, closes without an answer; "
          "the resend is 409",
          r5[0] is None and n5 == 3 and r6[0] == 409, f"{r5[:2]} {n5} / {r6[0]}")
    check("emulator: fail_status ends failed with an error message; one-shots cleared",
          doc.get("status") == "failed" and doc.get("error", {}).get("message")
          and info["sha256"] == sha256(data) and cfg.get("retry_after_on_chunk") is None
          and cfg.get("reset_on_chunk") is None and cfg.get("drop_answer_on_chunk") is None
          and cfg.get("fail_status") is False,
          f"{doc} {cfg}")

    # Tokens expire by wall time.
    emu.configure(token_ttl=0.3)
    tok = emu.token()
    st1, _, _ = emu.status(tok, uid)
    time.sleep(0.4)
    st2, _, hdrs = emu.status(tok, uid)
    st3, _, _ = emu.api("GET", "/fotoweb/me/", tok)
    stats = emu.stats()
    check("emulator: a token expires by wall time (401, error=\"invalid_token\")",
          st1 == 200 and st2 == 401 and st3 == 401
          and "invalid_token" in (hdrs.get("WWW-Authenticate") or "")
          and stats.get("api_401") == 2, f"{st1} {st2} {st3} {dict(hdrs)} {stats}")
    st, ans, _ = emu.call("PUT", "/_emulator/config", b'{"chunk_size": 0}')
    check("emulator: control endpoint refuses a chunk size of 0", st == 400, f"{st} {ans}")
    for u in emu.call("GET", "/_emulator/uploads")[1]["ids"]:
        emu.forget(u)
    st, ans, _ = emu.call("GET", "/_emulator/uploads")
    check("emulator: uploads can be forgotten", st == 200 and ans == {"ids": []}, str(ans))


# ---- the probe ---------------------------------------------------------------------

class Probe:
    def __init__(self, binary, emu, files, tmp):
        self.binary, self.emu, self.files, self.tmp = binary, emu, files, tmp
        self.tag = test_token.tag_of(binary)

    def run(self, name, args, timeout):
        """One probe run: (parsed line or None, line or reason, all output,
        seconds, exit status)."""
        env = dict(os.environ, FWC_URL=self.emu.url, FWC_CA_FILE=self.emu.ca_file,
                   FWC_TEST_CLIENT_ID=CLIENT_ID, FWC_TEST_CLIENT_SECRET=SECRET)
        argv = [self.binary, self.files[name], DEST, *args]
        started = time.monotonic()
        try:
            out = subprocess.run(argv, env=env, capture_output=True, timeout=timeout)
        except OSError as e:
            return None, f"cannot run {self.binary}: {e}", "", 0.0, None
        except subprocess.TimeoutExpired as e:
            text = ((e.stdout or b"") + (e.stderr or b"")).decode("utf-8", "replace")
            return None, f"no end after {timeout:.0f} s (a hang): killed: {text}", text, timeout, None
        elapsed = time.monotonic() - started
        text = (out.stdout + out.stderr).decode("utf-8", "replace")
        line = out.stdout.decode("utf-8", "replace").strip()
        m = LINE.match(line)
        if not m or out.returncode not in (0, 3):
            return None, f"exit {out.returncode}: {text.strip()}", text, elapsed, out.returncode
        r = {"result": int(m.group(1)), "asset": m.group(2), "id": m.group(3),
             "next": int(m.group(4)), "progress_calls": int(m.group(5)),
             "status": int(m.group(6)), "name": m.group(7),
             "exit": out.returncode, "stderr": out.stderr.decode("utf-8", "replace").strip()}
        return r, line, text, elapsed, out.returncode


def expect(cond, what, problems):
    if not cond:
        problems.append(what)


def good_upload(r, info, data, problems, asset=None, num_chunks=None):
    """The probe succeeded and the emulator holds exactly data."""
    expect(r["result"] == OK, f"result {r['result']}, wanted {OK}", problems)
    expect(r["exit"] == 0, "the probe's progress checks failed (exit 3, see below)", problems)
    if info is None:
        problems.append("the emulator has no upload of that id")
        return
    expect(info["sha256"] == sha256(data) and info["size"] == len(data),
           f"emulator holds {info['size']} bytes sha256 {info['sha256'][:16]}..., wanted "
           f"{len(data)} bytes {sha256(data)[:16]}...", problems)
    expect(info["complete"] and info["status"] == "done",
           f"upload complete={info['complete']} last status={info['status']}", problems)
    if num_chunks is not None:
        expect(info["num_chunks"] == num_chunks, f"numChunks {info['num_chunks']}", problems)
    expect(r["asset"] == (asset or info["asset_url"]),
           f"asset {r['asset']}, wanted {asset or info['asset_url']}", problems)
    expect(r["next"] == info["num_chunks"],
           f"next={r['next']}, wanted numChunks {info['num_chunks']}", problems)


def log_of(info, index):
    return [outcome for i, outcome, _ in info["chunk_log"] if i == index]


def cases():
    """(name, file, emulator settings, probe options, check(ctx) -> problems)."""
    small = {"chunk_size": CHUNK, "status_polls": 1}

    def plain(name, num_chunks, polls=1):
        def check(c):
            p = []
            good_upload(c.r, c.info, c.data, p, num_chunks=num_chunks)
            if c.info:
                expect(c.info["chunk_posts"] == num_chunks,
                       f"{c.info['chunk_posts']} chunk requests for {num_chunks} chunks", p)
                expect(c.info["status_polls"] >= polls + 1,
                       f"{c.info['status_polls']} status polls, wanted {polls} before done", p)
                expect(c.info["request"].get("filename") == os.path.basename(c.path)
                       and c.info["request"].get("fileSize") == len(c.data),
                       f"create said {c.info['request']}", p)
            return p
        return check

    def with_fields(c):
        p = []
        good_upload(c.r, c.info, c.data, p)
        if c.info:
            req = c.info["request"]
            fields = (req.get("metadata") or {}).get("fields")
            expect(req.get("folder") == "Probe/Sub folder", f"folder {req.get('folder')!r}", p)
            expect(fields == [{"id": 5, "action": "add", "value": "Title text"},
                              {"id": 25, "action": "add", "value": FIELD_25}],
                   f"fields {fields!r}", p)
            expect(req.get("comment") == "uploaded by the probe", f"comment {req.get('comment')!r}",
                   p)
            expect(req.get("hasXmp") in (False, None), f"hasXmp {req.get('hasXmp')!r}", p)
            expect(c.r["asset"] == DEST + "Probe/Sub%20folder/"
                   + urllib.parse.quote(os.path.basename(c.path)) + ".info",
                   "asset URL not under the destination folder", p)
        return p

    def with_xmp(c):
        p = []
        good_upload(c.r, c.info, c.data, p)
        if c.info:
            expect(c.info["request"].get("hasXmp") is True, "create did not say hasXmp", p)
            expect(c.info["xmp"] and c.info["xmp_sha256"] == sha256(c.xmp_data),
                   f"XMP {c.info['xmp_size']} bytes sha256 {c.info['xmp_sha256']}", p)
        return p

    def big(c):
        p = []
        good_upload(c.r, c.info, c.data, p, num_chunks=64)
        if c.info:
            expect(c.info["chunk_posts"] == 64, f"{c.info['chunk_posts']} chunk requests", p)
        return p

    def token_renewed(min_401):
        def check(c):
            p = []
            good_upload(c.r, c.info, c.data, p)
            expect(c.stats["tokens_issued"] > 1,
                   f"{c.stats['tokens_issued']} token(s) issued, wanted more than one", p)
            expect(c.stats["api_401"] >= min_401,
                   f"{c.stats['api_401']} answer(s) 401, wanted at least {min_401}", p)
            return p
        return check

    def unauthorized(c):
        p = []
        expect(c.r["result"] == UNAUTHORIZED,
               f"result {c.r['result']}, wanted FWC_ERR_UNAUTHORIZED {UNAUTHORIZED}", p)
        expect(c.stats["token_requests"] <= 3,
               f"{c.stats['token_requests']} token requests: a persistent 401 is retried", p)
        expect(c.stats["api_401"] <= 3, f"{c.stats['api_401']} answers 401", p)
        expect(c.r["asset"] == "-", "an asset URL after a failure", p)
        return p

    def retry_after(c):
        p = []
        good_upload(c.r, c.info, c.data, p)
        if c.info:
            expect(log_of(c.info, 2) == ["retry_after", "stored"],
                   f"chunk 2 saw {log_of(c.info, 2)}", p)
        expect(c.elapsed >= 1.0, f"done in {c.elapsed:.2f} s: Retry-After: 1 not honoured", p)
        return p

    def reset(c):
        p = []
        good_upload(c.r, c.info, c.data, p)
        if c.info:
            expect(log_of(c.info, 1) == ["reset", "stored"], f"chunk 1 saw {log_of(c.info, 1)}",
                   p)
        return p

    def dropped(c):
        p = []
        good_upload(c.r, c.info, c.data, p)
        if c.info:
            expect(log_of(c.info, 1) == ["dropped", "duplicate"],
                   f"chunk 1 saw {log_of(c.info, 1)}", p)
            expect(c.info["chunks_received"] == 5 and c.info["chunk_posts"] == 6,
                   f"{c.info['chunks_received']} chunks kept of {c.info['chunk_posts']} "
                   "requests, wanted 5 of 6", p)
        return p

    def reader_error(c, cut):
        p = []
        expect(c.r["result"] == BODY_READER,
               f"result {c.r['result']}, wanted FWC_ERR_BODY_READER {BODY_READER}", p)
        expect(c.r["asset"] == "-", "an asset URL after a failure", p)
        if c.info is None:
            p.append("no upload id printed (or unknown to the emulator)")
            return p
        seen = [(i, o) for i, o, _ in c.info["chunk_log"]]
        # Chunks 0 and 1 kept; chunk 2 (where the reader fails) may have
        # begun and been cut; nothing after it.
        expect(seen[:2] == [(0, "stored"), (1, "stored")] and len(seen) <= 3
               and all(o != "stored" for _, o in seen[2:])
               and all(i == 2 for i, _ in seen[2:]),
               f"chunk requests {seen}, wanted 0 and 1 kept, at most a cut 2, nothing after", p)
        expect(c.r["next"] == 2, f"next={c.r['next']}, wanted 2", p)
        expect(c.info["status_polls"] == 0, f"{c.info['status_polls']} status polls", p)
        expect(c.r["exit"] == 0, "the probe's progress checks failed (exit 3, see below)", p)
        if cut:
            # Bytes of chunk 2 left the client before the reader failed: the
            # emulator saw a request cut inside its body, and kept nothing.
            expect(seen[2:] == [(2, "truncated")],
                   f"chunk requests {seen}: no cut request for chunk 2", p)
        return p

    def failed(c):
        p = []
        named = UPLOAD_FAILED or sorted(set(CODES.values()) - {OK})
        expect(c.r["result"] in named,
               f"result {c.r['result']} ({c.r['name']}), wanted one of {named}", p)
        expect(c.r["asset"] == "-", "an asset URL after a failure", p)
        if c.info:
            expect(c.info["complete"] and c.info["status"] == "failed",
                   f"emulator status {c.info['status']}", p)
            expect(c.info["sha256"] == sha256(c.data), "the data arrived wrong", p)
        return p

    def unknown_resume(c):
        p = []
        expect(c.r["result"] == HTTP_STATUS,
               f"result {c.r['result']}, wanted FWC_ERR_HTTP_STATUS {HTTP_STATUS}", p)
        expect(c.stats["uploads_created"] == 0, "a new upload was created instead", p)
        expect(c.stats["api_requests"] == 1,
               f"{c.stats['api_requests']} API requests, wanted the one chunk POST answered "
               "404 (not retried, no status poll)", p)
        expect(c.r["asset"] == "-", "an asset URL after a failure", p)
        return p

    out = [
        ("0-byte file", "zero", small, (), plain("zero", 0)),
        ("1-byte file", "one", small, (), plain("one", 1)),
        (f"{CHUNK - 1}-byte file (chunkSize - 1)", "under", small, (), plain("under", 1)),
        (f"{CHUNK}-byte file (chunkSize)", "exact", small, (), plain("exact", 1)),
        (f"{CHUNK + 1}-byte file (chunkSize + 1), pending and inProgress before done", "over",
         {**small, "status_polls": 2}, (), plain("over", 2, polls=2)),
        ("folder, comment and metadata fields arrive", "fields", small,
         ("--folder", "Probe/Sub folder", "--field", "5=Title text", "--field", f"25={FIELD_25}",
          "--comment", "uploaded by the probe"), with_fields),
        ("XMP sidecar", "small", small, ("--xmp", "XMP"), with_xmp),
        # About a second per probe (ASan, TLS): cheap enough for every probe.
        (f"{BIG >> 20} MiB file in 1 MiB chunks", "big", {"status_polls": 1}, (), big),
        ("token lifetime 2 s, expiring mid-upload", "eight",
         {**small, "lifetime": 2, "chunk_delay": 0.4}, (), token_renewed(0)),
        ("token expired early by the server (401 mid-upload, new token, repeat)", "eight",
         {**small, "token_ttl": 1.0, "chunk_delay": 0.4}, (), token_renewed(1)),
        ("401 even with a fresh token: FWC_ERR_UNAUTHORIZED, not retried forever", "one",
         {**small, "token_ttl": 0}, (), unauthorized),
        ("503 with Retry-After: 1 on chunk 2", "five", {**small, "retry_after_on_chunk": 2}, (),
         retry_after),
        ("connection reset inside chunk 1, chunk resent", "five",
         {**small, "reset_on_chunk": 1}, (), reset),
        ("answer to chunk 1 lost: resent, 409 counts as received", "five",
         {**small, "drop_answer_on_chunk": 1}, (), dropped),
        ("reader error inside chunk 2: FWC_ERR_BODY_READER, no further chunk", "five", small,
         ("--fail-read-at", str(2 * CHUNK + CHUNK // 2)), lambda c: reader_error(c, False)),
        # Chunks larger than the client's I/O buffer (2 KiB by default): part
        # of chunk 2 is on the wire when the reader fails.
        (f"reader error {LARGE_CHUNK - 500} bytes into a {LARGE_CHUNK}-byte chunk: the request "
         "is cut, nothing kept, no further chunk", "large",
         {**small, "chunk_size": LARGE_CHUNK},
         ("--fail-read-at", str(3 * LARGE_CHUNK - 500)), lambda c: reader_error(c, True)),
        ("status failed: a named error", "small", {**small, "fail_status": True}, (), failed),
        ("resume of an upload the server does not know: 404, a named error, no new upload",
         "five", small, ("--resume-id", "AAAAAAAAAAAAAAAAunknown0", "--resume-next", "2",
                         "--chunk-size", str(CHUNK), "--num-chunks", "5"), unknown_resume),
    ]
    return out


# A field value with what JSON must escape, and non-ASCII letters.
FIELD_25 = 'quote " backslash \\ tab\t slash / caf\u00e9 \u65e5\u672c & = +'


class Ctx:
    pass


def make_files(tmp):
    sizes = {"zero": 0, "one": 1, "under": CHUNK - 1, "exact": CHUNK, "over": CHUNK + 1,
             "fields": 2 * CHUNK + 500, "small": 1500, "eight": 8 * CHUNK - 10,
             "five": 5 * CHUNK, "resume": 5 * CHUNK - 123, "large": 4 * LARGE_CHUNK + 77,
             "big": BIG}
    names = {"fields": "report caf\u00e9 \"1\".jpg", "small": "small.jpg"}
    files, data = {}, {}
    for key, size in sizes.items():
        path = os.path.join(tmp, names.get(key, f"{key}.bin"))
        blob = os.urandom(size)
        with open(path, "wb") as f:
            f.write(blob)
        files[key], data[key] = path, (blob if size < BIG else None)
    xmp = (b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
           b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf='
           b'"http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about=""'
           b' xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>fwc probe</dc:title>'
           b'</rdf:Description></rdf:RDF></x:xmpmeta>\n<?xpacket end="w"?>')
    files["XMP"] = os.path.join(tmp, "sidecar.xmp")
    with open(files["XMP"], "wb") as f:
        f.write(xmp)
    data["XMP"] = xmp
    return files, data


def file_data(files, data, key):
    if data.get(key) is not None:
        return data[key]
    with open(files[key], "rb") as f:
        return f.read()


def main():
    probes = sys.argv[1:]
    if not probes:
        print("usage: test_upload.py PROBE [PROBE ...]", file=sys.stderr)
        return 2
    results = []

    def check(name, ok, detail):
        results.append(ok)
        print(f"{'ok' if ok else 'not ok'} {len(results)} - {name}", flush=True)
        if not ok:
            for line in str(detail).splitlines() or [""]:
                print(f"#   {line}")

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    t0 = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        pki = os.path.join(tmp, "pki")
        subprocess.run([test_token.MAKE_PKI, pki], check=True)
        files, data = make_files(tmp)
        emu = Emulator(tmp, pki)
        emu.pki = pki
        emu.ca_file = os.path.join(pki, "ca.pem")
        try:
            emulator_checks(emu, check)
            for binary in probes:
                probe = Probe(binary, emu, files, tmp)

                def report(name, r, line, text, problems, stats, elapsed=0.0, info=None):
                    token = stats.get("last_token")
                    leaked = test_token.leaks(text, token)
                    if leaked:
                        problems = problems + ["the probe printed: " + ", ".join(leaked)]
                    detail = line
                    if problems:
                        detail += "\n" + "\n".join(problems)
                        detail += (f"\nemulator: {stats.get('token_requests')} token request(s),"
                                   f" {stats.get('api_requests')} API request(s), "
                                   f"{stats.get('api_401')} 401, faults "
                                   f"{stats.get('faults_fired')}")
                        extra = text.replace(line, "").strip()
                        if extra:
                            detail += "\nprobe also printed: " + extra[:2000]
                    check(f"{probe.tag}: {name}", not problems,
                          test_token.redact(detail, token))
                    if VERBOSE:
                        chunks = ""
                        if info is not None and len(info["chunk_log"]) <= 12:
                            chunks = "; chunk requests " + (" ".join(
                                f"{i}:{o}" for i, o, _ in info["chunk_log"]) or "none")
                        print("#   " + test_token.redact(
                            f"{line}\n{elapsed:.2f} s; emulator: "
                            f"{stats.get('tokens_issued')} token(s), {stats.get('api_401')} "
                            f"401, {stats.get('chunk_posts')} chunk request(s), "
                            f"{stats.get('status_polls')} status poll(s), faults "
                            f"{stats.get('faults_fired')}{chunks}", token).replace("\n", "\n#   "))

                def one(name, key, settings, args):
                    """Configure, run, gather: a Ctx."""
                    emu.configure(**settings)
                    c = Ctx()
                    c.path = files[key]
                    c.r, c.line, c.text, c.elapsed, _ = probe.run(
                        key, args, HANG_S)
                    c.stats = emu.stats()
                    c.data = file_data(files, data, key)
                    c.xmp_data = data["XMP"]
                    c.info = None
                    if c.r is not None and c.r["id"] != "-":
                        st, ans, _ = emu.call("GET", "/_emulator/uploads/" + c.r["id"])
                        c.info = ans if st == 200 else None
                    return c

                for name, key, settings, args, want in cases():
                    args = tuple(files["XMP"] if a == "XMP" else a for a in args)
                    c = one(name, key, settings, args)
                    if c.r is None:
                        check(f"{probe.tag}: {name}", False,
                              test_token.redact(c.line, c.stats.get("last_token")))
                        continue
                    report(name, c.r, c.line, c.text, want(c), c.stats, c.elapsed, c.info)
                    if c.info is not None and key == "big":
                        emu.forget(c.r["id"])

                # Resume: the reader fails inside chunk 3; a second run
                # resumes from the id and next chunk the first one printed.
                name = "resume from a persisted id and next chunk"
                fail_at = 3 * CHUNK + 10
                c = one(name + " (first run stops)", "resume", {"chunk_size": CHUNK,
                                                                "status_polls": 1},
                        ("--fail-read-at", str(fail_at)))
                if c.r is None:
                    check(f"{probe.tag}: {name}", False,
                          test_token.redact(c.line, c.stats.get("last_token")))
                    continue
                problems = []
                expect(c.r["result"] == BODY_READER, f"first run: result {c.r['result']}",
                       problems)
                expect(c.r["id"] != "-" and c.info is not None,
                       "first run: no upload id the emulator knows", problems)
                expect(c.r["next"] == 3, f"first run: next={c.r['next']}, wanted 3", problems)
                if problems:
                    report(name, c.r, c.line, c.text, problems, c.stats)
                    continue
                uid, nxt = c.r["id"], c.r["next"]
                before = len(c.info["chunk_log"])
                created = c.stats["uploads_created"]
                c2_args = ("--resume-id", uid, "--resume-next", str(nxt), "--chunk-size",
                           str(c.info["chunk_size"]), "--num-chunks", str(c.info["num_chunks"]))
                r, line, text, elapsed, _ = probe.run("resume", c2_args, HANG_S)
                stats = emu.stats()
                if r is None:
                    check(f"{probe.tag}: {name}", False,
                          test_token.redact(line, stats.get("last_token")))
                    continue
                info = emu.upload(uid)
                good_upload(r, info, c.data, problems, num_chunks=5)
                expect(r["id"] == uid, f"resumed as id {r['id']}", problems)
                expect(stats["uploads_created"] == created,
                       "the second run created a new upload", problems)
                later = [(i, o) for i, o, _ in info["chunk_log"][before:]]
                expect([i for i, o in later if o == "stored"] == [3, 4]
                       and all(i >= nxt for i, _ in later),
                       f"second run's chunk requests {later}, wanted 3 and 4 only", problems)
                report(name, r, "first run: " + c.line + "\nsecond run: " + line,
                       c.text + text, problems, stats, elapsed, info)
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
