#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Hostile servers for fwc's tests: HTTP over TLS that breaks the rules on
purpose, byte by byte, and TLS that misbehaves where the FotoWeb emulator's
http.server cannot (alerts, renegotiation, odd certificates, stalls).

Python standard library only; TLS is Python's ssl module over memory BIOs,
so the server can also make OpenSSL send an alert mid-stream. One server
serves one mode on a free loopback port, to every connection, in a thread:

    srv = HostileServer("endless_headers", pki)     # pki = make_pki(folder)
    ... run the client against https://localhost:<srv.port> ...
    srv.stop()

or from the command line (for poking at a client by hand):

    hostile_server.py --pki DIR --mode endless_headers [--port N]

Every mode reads the request (head and Content-Length body) before it
answers, so the client has sent everything and waits on the answer. The
table MODES below says what each one does; `--list` prints it. Modes that
could write forever (endless headers, slowloris) stop when the client hangs
up, or after STREAM_LIMIT_S at the latest.

Certificates (make_pki, with the openssl CLI, nothing kept): one throwaway
CA (hostile-ca.pem, what the client trusts) signs a good leaf for
localhost, an expired one and one for another host name; a self-signed
leaf; and a chain of 20 certificates (chain20-root.pem to trust, the server
sending its leaf, 18 intermediates and the root).
"""
import argparse
import os
import socket
import ssl
import struct
import subprocess
import sys
import tempfile
import threading
import time

import tls12_records

STREAM_LIMIT_S = 30      # the longest any mode keeps writing
CHAIN_LENGTH = 20        # certificates in the long chain, root included
TOKEN_JSON = b'{"access_token": "hostile-but-well-formed", "token_type": "bearer", ' \
             b'"expires_in": 3600}'


# ---- certificates ---------------------------------------------------------------------

def _openssl(*args, cwd):
    subprocess.run(("openssl",) + args, cwd=cwd, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)


EC = ("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes")
LEAF_EXT = ("subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n"
            "extendedKeyUsage=serverAuth\n")
CA_EXT = "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n"


def make_pki(d):
    """Make the certificates in folder d (unless there already); return d."""
    if os.path.exists(os.path.join(d, "done")):
        return d
    os.makedirs(d, exist_ok=True)
    for name, text in (("leaf.ext", LEAF_EXT), ("ca.ext", CA_EXT),
                       ("other.ext", LEAF_EXT.replace("DNS:localhost,IP:127.0.0.1",
                                                      "DNS:other.example"))):
        with open(os.path.join(d, name), "w") as f:
            f.write(text)

    def sign(name, issuer, subject, ext, key=None):
        keyargs = ("-key", key + ".key") if key else EC + ("-keyout", name + ".key")
        _openssl("req", "-new", *keyargs, "-out", name + ".csr", "-subj", subject, cwd=d)
        _openssl("x509", "-req", "-in", name + ".csr", "-CA", issuer + ".pem", "-CAkey",
                 issuer + ".key", "-CAcreateserial", "-days", "2", "-extfile", ext,
                 "-out", name + ".pem", cwd=d)

    _openssl("req", "-x509", *EC, "-keyout", "hostile-ca.key", "-out", "hostile-ca.pem",
             "-days", "3", "-subj", "/CN=fwc hostile test CA", "-addext",
             "basicConstraints=critical,CA:TRUE", cwd=d)
    sign("good", "hostile-ca", "/CN=localhost", "leaf.ext")
    sign("wronghost", "hostile-ca", "/CN=other.example", "other.ext")
    _openssl("req", "-x509", *EC, "-keyout", "selfsigned.key", "-out", "selfsigned.pem",
             "-days", "2", "-subj", "/CN=localhost", "-addext",
             "subjectAltName=DNS:localhost,IP:127.0.0.1", cwd=d)
    _expired(d)
    # The long chain: one key for all the intermediates keeps it quick.
    _openssl("req", "-x509", *EC, "-keyout", "chain20-root.key", "-out", "chain20-root.pem",
             "-days", "3", "-subj", "/CN=fwc chain root", "-addext",
             "basicConstraints=critical,CA:TRUE", cwd=d)
    _openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
             "-out", "chain-int.key", cwd=d)
    issuer = "chain20-root"
    names = []
    for i in range(1, CHAIN_LENGTH - 1):
        name = "chain-int%02d" % i
        sign(name, issuer, "/CN=fwc chain intermediate %d" % i, "ca.ext", key="chain-int")
        os.link(os.path.join(d, "chain-int.key"), os.path.join(d, name + ".key"))
        names.append(name)
        issuer = name
    sign("chain20-leaf", issuer, "/CN=localhost", "leaf.ext")
    with open(os.path.join(d, "chain20.pem"), "w") as out:
        for name in ["chain20-leaf"] + names[::-1] + ["chain20-root"]:
            with open(os.path.join(d, name + ".pem")) as f:
                out.write(f.read())
    os.replace(os.path.join(d, "chain20-leaf.key"), os.path.join(d, "chain20.key"))
    open(os.path.join(d, "done"), "w").close()
    return d


def _expired(d):
    """openssl 3.0's x509 cannot back-date a certificate; `openssl ca` can."""
    db = os.path.join(d, "cadb")
    os.makedirs(db, exist_ok=True)
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
    _openssl("req", *EC, "-keyout", "expired.key", "-out", "expired.csr", "-subj",
             "/CN=localhost", cwd=d)
    _openssl("ca", "-batch", "-config", "ca.cnf", "-cert", "hostile-ca.pem", "-keyfile",
             "hostile-ca.key", "-startdate", "20200101000000Z", "-enddate", "20200201000000Z",
             "-in", "expired.csr", "-out", "expired.pem", cwd=d)


# ---- TLS over memory BIOs --------------------------------------------------------------

class TlsConn:
    """A server-side TLS connection driven by hand, so that the mode can
    also feed OpenSSL a broken record and pass on the alert it answers."""

    def __init__(self, sock, ctx):
        self.sock = sock
        self.incoming = ssl.MemoryBIO()
        self.outgoing = ssl.MemoryBIO()
        self.tls = ctx.wrap_bio(self.incoming, self.outgoing, server_side=True)

    def _flush(self):
        data = self.outgoing.read()
        if data:
            self.sock.sendall(data)

    def _fill(self):
        data = self.sock.recv(65536)
        if not data:
            self.incoming.write_eof()
        else:
            self.incoming.write(data)

    def handshake(self):
        while True:
            try:
                self.tls.do_handshake()
                self._flush()
                return
            except ssl.SSLWantReadError:
                self._flush()
                self._fill()

    def recv(self):
        while True:
            try:
                return self.tls.read(65536)
            except ssl.SSLWantReadError:
                self._flush()
                self._fill()
            except ssl.SSLZeroReturnError:
                return b""

    def send(self, data):
        self.tls.write(data)
        self._flush()

    def close_notify(self):
        try:
            self.tls.unwrap()
        except ssl.SSLError:
            pass
        self._flush()

    def provoke_alert(self):
        """Hand OpenSSL an application-data record that cannot decrypt, as
        if the client had sent it: OpenSSL answers with a fatal alert
        (bad_record_mac), encrypted under the session keys, and that alert
        is what the client receives, in the middle of the body."""
        self.incoming.write(b"\x17\x03\x03\x00\x40" + bytes(64))
        try:
            self.tls.read(1)
        except ssl.SSLError:
            pass
        self._flush()


class RawTlsConn(TlsConn):
    """TlsConn for a TLS 1.2 ChaCha20-Poly1305 handshake whose master
    secret OpenSSL logs (tls_context, set-up chacha12): after the handshake
    the mode seals its own records (tls12_records), such as the empty ones
    OpenSSL never writes. What the client sends is still read through
    OpenSSL. Each connection keeps the first bytes each way, for the hello
    randoms."""

    def __init__(self, sock, ctx):
        super().__init__(sock, ctx)
        self.keylog = ctx.keylog_filename
        self.first_in = b""
        self.first_out = b""

    def _flush(self):
        data = self.outgoing.read()
        if data:
            if len(self.first_out) < 43:
                self.first_out += data[:43]
            self.sock.sendall(data)

    def _fill(self):
        data = self.sock.recv(65536)
        if not data:
            self.incoming.write_eof()
            return
        if len(self.first_in) < 43:
            self.first_in += data[:43]
        self.incoming.write(data)

    def writer(self):
        client = tls12_records.hello_random(self.first_in)
        server = tls12_records.hello_random(self.first_out)
        master = tls12_records.master_secret(self.keylog, client) if client else None
        if master is None or server is None:
            raise ValueError("no master secret logged for this connection")
        return tls12_records.ServerWriter(master, client, server)


class PlainConn:
    """The same interface without TLS: for the cleartext-on-TLS-port mode."""

    def __init__(self, sock):
        self.sock = sock

    def handshake(self):
        pass

    def recv(self):
        return self.sock.recv(65536)

    def send(self, data):
        self.sock.sendall(data)

    def close_notify(self):
        pass


def read_request(conn):
    """Read one request: the head, then Content-Length bytes of body."""
    data = b""
    while b"\r\n\r\n" not in data:
        piece = conn.recv()
        if not piece:
            return None
        data += piece
        if len(data) > 1 << 20:
            return None
    head, body = data.split(b"\r\n\r\n", 1)
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip() or b"0")
    while len(body) < length:
        piece = conn.recv()
        if not piece:
            break
        body += piece
    return head


def stream(conn, first, piece, pause=0.0):
    """Write first, then piece again and again until the client hangs up
    (or STREAM_LIMIT_S): the endless modes."""
    conn.send(first)
    end = time.monotonic() + STREAM_LIMIT_S
    while time.monotonic() < end:
        conn.send(piece)
        if pause:
            time.sleep(pause)


def tcp_fin(conn):
    """Close without TLS close_notify: a bare TCP FIN."""
    conn.sock.shutdown(socket.SHUT_RDWR)


def tcp_reset(conn):
    conn.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    conn.sock.close()


def answer(head, body=TOKEN_JSON):
    """A response: head (status line and headers, CRLF-separated, without
    the blank line), then the body as it is."""
    return head + b"\r\n\r\n" + body


def ok_json(extra=b""):
    return answer(b"HTTP/1.1 200 OK\r\nContent-Type: application/json" + extra)


def slowloris(conn):
    """A whole, valid answer, one byte a second."""
    data = answer(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                  b"Content-Length: %d" % len(TOKEN_JSON))
    end = time.monotonic() + STREAM_LIMIT_S
    for i in range(len(data)):
        if time.monotonic() > end:
            return
        conn.send(data[i:i + 1])
        time.sleep(1)


def stall_mid_body(conn):
    conn.send(answer(b"HTTP/1.1 200 OK\r\nContent-Length: %d" % len(TOKEN_JSON),
                     TOKEN_JSON[:20]))
    time.sleep(STREAM_LIMIT_S)


def alert_mid_body(conn):
    conn.send(answer(b"HTTP/1.1 200 OK\r\nContent-Length: %d" % len(TOKEN_JSON),
                     TOKEN_JSON[:20]))
    time.sleep(0.2)  # the client is reading the body when the alert comes
    conn.provoke_alert()


def garbage_record_mid_body(conn):
    conn.send(answer(b"HTTP/1.1 200 OK\r\nContent-Length: %d" % len(TOKEN_JSON),
                     TOKEN_JSON[:20]))
    time.sleep(0.2)
    conn.sock.sendall(b"Lets print some clear text\r\n")  # not a TLS record


def status_line_then_close(conn):
    conn.send(b"HTTP/1.1 200 OK\r\n")
    conn.close_notify()


def truncated_chunked(conn):
    conn.send(answer(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked",
                     b"%x\r\n%s" % (len(TOKEN_JSON), TOKEN_JSON[:20])))
    conn.close_notify()


def cut_close_delimited(conn):
    conn.send(answer(b"HTTP/1.1 200 OK\r\nConnection: close", TOKEN_JSON[:20]))
    tcp_fin(conn)


def empty_records(conn, head, count, then):
    """head in one record, then count empty application-data records."""
    w = conn.writer()
    conn.sock.sendall(w.record(tls12_records.APPLICATION_DATA, head) + b"".join(
        w.record(tls12_records.APPLICATION_DATA, b"") for _ in range(count)))
    then(conn, w)
    return w


def empty_records_mid_body(conn):
    """Every request on the connection: a Content-Length body whose halves
    two empty records separate. A well-formed answer, for a client that
    must read on past the empty records."""
    w = conn.writer()
    while True:
        half = len(TOKEN_JSON) // 2
        conn.sock.sendall(b"".join(w.record(tls12_records.APPLICATION_DATA, piece) for piece in (
            answer(b"HTTP/1.1 200 OK\r\nContent-Length: %d" % len(TOKEN_JSON), TOKEN_JSON[:half]),
            b"", b"", TOKEN_JSON[half:])))
        if read_request(conn) is None:
            return


def cleartext(conn):
    """Answers the ClientHello in plain HTTP and keeps the connection open:
    the client must notice by itself that this is not TLS."""
    conn.send(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
    time.sleep(STREAM_LIMIT_S)


# Mode name -> (what it does, its TLS set-up, what it does after reading the
# request: bytes to send, or a function of the connection). TLS set-ups:
# good (the trusted leaf), selfsigned, expired, wronghost, chain20, tls10
# (TLS 1.0 only), plain (no TLS at all), silent (accepts the TCP connection,
# never answers the handshake), s_server (RenegotiatingServer below: Python's
# ssl cannot start a renegotiation, OpenSSL's own server can), chacha12 (the
# good leaf, TLS 1.2 with ChaCha20-Poly1305 only and its master secret logged:
# the mode writes its own records, RawTlsConn).
MODES = {
    # -- status line and headers
    "endless_headers": ("200, then header lines for ever", "good",
                        lambda c: stream(c, b"HTTP/1.1 200 OK\r\n",
                                         b"X-Hostile: " + b"a" * 40 + b"\r\n")),
    "endless_header_line": ("200, then one header line that never ends", "good",
                            lambda c: stream(c, b"HTTP/1.1 200 OK\r\nX-Hostile: ", b"a" * 1024)),
    "interim_flood": ("100 Continue for ever", "good",
                      lambda c: stream(c, b"", b"HTTP/1.1 100 Continue\r\n\r\n")),
    "header_without_colon": ("a header line with no colon", "good",
                             ok_json(b"\r\nThis line has no colon\r\nContent-Length: %d"
                                     % len(TOKEN_JSON))),
    "nul_in_header": ("a NUL byte in a header value", "good",
                      ok_json(b"\r\nX-Hostile: a\x00b\r\nContent-Length: %d" % len(TOKEN_JSON))),
    "obs_fold": ("a folded (obs-fold) header line", "good",
                 ok_json(b"\r\nX-Hostile: a\r\n folded\r\nContent-Length: %d"
                         % len(TOKEN_JSON))),
    "huge_location": ("302 with a 900-byte Location", "good",
                      answer(b"HTTP/1.1 302 Found\r\nLocation: https://localhost/" + b"a" * 900
                             + b"\r\nContent-Length: 0", b"")),
    "obscene_status": ("status code 999", "good",
                       answer(b"HTTP/1.1 999 Hostile\r\nContent-Length: 0", b"")),
    "http09": ("an HTTP/0.9 answer: the body alone, no status line", "good",
               lambda c: (c.send(TOKEN_JSON), c.close_notify())),
    "switching_protocols": ("101 Switching Protocols, never asked for", "good",
                            answer(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n"
                                   b"Connection: Upgrade", b"")),
    "status_line_then_close": ("the status line, then close_notify", "good",
                               status_line_then_close),
    "no_answer_close": ("reads the request, closes (close_notify) without a byte", "good",
                        lambda c: c.close_notify()),
    "reset": ("reads the request, resets the connection (TCP RST)", "good", tcp_reset),
    "no_content_with_body": ("204 with a Content-Length and a body", "good",
                             answer(b"HTTP/1.1 204 No Content\r\nContent-Length: %d"
                                    % len(TOKEN_JSON))),
    # -- framing
    "content_length_1gb": ("Content-Length: 1073741824", "good",
                           lambda c: stream(c, answer(b"HTTP/1.1 200 OK\r\n"
                                                      b"Content-Length: 1073741824", b""),
                                            b"a" * 4096)),
    "content_length_negative": ("Content-Length: -1", "good",
                                ok_json(b"\r\nContent-Length: -1")),
    "content_length_twice": ("two different Content-Length headers", "good",
                             ok_json(b"\r\nContent-Length: %d\r\nContent-Length: %d"
                                     % (len(TOKEN_JSON), len(TOKEN_JSON) + 1))),
    "content_length_and_chunked": ("Content-Length and Transfer-Encoding: chunked", "good",
                                   answer(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n"
                                          b"Transfer-Encoding: chunked" % len(TOKEN_JSON),
                                          b"%x\r\n%s\r\n0\r\n\r\n"
                                          % (len(TOKEN_JSON), TOKEN_JSON))),
    "unknown_coding": ("Transfer-Encoding: gzip, chunked", "good",
                       answer(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked",
                              b"0\r\n\r\n")),
    "chunked_http10": ("HTTP/1.0 with Transfer-Encoding: chunked", "good",
                       answer(b"HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked",
                              b"%x\r\n%s\r\n0\r\n\r\n" % (len(TOKEN_JSON), TOKEN_JSON))),
    "chunk_size_overflow": ("chunk size 10000000000000000 (2^64, hex)", "good",
                            answer(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked",
                                   b"10000000000000000\r\n" + TOKEN_JSON)),
    "chunk_extension_flood": ("a chunk-size line with 4 KiB of extensions", "good",
                              answer(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked",
                                     b"%x" % len(TOKEN_JSON) + b";ext=val" * 512 + b"\r\n"
                                     + TOKEN_JSON + b"\r\n0\r\n\r\n")),
    "chunk_without_crlf": ("chunk data not followed by CRLF", "good",
                           answer(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked",
                                  b"%x\r\n%sXX0\r\n\r\n" % (len(TOKEN_JSON), TOKEN_JSON))),
    "truncated_chunked": ("chunked, close_notify inside a chunk", "good", truncated_chunked),
    "trailer_flood": ("chunked, then trailer lines for ever", "good",
                      lambda c: stream(c, answer(b"HTTP/1.1 200 OK\r\n"
                                                 b"Transfer-Encoding: chunked",
                                                 b"%x\r\n%s\r\n0\r\n"
                                                 % (len(TOKEN_JSON), TOKEN_JSON)),
                                       b"X-Trailer: hostile\r\n")),
    "cut_close_delimited": ("close-delimited body cut by a TCP FIN (no close_notify)",
                            "good", cut_close_delimited),
    # -- time
    "slowloris": ("a valid answer, one byte a second", "good", slowloris),
    "stall_mid_body": ("headers and part of the body, then silence", "good", stall_mid_body),
    # -- TLS
    "alert_mid_body": ("part of the body, then a fatal TLS alert (bad_record_mac)", "good",
                       alert_mid_body),
    "garbage_record_mid_body": ("part of the body, then cleartext bytes on the TLS stream",
                                "good", garbage_record_mid_body),
    "cleartext": ("no TLS: answers the ClientHello with plain HTTP 400", "plain", cleartext),
    "empty_records_then_fin": ("close-delimited body, two empty TLS records, then a TCP FIN "
                               "(no close_notify)", "chacha12",
                               lambda c: empty_records(c, answer(b"HTTP/1.1 200 OK\r\n"
                                                                 b"Connection: close",
                                                                 TOKEN_JSON[:20]), 2,
                                                       lambda c, w: tcp_fin(c))),
    "empty_records_flood": ("part of a close-delimited body, then four empty TLS records",
                            "chacha12",
                            lambda c: empty_records(c, answer(b"HTTP/1.1 200 OK\r\n"
                                                              b"Connection: close",
                                                              TOKEN_JSON[:20]), 4,
                                                    lambda c, w: time.sleep(STREAM_LIMIT_S))),
    "empty_records_mid_body": ("Content-Length body, two empty TLS records between its halves "
                               "(a good answer)", "chacha12", empty_records_mid_body),
    "renegotiate": ("TLS 1.2, part of the body, then a HelloRequest (openssl s_server 'r')",
                    "s_server", None),
    "silent": ("accepts the TCP connection, never answers the handshake", "silent", None),
    "tls10": ("TLS 1.0 only", "tls10", ok_json(b"\r\nContent-Length: %d" % len(TOKEN_JSON))),
    "selfsigned": ("a self-signed certificate for localhost", "selfsigned",
                   ok_json(b"\r\nContent-Length: %d" % len(TOKEN_JSON))),
    "expired": ("a certificate that expired in 2020", "expired",
                ok_json(b"\r\nContent-Length: %d" % len(TOKEN_JSON))),
    "wronghost": ("a certificate for other.example", "wronghost",
                  ok_json(b"\r\nContent-Length: %d" % len(TOKEN_JSON))),
    "chain20": ("a chain of 20 certificates (leaf, 18 intermediates, root)", "chain20",
                ok_json(b"\r\nContent-Length: %d" % len(TOKEN_JSON))),
}

# Which CA a client must trust for each TLS set-up (in the PKI folder).
TRUST = {"chain20": "chain20-root.pem"}


def trust_file(pki, mode):
    setup = MODES[mode][1]
    return os.path.join(pki, TRUST.get(setup, "hostile-ca.pem"))


def tls_context(pki, setup):
    cert = {"good": "good", "s_server": "good", "selfsigned": "selfsigned", "expired": "expired",
            "wronghost": "wronghost", "chain20": "chain20", "tls10": "good",
            "chacha12": "good"}[setup]
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(os.path.join(pki, cert + ".pem"), os.path.join(pki, cert + ".key"))
    if setup == "tls10":
        ctx.minimum_version = ssl.TLSVersion.TLSv1
        ctx.maximum_version = ssl.TLSVersion.TLSv1
        ctx.set_ciphers("DEFAULT:@SECLEVEL=0")  # OpenSSL 3 refuses TLS 1.0 otherwise
    elif setup == "chacha12":
        ctx.minimum_version = ctx.maximum_version = ssl.TLSVersion.TLSv1_2
        ctx.set_ciphers(tls12_records.CIPHER)
        ctx.keylog_filename = os.path.join(pki, "keylog.txt")
    else:
        ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    return ctx


class HostileServer:
    """One mode on a free loopback port, each connection in a thread.
    connections counts the TCP connections accepted; requests those that
    sent a whole request."""

    def __init__(self, mode, pki):
        self.mode = mode
        _, self.setup, self.action = MODES[mode]
        self.ctx = None if self.setup in ("plain", "silent") else tls_context(pki, self.setup)
        self.connections = 0
        self.requests = 0
        self.errors = []
        self.held = []
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            try:
                sock, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self.handle, args=(sock,), daemon=True).start()

    def handle(self, sock):
        sock.settimeout(STREAM_LIMIT_S)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if self.setup == "silent":
            self.held.append(sock)
            return
        conn = (PlainConn(sock) if self.ctx is None else
                RawTlsConn(sock, self.ctx) if self.setup == "chacha12" else TlsConn(sock, self.ctx))
        try:
            conn.handshake()
            # Without TLS the request is a ClientHello: answer its first bytes.
            if (conn.recv() if self.setup == "plain" else read_request(conn)) is None:
                return
            self.requests += 1
            if callable(self.action):
                self.action(conn)
            else:
                conn.send(self.action)
                conn.close_notify()
        except (OSError, ssl.SSLError, ValueError) as e:
            self.errors.append(repr(e))  # the client hanging up is expected
        finally:
            try:
                sock.close()
            except OSError:
                pass

    def stop(self):
        self.sock.close()
        for s in self.held:
            s.close()


class RenegotiatingServer:
    """openssl s_server, TLS 1.2 only, driven through its stdin: once the
    request is in, it sends the head and part of the body, then its 'r'
    command makes it send a HelloRequest (a server-initiated renegotiation).
    A client that refuses answers with a no_renegotiation warning, which
    OpenSSL's server turns into a fatal handshake_failure alert."""

    def __init__(self, mode, pki):
        self.mode = mode
        self.connections = self.requests = 0
        self.errors = []
        self.output = []
        self.proc = subprocess.Popen(
            ["openssl", "s_server", "-accept", "127.0.0.1:0", "-tls1_2", "-naccept", "1",
             "-cert", os.path.join(pki, "good.pem"), "-key", os.path.join(pki, "good.key")],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.port = None
        end = time.monotonic() + 10
        while self.port is None and time.monotonic() < end:
            line = self.proc.stdout.readline().decode(errors="replace")
            if not line:
                break
            self.output.append(line)
            if line.startswith("ACCEPT"):
                self.port = int(line.rsplit(":", 1)[1])
        if self.port is None:
            self.stop()
            raise RuntimeError("openssl s_server did not start: " + "".join(self.output))
        threading.Thread(target=self.drive, daemon=True).start()

    def drive(self):
        try:
            for raw in self.proc.stdout:
                line = raw.decode(errors="replace")
                self.output.append(line)
                if line.startswith("CIPHER is"):
                    self.connections += 1
                if line.strip() == "" and self.connections and not self.requests:
                    # The blank line that ends the request head.
                    self.requests += 1
                    self.proc.stdin.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s"
                                          % (len(TOKEN_JSON), TOKEN_JSON[:20]))
                    self.proc.stdin.flush()
                    time.sleep(0.3)  # a separate read for s_server: a command line
                    self.proc.stdin.write(b"r\n")
                    self.proc.stdin.flush()
        except (OSError, ValueError) as e:
            self.errors.append(repr(e))

    def refused(self):
        """Did the client refuse the renegotiation (OpenSSL logged it)?"""
        return any("no renegotiation" in line for line in self.output)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()


def start(mode, pki):
    """The server for a mode."""
    if MODES[mode][1] == "s_server":
        return RenegotiatingServer(mode, pki)
    return HostileServer(mode, pki)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pki", help="folder for the certificates (made when missing)")
    ap.add_argument("--mode", choices=sorted(MODES))
    ap.add_argument("--list", action="store_true", help="list the modes and exit")
    args = ap.parse_args()
    if args.list or not args.mode:
        for name in MODES:
            print(f"{name:28} {MODES[name][0]} [{MODES[name][1]}]")
        return 0
    pki = make_pki(args.pki or tempfile.mkdtemp(prefix="fwc-hostile-"))
    srv = start(args.mode, pki)
    print(f"https://localhost:{srv.port} (trust {trust_file(pki, args.mode)})", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        srv.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
