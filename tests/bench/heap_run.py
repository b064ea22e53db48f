#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Run heap probes against Python ssl servers; print Markdown tables.

Usage: heap_run.py [--results FILE]
                   --probe SETTING PROBE BODY SERVERS KINDS XFAIL ...
  SETTING  the name of the mbedTLS setting, for the table
  BODY     response body size in bytes
  SERVERS  12 (TLS 1.2 only), 13 (TLS 1.2+1.3) or all (both)
  KINDS    certificates, comma-separated: ec, rsa, chain
  XFAIL    cases expected to fail, comma-separated kind/server patterns
           (e.g. chain/* or */13), or - for none
Run by `make heap` (tests/bench/heap.mk).

Throwaway PKIs are made with the openssl CLI in a temporary folder:
ec = ECDSA P-256 CA and leaf; rsa = RSA-2048 CA and leaf; chain = RSA-2048
root, two intermediates and leaf, the server sending leaf + intermediates.
Each case starts a TLS server on loopback with a relay in front that counts
TCP connections and notes the largest TLS record each way, then runs one
probe: heap_probe localhost RELAY_PORT CA /bytes/BODY.
Exit status 1 when a case failed unexpectedly, passed unexpectedly or left
memory behind.
"""
import fnmatch
import os
import re
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time


def run(*args, cwd):
    subprocess.run(args, cwd=cwd, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)


def make_pki(d):
    """KIND-ca.pem (what the probe trusts), KIND.pem + KIND.key (what the
    server sends) for each kind."""
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"]
    rsa = ["-newkey", "rsa:2048"]
    with open(os.path.join(d, "leaf.ext"), "w") as f:
        f.write("subjectAltName=DNS:localhost,IP:127.0.0.1\n"
                "basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n")
    with open(os.path.join(d, "ca.ext"), "w") as f:
        f.write("basicConstraints=critical,CA:TRUE\n"
                "keyUsage=critical,keyCertSign,cRLSign\n")

    def sign(name, key, subject, issuer, ext):
        run("openssl", "req", *key, "-nodes", "-keyout", name + ".key", "-out",
            name + ".csr", "-subj", subject, cwd=d)
        run("openssl", "x509", "-req", "-in", name + ".csr", "-CA", issuer + ".pem",
            "-CAkey", issuer + ".key", "-CAcreateserial", "-days", "2",
            "-extfile", ext, "-out", name + ".pem", cwd=d)

    for kind, key in (("ec", ec), ("rsa", rsa), ("chain", rsa)):
        run("openssl", "req", "-x509", *key, "-nodes", "-keyout", kind + "-ca.key",
            "-out", kind + "-ca.pem", "-days", "3", "-subj", "/CN=fwc heap " + kind + " CA",
            cwd=d)
    sign("ec", ec, "/CN=localhost", "ec-ca", "leaf.ext")
    sign("rsa", rsa, "/CN=localhost", "rsa-ca", "leaf.ext")
    sign("int1", rsa, "/CN=fwc heap intermediate 1", "chain-ca", "ca.ext")
    sign("int2", rsa, "/CN=fwc heap intermediate 2", "int1", "ca.ext")
    sign("chain-leaf", rsa, "/CN=localhost", "int2", "leaf.ext")
    with open(os.path.join(d, "chain.pem"), "w") as out:
        for name in ("chain-leaf", "int2", "int1"):
            with open(os.path.join(d, name + ".pem")) as f:
                out.write(f.read())
    os.replace(os.path.join(d, "chain-leaf.key"), os.path.join(d, "chain.key"))


def listener():
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 0))
    s.listen(16)
    return s


class Server:
    """TLS + minimal HTTP/1.1 keep-alive: GET /bytes/N answers N bytes."""

    def __init__(self, d, kind, tls13):
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(os.path.join(d, kind + ".pem"), os.path.join(d, kind + ".key"))
        ctx.minimum_version = ssl.TLSVersion.TLSv1_2
        ctx.maximum_version = ssl.TLSVersion.TLSv1_3 if tls13 else ssl.TLSVersion.TLSv1_2
        self.ctx = ctx
        self.sessions = []  # (version, reused) per connection
        self.sock = listener()
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self.handle, args=(conn,), daemon=True).start()

    def handle(self, conn):
        conn.settimeout(20)
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            conn = self.ctx.wrap_socket(conn, server_side=True)
            self.sessions.append((conn.version(), conn.session_reused))
            data = b""
            while True:
                while b"\r\n\r\n" not in data:
                    piece = conn.recv(65536)
                    if not piece:
                        return
                    data += piece
                head, data = data.split(b"\r\n\r\n", 1)
                path = head.split(b"\r\n", 1)[0].split(b" ")[1]
                m = re.match(rb"/bytes/(\d+)", path)
                body = b"x" * int(m.group(1)) if m else b"ok"
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(body)
                             + body)
        except (OSError, ssl.SSLError):
            pass
        finally:
            conn.close()

    def stop(self):
        self.sock.close()


class Relay:
    """Copies bytes both ways; counts connections and the largest TLS
    record (length field of the record header) in each direction."""

    def __init__(self, target_port):
        self.target = target_port
        self.connections = 0
        self.max_record = {"to_client": 0, "to_server": 0}
        self.pumps = []
        self.sock = listener()
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            server = socket.create_connection(("127.0.0.1", self.target))
            for s in (client, server):  # no Nagle delays added by the relay
                s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            for a, b, way in ((client, server, "to_server"), (server, client, "to_client")):
                t = threading.Thread(target=self.pump, args=(a, b, way), daemon=True)
                t.start()
                self.pumps.append(t)

    def pump(self, src, dst, way):
        pending = b""
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                dst.sendall(data)
                pending += data
                while len(pending) >= 5:
                    length = int.from_bytes(pending[3:5], "big")
                    if len(pending) < 5 + length:
                        break
                    self.max_record[way] = max(self.max_record[way], length)
                    pending = pending[5 + length:]
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def stop(self):
        for t in self.pumps:
            t.join(5)
        self.sock.close()


FIELD = re.compile(r'(\w+)=("[^"]*"|\S+)')


def probe(binary, port, ca, body):
    try:
        out = subprocess.run([binary, "localhost", str(port), ca, "/bytes/%d" % body],
                             capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        return {}, binary + ": no answer within 60 s"
    line = next((l for l in out.stdout.splitlines() if l.startswith("heap:")), "")
    fields = {k: v.strip('"') for k, v in FIELD.findall(line)}
    for k, v in fields.items():
        if re.fullmatch(r"-?\d+", v):
            fields[k] = int(v)
    return fields, (line + " " + out.stderr).strip()


COLUMNS = [
    ("init peak", "init_peak"), ("CA parse peak / kept", "ca"),
    ("handshake peak", "hs_peak"), ("after handshake", "hs_held"),
    ("request peak", "req_peak"), ("after request", "req_held"),
    ("after close", "close_held"), ("resumed handshake peak", "resume_peak"),
    ("after fwci_tls_free", "free_held"), ("most blocks at once", "blocks"),
    ("handshake stack", "hs_stack"), ("request stack", "req_stack"),
]
STAGES = ["init", "hs", "req", "req2", "close", "resume", "req3", "free"]
SERVERS = {"12": [False], "13": [True], "all": [False, True]}
CERTS = {"ec": "ECDSA P-256", "rsa": "RSA-2048", "chain": "RSA-2048 + 2 intermediates"}


def cell(f, key):
    if key == "ca":
        return "%s / %s" % (f.get("ca_peak", "?"), f.get("ca_held", "?"))
    if key == "blocks":
        return str(max(f.get(st + "_blocks", 0) for st in STAGES))
    return str(f.get(key, "?"))


def main():
    args = sys.argv[1:]
    results_file, probes = None, []
    while args:
        a = args.pop(0)
        if a == "--results":
            results_file = args.pop(0)
        elif a == "--probe" and len(args) >= 6:
            setting, path, body, servers, kinds, xfail = args[:6]
            del args[:6]
            probes.append((setting, path, int(body), SERVERS[servers], kinds.split(","),
                           [] if xfail == "-" else xfail.split(",")))
        else:
            print(__doc__, file=sys.stderr)
            return 2
    if not probes:
        print(__doc__, file=sys.stderr)
        return 2
    tables, raw, problems = {}, [], []
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as d:
        make_pki(d)
        for setting, binary, body, servers, kinds, xfail in probes:
            for kind in kinds:
                for tls13 in servers:
                    server = Server(d, kind, tls13)
                    relay = Relay(server.port)
                    f, line = probe(binary, relay.port, os.path.join(d, kind + "-ca.pem"), body)
                    relay.stop()
                    server.stop()
                    case = "%s: %s, %s server" % (setting, kind, "TLS 1.2+1.3" if tls13
                                                  else "TLS 1.2")
                    raw.append("%s | %s | relay: connections=%d max_record_to_client=%d "
                               "max_record_to_server=%d | server: %s\n  %s" % (
                                   binary, case, relay.connections,
                                   relay.max_record["to_client"],
                                   relay.max_record["to_server"], server.sessions, line))
                    ok = (f.get("result") == 0 and f.get("status") == 200
                          and f.get("body") == body and f.get("req2") == 0
                          and f.get("req3") == 0)
                    expected = any(fnmatch.fnmatchcase(
                        "%s/%s" % (kind, "13" if tls13 else "12"), x) for x in xfail)
                    if ok and expected:
                        problems.append(case + ": expected to fail, passed: " + line)
                    elif not ok and not expected:
                        problems.append(case + ": " + line)
                    if f.get("end_held") != 0 or f.get("foreign_frees") or f.get("failed"):
                        problems.append(case + ": not everything freed: " + line)
                    if ok and f.get("cycles_held") != f.get("cycle1_held"):
                        problems.append(case + ": held memory grows with reconnections: "
                                        + line)
                    resumed = len(server.sessions) >= 2 and server.sessions[-1][1]
                    lib = re.sub(r"^[Mm]bed TLS ", "", str(f.get("lib", "?")))
                    row = [CERTS[kind], "1.2+1.3" if tls13 else "1.2",
                           f.get("proto", "?").replace("TLSv", "") if ok
                           else "fails: %s%s" % (f.get("mbedtls", "?"),
                                                 " (expected)" if expected else "")]
                    row += [cell(f, key) for _, key in COLUMNS]
                    row += ["%d / %d" % (relay.max_record["to_client"],
                                         relay.max_record["to_server"]),
                            "%d%s" % (relay.connections, ", resumed" if resumed else "")]
                    tables.setdefault((lib, setting, body), []).append(row)
    head = ["cert", "server", "TLS"] + [c[0] for c in COLUMNS] + [
        "largest record in / out", "TCP connections"]
    for (lib, setting, body), rows in tables.items():
        print("\n#### mbedTLS %s, %s (%d-byte response body)\n" % (lib, setting, body))
        print("| " + " | ".join(head) + " |")
        print("|" + "|".join("---" if i < 3 else "--:" for i in range(len(head))) + "|")
        for row in rows:
            print("| " + " | ".join(row) + " |")
    print("\nBytes of heap held by mbedTLS, counted from zero. After fwci_tls_free: what "
          "PSA keeps until mbedtls_psa_crypto_free (then 0 in every case, or a PROBLEM "
          "line). What stays held did not grow over 8 more reconnections (or a PROBLEM "
          "line). Records: the TLS record length field, server to client / client to "
          "server. %.1f s." % (time.monotonic() - started))
    if results_file:
        with open(results_file, "w") as out:
            out.write("\n".join(raw) + "\n")
        print("Raw probe lines: " + results_file)
    for p in problems:
        print("PROBLEM: " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
