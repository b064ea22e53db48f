#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Warm starts (fwc/warm.h) as a device uses them, against the FotoWeb emulator.

Usage: test_warm.py PROBE [PROBE ...]   (one warm_probe binary per mbedTLS line)

Starts one emulator over HTTPS (throwaway CA made by tests/server/make_pki.sh)
with its control endpoint and, for each probe, plays a device's day: part 1
uploads a file (a token request and a full handshake), exports the client's
warm state into retained memory and closes the client; part 2, a new
client, imports it and uploads again. Between the parts the harness reads
the emulator's statistics, so each part is judged on its own:
  - part 2 makes no token request and resumes the TLS session
    (tls_resumed), and both files arrive whole (SHA-256);
  - with a short token lifetime (the token has expired by part 2), part 2
    asks for a new token but still resumes the session;
  - a corrupted export is refused or ignored: part 2 starts cold and
    still uploads.
Neither the secret nor a token may show in anything the probe prints.
Prints TAP; exit 1 on a failure.
"""
import hashlib
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import test_token  # noqa: E402  (the emulator harness and the credentials)

DEST = "/fotoweb/archives/5000-Uploads/"
HANG_S = test_token.HANG_S
PART1 = re.compile(r"part=1 result=(-?\d+) export=(-?\d+) len=(\d+) \((.*)\)$", re.M)
PART2 = re.compile(r"part=2 import=(-?\d+) used=(\d+) result=(-?\d+) asset=(\S+) \((.*)\)$", re.M)
USED_TOKEN, USED_SESSION = 1, 2


def delta(after, before, key):
    return (after.get(key) or 0) - (before.get(key) or 0)


class Day:
    """One run of the probe, with the emulator's statistics before, between
    and after its parts."""

    def __init__(self, probe, emu, path, args=(), pause=0.0):
        self.text, self.stats, first = "", [], ""
        env = dict(os.environ, FWC_URL=emu.url, FWC_CA_FILE=os.path.join(emu.pki, "ca.pem"),
                   FWC_TEST_CLIENT_ID=test_token.CLIENT_ID,
                   FWC_TEST_CLIENT_SECRET=test_token.SECRET)
        self.stats.append(emu.stats())
        p = subprocess.Popen([probe, path, DEST, *args], env=env, stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            first = self.read_line(p)
            self.stats.append(emu.stats())
            time.sleep(pause)  # the device's sleep
            out, err = p.communicate(b"go\n", timeout=HANG_S)
            self.rc = p.returncode
        except subprocess.TimeoutExpired:
            p.kill()
            out, err = p.communicate()
            self.rc = None
        self.stats.append(emu.stats())
        text = first + out.decode("utf-8", "replace")
        self.text = text + err.decode("utf-8", "replace")
        self.p1 = PART1.search(text)
        self.p2 = PART2.search(text)

    @staticmethod
    def read_line(p):
        """Part 1's line, read without blocking the test forever."""
        deadline = time.monotonic() + HANG_S
        line = b""
        while not line.endswith(b"\n") and time.monotonic() < deadline:
            c = p.stdout.read(1)
            if not c:
                break
            line += c
        return line.decode("utf-8", "replace")

    def part(self, n, key):
        """What part n (1 or 2) cost the emulator in key. The statistics
        calls are Python's own, full handshakes: each read counts one."""
        d = delta(self.stats[n], self.stats[n - 1], key)
        return d - 1 if key == "tls_handshakes" else d


def main():
    probes = sys.argv[1:]
    if not probes:
        print("usage: test_warm.py PROBE [PROBE ...]", file=sys.stderr)
        return 2
    results = []

    def check(name, ok, detail=""):
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
        emu = test_token.Emulator(tmp, pki)
        emu.pki = pki
        data = os.urandom(3000)
        path = os.path.join(tmp, "warm.bin")
        with open(path, "wb") as f:
            f.write(data)
        digest = hashlib.sha256(data).hexdigest()
        tokens = set()

        def judge(tag, name, day, want):
            token = day.stats[-1].get("last_token")
            if token:
                tokens.add(token)
            problems = []
            if day.rc is None:
                problems.append(f"no end after {HANG_S} s (a hang): killed")
            elif day.rc != 0 or not day.p1 or not day.p2:
                problems.append(f"exit {day.rc}")
            else:
                problems += want(day)
            for t in tokens:
                if t in day.text or t[:12] in day.text:
                    problems.append("the probe printed a token")
            if test_token.SECRET in day.text:
                problems.append("the probe printed the secret")
            detail = "\n".join(problems) + "\nprobe: " + day.text.strip()[:2000]
            for t in tokens:
                detail = detail.replace(t, "<token>")
            detail += "\nemulator per part: " + ", ".join(
                f"part {n}: {day.part(n, 'token_requests')} token request(s), "
                f"{day.part(n, 'tls_handshakes')} handshake(s), "
                f"{day.part(n, 'tls_resumed')} resumed" for n in (1, 2))
            check(f"{tag}: {name}", not problems, detail.replace(test_token.SECRET, "<secret>"))

        def uploads_whole(day):
            st, ids, _ = emu.call("GET", "/_emulator/uploads")
            p = []
            for uid in (ids.get("ids") or [])[-2:] if st == 200 else []:
                st2, info, _ = emu.call("GET", "/_emulator/uploads/" + uid)
                if st2 != 200 or info.get("sha256") != digest or not info.get("complete"):
                    p.append(f"upload {uid}: not the file, or incomplete")
                emu.call("DELETE", "/_emulator/uploads/" + uid)
            if day.part(1, "uploads_created") != 1 or day.part(2, "uploads_created") != 1:
                p.append("not one upload per part")
            return p

        def warm(day):
            p = uploads_whole(day)
            if int(day.p1.group(2)) != 0 or int(day.p1.group(3)) == 0:
                p.append("part 1 exported nothing")
            if day.part(1, "token_requests") != 1:
                p.append(f"part 1: {day.part(1, 'token_requests')} token requests, wanted 1")
            if int(day.p2.group(1)) != 0 or int(day.p2.group(2)) != USED_TOKEN | USED_SESSION:
                p.append("part 2 did not take both the token and the session")
            if day.part(2, "token_requests") != 0:
                p.append(f"part 2 asked for a token ({day.part(2, 'token_requests')})")
            if day.part(2, "tls_resumed") < 1:
                p.append("part 2 resumed no TLS session")
            if day.part(2, "tls_handshakes") != day.part(2, "tls_resumed"):
                p.append("part 2 made a full handshake")
            return p

        def expired(day):
            p = uploads_whole(day)
            if int(day.p2.group(2)) & USED_TOKEN:
                p.append("part 2 took a token that had expired")
            if not int(day.p2.group(2)) & USED_SESSION:
                p.append("part 2 did not take the session")
            if day.part(2, "token_requests") != 1:
                p.append(f"part 2: {day.part(2, 'token_requests')} token requests, wanted 1")
            if day.part(2, "tls_resumed") < 1:
                p.append("part 2 resumed no TLS session")
            return p

        def cold(day):
            p = uploads_whole(day)
            if int(day.p2.group(1)) == 0 and int(day.p2.group(2)) != 0:
                p.append("a corrupted export was taken")
            if day.part(2, "token_requests") != 1:
                p.append(f"part 2: {day.part(2, 'token_requests')} token requests, wanted 1")
            return p

        try:
            for probe in probes:
                tag = test_token.tag_of(probe)
                emu.configure(status_polls=0)
                judge(tag, "a new client from the export: no token request, session resumed",
                      Day(probe, emu, path), warm)
                # A token announced (and honoured) for 2 s has expired after
                # a 3 s sleep; the TLS session has not.
                emu.configure(status_polls=0, lifetime=2)
                judge(tag, "the token expired during the sleep: a new token, session resumed",
                      Day(probe, emu, path, pause=3.0), expired)
                emu.configure(status_polls=0)
                judge(tag, "a corrupted export: a cold start that works",
                      Day(probe, emu, path, ["--corrupt"]), cold)
        finally:
            emu.stop()
            log = emu.output().strip()
            emu.log.close()
            if log:
                for line in log.splitlines()[-40:]:
                    print(f"# emulator: {line}")

    failed = results.count(False)
    print(f"1..{len(results)}")
    print(f"# {len(results) - failed} passed, {failed} failed "
          f"in {time.monotonic() - t0:.1f} s")
    return 1 if failed or not results else 0


if __name__ == "__main__":
    sys.exit(main())
