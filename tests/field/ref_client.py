#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A stand-in for the fwc tool as issue 17 asks it to behave, built on
curl: to show that the checks field.py reports "# SKIP" today can pass,
before the library work lands (`field.py check --pending --fwc
tests/field/ref_client.py`). Not a product and not a benchmark.

  ref_client.py [--proxy URL] [--noproxy LIST] token
  ref_client.py [--proxy URL] [--noproxy LIST] get PATH
  ref_client.py [--proxy URL] [--noproxy LIST] upload FILE --to DEST [--state FILE]

FWC_URL, FWC_CA_FILE, FWC_CLIENT_ID and FWC_CLIENT_SECRET_FILE as for fwc;
https_proxy / HTTPS_PROXY and no_proxy / NO_PROXY are curl's own. Exit
codes as fwc's: 0, 2 usage, 3 refused, 4 network (a proxy's refusal
too, named on stderr), 5 server. What it does that today's fwc does not:
no deadline on a transfer that makes progress (curl has none), a proxy,
a chunk posted again only after its connection was lost (409 then counts
as received), and --state: the upload's id and its next chunk, saved
after each confirmed chunk, so that the same command run again goes on
from there.
"""
import json
import os
import subprocess
import sys
import tempfile
import urllib.parse

LOST = {7, 28, 52, 55, 56, 92}   # curl: the connection failed or was lost
PROXY_CODES = {"407": "the proxy wants credentials (407)",
               "401": "the proxy refused the credentials (401)",
               "403": "the proxy refused the tunnel (403)"}


class Fail(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


def curl(opts, args, body_out=True):
    cmd = ["curl", "-sS", "--cacert", os.environ["FWC_CA_FILE"], "-w",
           "\n%{http_code} %{http_connect}"]
    if opts.get("proxy"):
        cmd += ["--proxy", opts["proxy"]]
    if opts.get("noproxy"):
        cmd += ["--noproxy", opts["noproxy"]]
    r = subprocess.run(cmd + args, capture_output=True)
    out = r.stdout.decode("utf-8", "replace")
    body, _, codes = out.rpartition("\n")
    http, _, connect = codes.partition(" ")
    if connect in PROXY_CODES:
        raise Fail(4, "proxy: " + PROXY_CODES[connect])
    return r.returncode, http, body


def checked(opts, args, want=("200",)):
    for _ in range(4):
        rc, http, body = curl(opts, args)
        if rc in LOST:
            continue
        if rc:
            raise Fail(4, "network: curl exit %d" % rc)
        if http not in want:
            raise Fail(5, "server: HTTP %s %s" % (http, body[:200]))
        return http, body
    raise Fail(4, "network: the connection was lost four times")


def token(opts):
    with open(os.environ["FWC_CLIENT_SECRET_FILE"]) as f:
        secret = f.readline().rstrip("\r\n")
    form = urllib.parse.urlencode([("grant_type", "client_credentials"),
                                   ("client_id", os.environ["FWC_CLIENT_ID"]),
                                   ("client_secret", secret)])
    try:
        _, body = checked(opts, ["-d", form, opts["url"] + "/fotoweb/oauth2/token"])
    except Fail as e:
        if e.code == 5:
            raise Fail(3, "token refused: " + str(e))
        raise
    return json.loads(body)["access_token"]


def upload(opts, auth, path, dest, state_path):
    size = os.path.getsize(path)
    state = None
    if state_path and os.path.exists(state_path):
        with open(state_path) as f:
            state = json.load(f)
        if state.get("file") != os.path.abspath(path) or state.get("size") != size:
            state = None
    if state is None:
        create = json.dumps({"destination": dest, "filename": os.path.basename(path),
                             "fileSize": size})
        _, body = checked(opts, auth + ["-H", "Content-Type: application/json",
                                        "--data-binary", create,
                                        opts["url"] + "/fotoweb/api/uploads"])
        c = json.loads(body)
        state = {"file": os.path.abspath(path), "size": size, "id": c["id"],
                 "chunk": c["chunkSize"], "n": c["numChunks"], "next": 0}
        save(state_path, state)
    at = opts["url"] + "/fotoweb/api/uploads/" + urllib.parse.quote(state["id"], safe="")
    with tempfile.TemporaryDirectory() as work, open(path, "rb") as f:
        for i in range(state["next"], state["n"]):
            f.seek(i * state["chunk"])
            part = os.path.join(work, "chunk")
            with open(part, "wb") as out:
                out.write(f.read(state["chunk"]))
            checked(opts, auth + ["-H", "Expect:", "-F",
                                  "chunk=@%s;type=application/octet-stream;filename=%s"
                                  % (part, os.path.basename(path)), "%s/chunks/%d" % (at, i)],
                    want=("204", "409"))
            state["next"] = i + 1
            save(state_path, state)
    _, body = checked(opts, auth + [at + "/status"])
    doc = json.loads(body)
    if doc.get("status") != "done":
        raise Fail(5, "upload status %s" % doc.get("status"))
    if state_path:
        os.remove(state_path)
    return doc["result"]["assetUrl"]


def save(path, state):
    if path:
        with open(path + ".tmp", "w") as f:
            json.dump(state, f)
        os.replace(path + ".tmp", path)


def main(argv):
    opts = {"url": os.environ.get("FWC_URL", "")}
    args, i = [], 0
    while i < len(argv):
        a = argv[i]
        if a in ("--proxy", "--noproxy", "--to", "--state"):
            if i + 1 >= len(argv):
                raise Fail(2, "usage: %s wants a value" % a)
            opts[a[2:]] = argv[i + 1]
            i += 2
        else:
            args.append(a)
            i += 1
    if not args:
        raise Fail(2, "usage: token | get PATH | upload FILE --to DEST [--state FILE]")
    tok = token(opts)
    if args[0] == "token":
        print(tok)
        return 0
    auth = ["-H", "Authorization: Bearer " + tok]
    if args[0] == "get" and len(args) == 2:
        _, body = checked(opts, auth + [opts["url"] + args[1]])
        sys.stdout.write(body)
        return 0
    if args[0] == "upload" and len(args) == 2 and opts.get("to"):
        print(upload(opts, auth, args[1], opts["to"], opts.get("state")))
        return 0
    raise Fail(2, "usage: token | get PATH | upload FILE --to DEST [--state FILE]")


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except Fail as e:
        print("ref_client: %s" % e, file=sys.stderr)
        sys.exit(e.code)
