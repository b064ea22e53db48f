#!/usr/bin/env python3
"""fwc's TLS transport against real OpenSSL servers (Python's ssl module).

Usage: test_tls.py PROBE [PROBE ...]   (one tls_probe binary per mbedTLS line)

A throwaway CA and server certificates are made with the openssl CLI in a
temporary folder (no key is ever committed). Each case starts a server on a
free loopback port, runs every probe against it, and checks the probe's one
line of output. Prints TAP ("ok N - name" / "not ok N - name").
"""
import os
import re
import socket
import ssl
import subprocess
import sys
import tempfile
import threading

OPENSSL = "openssl"


def run(*args, cwd):
    subprocess.run(args, cwd=cwd, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)


def make_pki(d):
    """CA, other CA, and server certs (EC P-256 and RSA-2048, wrong host,
    expired, untrusted, client-only) in folder d."""
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"]
    for ca in ("ca", "other-ca"):
        run(OPENSSL, "req", "-x509", *ec, "-nodes", "-keyout", f"{ca}.key",
            "-out", f"{ca}.pem", "-days", "3", "-subj", f"/CN=fwc test {ca}", cwd=d)
    with open(os.path.join(d, "san-ok.ext"), "w") as f:
        f.write("subjectAltName=DNS:localhost,IP:127.0.0.1\n"
                "basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n")
    # A leaf the CA issued for clients only: it verifies, but is no server's.
    with open(os.path.join(d, "client-only.ext"), "w") as f:
        f.write("subjectAltName=DNS:localhost,IP:127.0.0.1\n"
                "basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n")
    with open(os.path.join(d, "san-wrong.ext"), "w") as f:
        f.write("subjectAltName=DNS:other.example\n"
                "basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n")

    def leaf(name, key_args, ca, ext):
        run(OPENSSL, "req", *key_args, "-nodes", "-keyout", f"{name}.key",
            "-out", f"{name}.csr", "-subj", "/CN=localhost", cwd=d)
        run(OPENSSL, "x509", "-req", "-in", f"{name}.csr", "-CA", f"{ca}.pem",
            "-CAkey", f"{ca}.key", "-CAcreateserial", "-days", "2",
            "-extfile", ext, "-out", f"{name}.pem", cwd=d)

    run(OPENSSL, "x509", "-in", "ca.pem", "-outform", "DER", "-out", "ca.der", cwd=d)
    leaf("ec", ec, "ca", "san-ok.ext")
    leaf("rsa", ["-newkey", "rsa:2048"], "ca", "san-ok.ext")
    leaf("wronghost", ec, "ca", "san-wrong.ext")
    leaf("untrusted", ec, "other-ca", "san-ok.ext")
    leaf("clientonly", ec, "ca", "client-only.ext")
    expired_cert(d, ec)


def expired_cert(d, ec):
    """openssl 3.0's x509 cannot back-date; `openssl ca` can."""
    db = os.path.join(d, "cadb")
    os.makedirs(db)
    open(os.path.join(db, "index.txt"), "w").close()
    with open(os.path.join(db, "serial"), "w") as f:
        f.write("1000\n")
    with open(os.path.join(d, "ca.cnf"), "w") as f:
        f.write(f"""[ca]
default_ca = test
[test]
dir = {db}
database = {db}/index.txt
serial = {db}/serial
new_certs_dir = {db}
default_md = sha256
policy = any
copy_extensions = none
x509_extensions = leaf
[any]
commonName = supplied
[leaf]
subjectAltName = DNS:localhost,IP:127.0.0.1
basicConstraints = CA:FALSE
""")
    run(OPENSSL, "req", *ec, "-nodes", "-keyout", "expired.key", "-out", "expired.csr",
        "-subj", "/CN=localhost", cwd=d)
    run(OPENSSL, "ca", "-batch", "-config", "ca.cnf", "-cert", "ca.pem", "-keyfile", "ca.key",
        "-startdate", "20200101000000Z", "-enddate", "20200201000000Z",
        "-in", "expired.csr", "-out", "expired.pem", cwd=d)


class Server:
    """A loopback server in a thread. kind: tls, plain, silent, hangup.
    reply (tls only): ok, stall (headers, then silence), cut (half a body,
    then TCP close without close_notify), eof_clean / eof_unclean (a body
    delimited by the close, with or without close_notify)."""

    def __init__(self, kind, d=None, cert=None, tls12_only=False, reply="ok"):
        self.kind = kind
        self.reply = reply
        self.reused = []
        self.versions = []
        self.client_closes = []
        self.ctx = None
        if kind == "tls":
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(os.path.join(d, cert + ".pem"), os.path.join(d, cert + ".key"))
            ctx.minimum_version = ssl.TLSVersion.TLSv1_2
            ctx.maximum_version = (ssl.TLSVersion.TLSv1_2 if tls12_only
                                   else ssl.TLSVersion.TLSv1_3)
            self.ctx = ctx
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.held = []
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
        try:
            if self.kind == "silent":
                self.held.append(conn)  # accept, then never answer
                return
            if self.kind == "plain":
                conn.recv(4096)  # a ClientHello is a bad request to an HTTP server
                conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n"
                             b"Connection: close\r\n\r\n")
                return
            if self.kind == "hangup":
                conn.recv(100)  # part of the ClientHello, then gone
                conn.close()
                return
            if self.kind == "tls":
                # Ragged EOFs raise, so a close without close_notify shows.
                conn = self.ctx.wrap_socket(conn, server_side=True, suppress_ragged_eofs=False)
                self.reused.append(conn.session_reused)
                self.versions.append(conn.version())
            self.http_loop(conn)
        except (OSError, ssl.SSLError):
            pass
        finally:
            if self.kind != "silent":
                conn.close()

    def http_loop(self, conn):
        data = b""
        while True:
            while b"\r\n\r\n" not in data:
                try:
                    piece = conn.recv(4096)
                except ssl.SSLEOFError:
                    self.client_closes.append("unclean")
                    return
                if not piece:
                    self.client_closes.append("clean")
                    return
                data += piece
            _, data = data.split(b"\r\n\r\n", 1)
            if self.reply == "ok":
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
                continue
            if self.reply == "stall":
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nha")
                self.held.append(conn)
                threading.Event().wait(30)
                return
            head = (b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nha" if self.reply == "cut"
                    else b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil close")
            conn.sendall(head)
            if self.reply == "eof_clean":
                conn = conn.unwrap()  # sends close_notify
            return  # close() on an SSLSocket sends no close_notify

    def stop(self):
        self.sock.close()
        for c in self.held:
            c.close()


def probe(binary, port, ca, host="localhost"):
    out = subprocess.run([binary, host, str(port), ca], capture_output=True, text=True,
                         timeout=60)
    line = out.stdout.strip()
    m = re.match(r"result=(-?\d+) status=(\d+) proto=(\S+) cert=0x([0-9a-f]+)", line)
    if out.returncode != 0 or not m:
        return None, line + out.stderr
    return {"result": int(m.group(1)), "status": int(m.group(2)), "proto": m.group(3),
            "cert": int(m.group(4), 16)}, line


# Codes from include/fwc/error.h and include/fwc/tls.h.
OK, TIMEOUT, CONN_RESET, CONN_CLOSED, TLS_HANDSHAKE, TLS_CERT, TRUNCATED = 0, -2, -5, -6, -9, -10, -21
CERT_UNTRUSTED, CERT_EXPIRED, CERT_HOST, CERT_OTHER = 0x1, 0x2, 0x8, 0x10


def main():
    probes = sys.argv[1:]
    if not probes:
        print("usage: test_tls.py PROBE [PROBE ...]", file=sys.stderr)
        return 2
    results = []

    def check(name, ok, detail):
        results.append(ok)
        print(f"{'ok' if ok else 'not ok'} {len(results)} - {name}")
        if not ok:
            print(f"#   {detail}")

    with tempfile.TemporaryDirectory() as d:
        make_pki(d)
        ca = os.path.join(d, "ca.pem")
        for binary in probes:
            line = subprocess.run([binary, "--version-line"], capture_output=True,
                                  text=True).stdout.strip() or os.path.basename(binary)
            tls13_capable = " 3." in line
            tag = line
            # The handshake matrix: key type x protocol range.
            for cert in ("ec", "rsa"):
                for tls12_only in (True, False):
                    srv = Server("tls", d, cert, tls12_only)
                    r, out = probe(binary, srv.port, ca)
                    srv.stop()
                    want = "TLSv1.2" if tls12_only or not tls13_capable else "TLSv1.3"
                    name = f"{tag}: {cert} server, TLS {'1.2' if tls12_only else '1.2+1.3'}"
                    check(name + " handshake",
                          r is not None and r["result"] == OK and r["status"] == 200
                          and r["proto"] == want, out)
                    check(name + " session resumed on reconnect",
                          len(srv.reused) == 2 and srv.reused[1] is True,
                          f"server saw reuse={srv.reused} versions={srv.versions}")
                    check(name + " client sends close_notify",
                          srv.client_closes == ["clean", "clean"],
                          f"server saw closes={srv.client_closes}")
            # The CA given as DER instead of PEM.
            srv = Server("tls", d, "ec")
            r, out = probe(binary, srv.port, os.path.join(d, "ca.der"))
            srv.stop()
            check(f"{tag}: CA chain given as DER",
                  r is not None and r["result"] == OK and r["status"] == 200, out)
            # Closes and stalls after the handshake.
            after = [
                ("response stalls mid-body: read timeout", "stall",
                 lambda r: r["result"] == TIMEOUT),
                ("TCP close without close_notify mid-body", "cut",
                 lambda r: r["result"] == TRUNCATED),
                ("close-delimited body ended by close_notify", "eof_clean",
                 lambda r: r["result"] == OK and r["status"] == 200),
                ("close-delimited body ended without close_notify", "eof_unclean",
                 lambda r: r["result"] == TRUNCATED),
            ]
            for name, reply, want in after:
                srv = Server("tls", d, "ec", reply=reply)
                r, out = probe(binary, srv.port, ca)
                srv.stop()
                check(f"{tag}: {name}", r is not None and bool(want(r)), out)
            # Refusals, each with its named error.
            refusals = [
                ("untrusted CA", Server("tls", d, "untrusted"), "localhost",
                 lambda r: r["result"] == TLS_CERT and r["cert"] & CERT_UNTRUSTED),
                ("wrong host name", Server("tls", d, "wronghost"), "localhost",
                 lambda r: r["result"] == TLS_CERT and r["cert"] & CERT_HOST),
                ("expired certificate", Server("tls", d, "expired"), "localhost",
                 lambda r: r["result"] == TLS_CERT and r["cert"] & CERT_EXPIRED),
                ("certificate for clients only (extended key usage)",
                 Server("tls", d, "clientonly"), "localhost",
                 lambda r: r["result"] == TLS_CERT and r["cert"] == CERT_OTHER),
                ("plain HTTP on the TLS port", Server("plain"), "localhost",
                 lambda r: r["result"] == TLS_HANDSHAKE),
                ("server that never answers", Server("silent"), "localhost",
                 lambda r: r["result"] == TIMEOUT),
                ("server that closes mid-handshake", Server("hangup"), "localhost",
                 lambda r: r["result"] in (TLS_HANDSHAKE, CONN_CLOSED, CONN_RESET)),
            ]
            for name, srv, host, want in refusals:
                r, out = probe(binary, srv.port, ca, host)
                srv.stop()
                check(f"{tag}: refused: {name}", r is not None and bool(want(r)), out)

    failed = results.count(False)
    print(f"# {len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
