#!/usr/bin/env python3
"""A small FotoWeb emulator for fwc's demo and integration tests.

It grows with the project: the token endpoint and the API entry points now,
TLS and the Upload API in later steps. It listens on loopback only, on the
port given (0 picks a free one), and writes the chosen port to --port-file
once it is ready, so a test never races the server's start.
"""
import argparse
import json
import os
import secrets
import ssl
import sys
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class State:
    client_id = "demo-client"
    client_secret = "s3cr+t/with=odd&chars"
    lifetime = 3600
    tokens = set()
    token_requests = 0


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FotoWebEmulator/0.1"

    def log_message(self, fmt, *args):  # keep test output quiet
        if os.environ.get("FWC_EMULATOR_VERBOSE"):
            sys.stderr.write("emulator: " + fmt % args + "\n")

    def send_json(self, status, obj, chunked=False):
        body = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for i in range(0, len(body), 16):
                piece = body[i:i + 16]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            self.wfile.write(b"0\r\n\r\n")
        else:
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    def read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def do_POST(self):
        body = self.read_body()
        if self.path != "/fotoweb/oauth2/token":
            return self.send_json(404, {"message": "not found", "href": self.path})
        State.token_requests += 1
        form = urllib.parse.parse_qs(body.decode("ascii", "replace"), keep_blank_values=True)
        if form.get("grant_type") != ["client_credentials"]:
            return self.send_json(400, {"error": "unsupported_grant_type"})
        if (form.get("client_id") != [State.client_id]
                or form.get("client_secret") != [State.client_secret]):
            return self.send_json(401, {"error": "invalid_client",
                                        "error_description": "unknown client"})
        token = secrets.token_urlsafe(32)
        State.tokens.add(token)
        return self.send_json(200, {"access_token": token, "token_type": "bearer",
                                    "expires_in": State.lifetime})

    def do_GET(self):
        auth = self.headers.get("Authorization", "")
        if not auth.startswith("Bearer ") or auth[7:] not in State.tokens:
            self.send_response(401)
            self.send_header("WWW-Authenticate", "Bearer")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.path == "/fotoweb/me/":
            return self.send_json(200, {"user": {"userName": "script"},
                                        "archives": "/fotoweb/me/archives/"}, chunked=True)
        return self.send_json(404, {"message": "not found", "href": self.path})


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file", help="write the listening port here when ready")
    ap.add_argument("--tls-cert", help="serve HTTPS with this certificate (PEM)")
    ap.add_argument("--tls-key", help="... and this key")
    args = ap.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    if args.tls_cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.minimum_version = ssl.TLSVersion.TLSv1_2
        ctx.load_cert_chain(args.tls_cert, args.tls_key)
        server.socket = ctx.wrap_socket(server.socket, server_side=True)
    if args.port_file:
        tmp = args.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write(str(server.server_address[1]))
        os.replace(tmp, args.port_file)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
