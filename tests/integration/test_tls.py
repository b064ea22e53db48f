#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""fwc's TLS transport against real OpenSSL servers (Python's ssl module).

Usage: test_tls.py PROBE [PROBE ...]   (one tls_probe binary per mbedTLS line)

A throwaway CA and server certificates are made with the openssl CLI in a
temporary folder (no key is ever committed). Each case starts a server on a
free loopback port, runs every probe against it, and checks the probe's one
line of output. Prints TAP ("ok N - name" / "not ok N - name").

Besides the handshake matrix and the refusals: servers reached by IPv4 and
IPv6 address (the certificate's iPAddress entries, no SNI, seen from the
server), CA bundles holding a certificate mbedTLS cannot use, the time floor
(the probe's clock faked: FWC_PROBE_WALL_TIME, tls.mk), and empty TLS
records (tests/server/hostile_server.py writes them itself).
"""
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "server"))
import hostile_server  # noqa: E402  (tests/server: the empty-records server)

OPENSSL = "openssl"
EC = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"]


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

    def leaf(name, key_args, ca, ext, subject="/CN=localhost"):
        run(OPENSSL, "req", *key_args, "-nodes", "-keyout", f"{name}.key",
            "-out", f"{name}.csr", "-subj", subject, cwd=d)
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
    shutil.copy(os.path.join(d, "ec.pem"), os.path.join(d, "good.pem"))  # hostile_server's name
    shutil.copy(os.path.join(d, "ec.key"), os.path.join(d, "good.key"))
    ip_certs(d, leaf)
    ca_bundles(d)
    time_certs(d)


# Certificates for servers reached by address: the entries each one carries.
IP_CERTS = {
    "ip-only": "IP:127.0.0.1,IP:::1",
    # DNS names only, two of them spelling the addresses: text is no address.
    "dns-only": "DNS:localhost,DNS:127.0.0.1,DNS:::1",
    "ip-both": "DNS:localhost,IP:127.0.0.1,IP:::1",
    "ip-wrong": "IP:127.0.0.2,IP:::2",
}


def ip_certs(d, leaf):
    for name, san in IP_CERTS.items():
        with open(os.path.join(d, name + ".ext"), "w") as f:
            f.write(f"subjectAltName={san}\nbasicConstraints=CA:FALSE\n"
                    "extendedKeyUsage=serverAuth\n")
        leaf(name, EC, "ca", name + ".ext")
    # No subjectAltName at all; the address only as the subject's CN.
    with open(os.path.join(d, "cn-only.ext"), "w") as f:
        f.write("basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n")
    leaf("cn-only", EC, "ca", "cn-only.ext", subject="/CN=127.0.0.1")


def ca_bundles(d):
    """A PEM bundle whose first CA is Ed25519 (which mbedTLS cannot parse)
    followed by the real CA, and one with the Ed25519 CA alone."""
    run(OPENSSL, "req", "-x509", "-newkey", "ed25519", "-nodes", "-keyout", "ed25519-ca.key",
        "-out", "ed25519-ca.pem", "-days", "3", "-subj", "/CN=fwc test Ed25519 CA", cwd=d)
    with open(os.path.join(d, "ed25519-ca.pem")) as f:
        ed = f.read()
    with open(os.path.join(d, "ca.pem")) as f:
        good = f.read()
    with open(os.path.join(d, "bundle-ed25519-first.pem"), "w") as f:
        f.write(ed + good)


# The time-floor certificates, all under old-ca (valid 2020 to 2100), so
# only the leaf's own dates decide.
TIME_CERTS = {
    "timeless": ("20200101000000Z", "21000101000000Z"),
    "expired-2020": ("20200101000000Z", "20200201000000Z"),
    "future-2090": ("20900101000000Z", "21000101000000Z"),
}


def time_certs(d):
    run(OPENSSL, "req", "-new", *EC, "-nodes", "-keyout", "old-ca.key", "-out", "old-ca.csr",
        "-subj", "/CN=fwc test CA 2020-2100", cwd=d)
    ca_sign(d, "old-ca", "old-ca", "20200101000000Z", "21000101000000Z",
            "basicConstraints = critical,CA:TRUE\nkeyUsage = critical,keyCertSign,cRLSign\n")
    for name, (start, end) in TIME_CERTS.items():
        run(OPENSSL, "req", "-new", *EC, "-nodes", "-keyout", name + ".key", "-out",
            name + ".csr", "-subj", "/CN=localhost", cwd=d)
        ca_sign(d, name, "old-ca", start, end,
                "subjectAltName = DNS:localhost\nbasicConstraints = CA:FALSE\n"
                "extendedKeyUsage = serverAuth\n")


def ca_sign(d, name, issuer, start, end, extensions):
    """name.csr signed by issuer with the validity given (openssl 3.0's
    x509 cannot back-date; `openssl ca` can). issuer == name: self-signed."""
    db = os.path.join(d, "db-" + name)
    os.makedirs(db)
    open(os.path.join(db, "index.txt"), "w").close()
    with open(os.path.join(db, "serial"), "w") as f:
        f.write("2000\n")
    with open(os.path.join(db, "ca.cnf"), "w") as f:
        f.write(f"""[ca]
default_ca = test
[test]
database = {db}/index.txt
serial = {db}/serial
new_certs_dir = {db}
default_md = sha256
policy = any
copy_extensions = none
x509_extensions = ext
[any]
commonName = supplied
[ext]
{extensions}""")
    own = ("-selfsign", "-keyfile", name + ".key") if issuer == name else \
        ("-cert", issuer + ".pem", "-keyfile", issuer + ".key")
    run(OPENSSL, "ca", "-batch", "-notext", "-config", os.path.join(db, "ca.cnf"), *own,
        "-startdate", start, "-enddate", end, "-in", name + ".csr", "-out", name + ".pem", cwd=d)


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
    delimited by the close, with or without close_notify). address: where
    it listens (127.0.0.1 or ::1). sni: the server name each handshake
    carried (None: no SNI)."""

    def __init__(self, kind, d=None, cert=None, tls12_only=False, reply="ok",
                 address="127.0.0.1"):
        self.kind = kind
        self.reply = reply
        self.reused = []
        self.versions = []
        self.client_closes = []
        self.sni = []
        self.ctx = None
        if kind == "tls":
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(os.path.join(d, cert + ".pem"), os.path.join(d, cert + ".key"))
            ctx.minimum_version = ssl.TLSVersion.TLSv1_2
            ctx.maximum_version = (ssl.TLSVersion.TLSv1_2 if tls12_only
                                   else ssl.TLSVersion.TLSv1_3)
            ctx.sni_callback = lambda sock, name, context: self.sni.append(name)
            self.ctx = ctx
        self.sock = socket.socket(socket.AF_INET6 if ":" in address else socket.AF_INET)
        self.sock.bind((address, 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.held = []
        self.stopped = threading.Event()
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
                self.stopped.wait(60)  # silent until the test is done with it
                return
            head = (b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nha" if self.reply == "cut"
                    else b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil close")
            conn.sendall(head)
            if self.reply == "eof_clean":
                conn = conn.unwrap()  # sends close_notify
            return  # close() on an SSLSocket sends no close_notify

    def stop(self):
        self.stopped.set()
        self.sock.close()
        for c in self.held:
            c.close()


def probe(binary, port, ca, host="localhost", clock=None, deadline_ms=None):
    """Run the probe; clock: the wall time it sees (seconds since 1970);
    deadline_ms: the bound on each of its exchanges."""
    env = dict(os.environ)
    if clock is not None:
        env["FWC_PROBE_WALL_TIME"] = str(clock)
    if deadline_ms is not None:
        env["FWC_PROBE_DEADLINE_MS"] = str(deadline_ms)
    out = subprocess.run([binary, host, str(port), ca], capture_output=True, text=True,
                         timeout=60, env=env)
    line = out.stdout.strip()
    m = re.match(r"result=(-?\d+) status=(\d+) proto=(\S+) cert=0x([0-9a-f]+)", line)
    if out.returncode != 0 or not m:
        return None, line + out.stderr
    return {"result": int(m.group(1)), "status": int(m.group(2)), "proto": m.group(3),
            "cert": int(m.group(4), 16), "log": out.stderr}, line


# Codes from include/fwc/error.h and include/fwc/internal/tls.h.
OK, INVALID_ARG, TIMEOUT, CONN_RESET, CONN_CLOSED = 0, -1, -2, -5, -6
TLS_HANDSHAKE, TLS_CERT, TLS, TRUNCATED = -9, -10, -11, -21
CERT_UNTRUSTED, CERT_EXPIRED, CERT_NOT_YET_VALID, CERT_HOST, CERT_OTHER = 0x1, 0x2, 0x4, 0x8, 0x10
YEAR_S = 365 * 86400
YEAR_2200 = 7258118400


def by_address(binary, tag, d, ca, check):
    """Servers reached by IPv4 and IPv6 address: the certificate must name
    the address in an iPAddress entry (bytes); a DNS entry that spells it,
    or the subject's CN, does not count, nor does an address entry for a
    name. No SNI for an address (RFC 6066, section 3), seen by the server."""
    cases = [
        ("127.0.0.1", "ip-only", True), ("127.0.0.1", "ip-both", True),
        ("127.0.0.1", "dns-only", False), ("127.0.0.1", "ip-wrong", False),
        ("127.0.0.1", "cn-only", False),
        ("::1", "ip-only", True), ("::1", "ip-both", True),
        ("::1", "dns-only", False), ("::1", "ip-wrong", False),
        ("localhost", "ip-only", False), ("localhost", "ip-both", True),
    ]
    for host, cert, accepted in cases:
        srv = Server("tls", d, cert, address="::1" if host == "::1" else "127.0.0.1")
        r, out = probe(binary, srv.port, ca, host)
        srv.stop()
        literal = host != "localhost"
        want_sni = None if literal else host
        sni_ok = bool(srv.sni) and all(n == want_sni for n in srv.sni)
        what = "accepted" if accepted else "refused (host mismatch)"
        name = f"{tag}: {host} with a certificate {IP_CERTS.get(cert, 'with only a CN')}: {what}"
        if accepted:
            ok = r is not None and r["result"] == OK and r["status"] == 200
        else:
            ok = r is not None and r["result"] == TLS_CERT and r["cert"] == CERT_HOST
        check(name, ok, out)
        check(f"{name}, SNI {'absent' if literal else host}", sni_ok,
              f"server saw SNI {srv.sni}")
    # What the resolver reads as 127.0.0.1 but is spelled otherwise: neither
    # a name to send and match as text, nor an address to match as bytes.
    srv = Server("tls", d, "dns-only")
    r, out = probe(binary, srv.port, ca, "127.1")
    srv.stop()
    check(f"{tag}: 127.1 (an address in another spelling): refused (invalid argument)",
          r is not None and r["result"] == INVALID_ARG and not srv.sni, out)


def ca_bundle_cases(binary, tag, d, ca, check):
    """A bundle with a CA mbedTLS cannot use (Ed25519): the others load and
    the count skipped is logged; a bundle with none usable is refused."""
    srv = Server("tls", d, "ec")
    r, out = probe(binary, srv.port, os.path.join(d, "bundle-ed25519-first.pem"))
    srv.stop()
    check(f"{tag}: CA bundle with an Ed25519 CA first: the other CA still trusted",
          r is not None and r["result"] == OK and r["status"] == 200, out)
    check(f"{tag}: CA bundle with an Ed25519 CA first: one certificate skipped, logged",
          r is not None and re.search(r"CA certificates skipped[^\n]*: 1\b", r["log"]),
          r["log"] if r else out)
    srv = Server("tls", d, "ec")
    r, out = probe(binary, srv.port, os.path.join(d, "ed25519-ca.pem"))
    srv.stop()
    check(f"{tag}: CA bundle of an Ed25519 CA alone: refused (invalid argument)",
          r is not None and r["result"] == INVALID_ARG, out)


def time_floor(binary, tag, d, check):
    """The clock the probe sees against certificates under a CA valid
    2020-2100: unknown (0), a year before the build (as good as unknown),
    the build date, and 2200."""
    floor = int(subprocess.run([binary, "--time-floor"], capture_output=True, text=True,
                               check=True).stdout)
    seen = subprocess.run([binary, "--now"], capture_output=True, text=True,
                          env=dict(os.environ, FWC_PROBE_WALL_TIME="12345")).stdout.strip()
    check(f"{tag}: time floor: the probe's clock can be set", seen == "12345",
          f"the probe says now is {seen!r}: not linked with -Wl,--wrap=time (tls.mk)")
    if seen != "12345":
        return
    old_ca = os.path.join(d, "old-ca.pem")
    cases = [
        ("clock unknown (0)", 0, "timeless", OK, 0),
        ("clock unknown (0)", 0, "expired-2020", TLS_CERT, CERT_EXPIRED),
        ("clock unknown (0)", 0, "future-2090", OK, 0),
        ("clock a year before the build", floor - YEAR_S, "timeless", OK, 0),
        ("clock a year before the build", floor - YEAR_S, "expired-2020", TLS_CERT,
         CERT_EXPIRED),
        ("clock a year before the build", floor - YEAR_S, "future-2090", OK, 0),
        ("clock at the build date", floor, "timeless", OK, 0),
        ("clock at the build date", floor, "expired-2020", TLS_CERT, CERT_EXPIRED),
        ("clock at the build date", floor, "future-2090", TLS_CERT, CERT_NOT_YET_VALID),
        ("clock in 2200", YEAR_2200, "timeless", TLS_CERT, CERT_EXPIRED),
    ]
    for what, clock, cert, result, problems in cases:
        srv = Server("tls", d, cert)
        r, out = probe(binary, srv.port, old_ca, clock=clock)
        srv.stop()
        start, end = TIME_CERTS[cert]
        if result == OK:
            verdict, ok = "accepted", r is not None and r["result"] == OK and r["status"] == 200
        else:
            verdict = f"refused, problems 0x{problems:x}"
            ok = r is not None and r["result"] == result and r["cert"] == problems
        check(f"{tag}: time floor: {what}, certificate valid {start[:8]}-{end[:8]}: {verdict}",
              ok, out)


def empty_records(binary, tag, d, ca, check):
    """Two empty application-data records between the halves of a
    Content-Length body (TLS 1.2, records written by hostile_server): fwc
    reads on; they are not a close. (The hostile catalogue has the empty
    records that end at a bare TCP FIN, and a flood of them.)"""
    srv = hostile_server.HostileServer("empty_records_mid_body", d)
    r, out = probe(binary, srv.port, ca)
    srv.stop()
    check(f"{tag}: two empty TLS records mid-body: read past, the body completes",
          r is not None and r["result"] == OK and r["status"] == 200, out + repr(srv.errors))


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
                r, out = probe(binary, srv.port, ca,
                               deadline_ms=3000 if reply == "stall" else None)
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
            by_address(binary, tag, d, ca, check)
            ca_bundle_cases(binary, tag, d, ca, check)
            time_floor(binary, tag, d, check)
            empty_records(binary, tag, d, ca, check)

    failed = results.count(False)
    print(f"# {len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
