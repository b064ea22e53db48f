#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The userspace half of the field link: latency, stalls and resets.

The kernel's tbf shapes the rate on the veth pair (tests/field/link.py);
what a qdisc cannot do without netem is done here, on real TCP
connections, between the client's namespace and the servers:

  --map LISTEN_ADDR:PORT=TARGET_ADDR:PORT   (any number)

Every connection accepted on a listen address is relayed to its target.
Each direction's bytes are held for its one-way delay (RTT / 2 each way
by default) and then written on, in order; nothing is reordered or
coalesced beyond what TCP does. One thread, one selector: a few CPU
percent at 2 MB/s.

What this does not emulate: the TCP handshake. The relay's kernel
answers the client's SYN at once, so connect() returns without the
link's round trip; every round trip above TCP (the TLS handshake, each
request and its answer) pays it in full. Nor is TCP's slow start slowed
by the delay: the client's congestion window grows on the short
client-relay round trip. Both flatter a client only by a fixed amount
per connection, the same for every client on the same profile.

Faults, armed through the control socket, fire once:
  stall: when the bytes read from clients (all connections, since the
         counters were zeroed) reach stall_after, the relay stops reading
         and writing on every connection, both ways, for stall_s seconds.
         The client-facing sockets have small buffers (--sockbuf), so the
         client's own send() stops within about sockbuf / rate seconds.
  reset: when those bytes reach reset_after, the connection carrying
         that byte is reset both ways (TCP RST, SO_LINGER 0); what the
         relay still held for it is lost, as on a dropped link.
A reset from either end (the emulator's reset_on_chunk) is passed on as
a reset to the other end; an orderly close (FIN) as a FIN, after the
delay.

Control: a Unix socket (--control PATH), one JSON object per
connection, answered with one JSON line:
  {"op": "stats"}   counters since the last "zero": connections, bytes
                    up (read from clients) and down (read from targets),
                    the faults fired with their byte offsets and times
  {"op": "zero"}    zero the counters
  {"op": "reset_all"}   reset every open connection both ways, dropping
                    what the relay holds for it (the link died)
  {"op": "set", "delay_up_ms": ..., "delay_down_ms": ..., "stall_after":
                    BYTES or null, "stall_s": ..., "reset_after": BYTES or
                    null}   change the settings (the names given only),
                    arm the faults given, zero the counters

Probe server (--probe ADDR:PORT): a plain TCP service to measure the
link with (tests/field/link.py measure): a first line "E" echoes
everything back (round trips), "U n" reads n bytes and answers "ok n",
"D n" sends n bytes and closes.

Python standard library only.
"""
import argparse
import collections
import json
import os
import selectors
import socket
import struct
import sys
import threading
import time

READ_SIZE = 256 * 1024
QUEUE_MAX = 8 << 20        # bytes a direction may hold for its delay
SOFT_ERRORS = (BlockingIOError, InterruptedError)


def now():
    return time.monotonic()


def hard_close(sock):
    """Close with a TCP RST (no FIN), as a link that died would look to
    the other end once it tries to talk."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
    try:
        sock.close()
    except OSError:
        pass


class Direction:
    """One way of one connection: what was read from src, each piece with
    the time it may be written to dst."""

    def __init__(self, src, dst, up):
        self.src, self.dst, self.up = src, dst, up
        self.queue = collections.deque()   # [due, memoryview or None for EOF]
        self.held = 0
        self.eof_read = False      # src closed; the EOF waits in the queue
        self.eof_sent = False      # ... and was passed on (shutdown of dst)
        self.blocked = False       # dst's last send would have blocked

    def want_read(self, relay):
        return not self.eof_read and self.held < QUEUE_MAX and not relay.stalled()

    def due(self, t):
        return bool(self.queue) and self.queue[0][0] <= t


class Conn:
    def __init__(self, relay, client, target):
        self.client, self.target = client, target
        self.up = Direction(client, target, True)
        self.down = Direction(target, client, False)
        self.dead = False
        self.interest = {client: 0, target: 0}

    def directions(self):
        return (self.up, self.down)


class Relay:
    def __init__(self, args):
        self.sel = selectors.DefaultSelector()
        self.delay = {True: args.delay_up_ms / 1000.0, False: args.delay_down_ms / 1000.0}
        self.sockbuf = args.sockbuf
        self.conns = set()
        self.by_sock = {}
        self.stall_after = self.reset_after = None
        self.stall_s = 0.0
        self.stall_until = 0.0
        self.zero()
        for spec in args.map:
            listen, target = spec.split("=")
            self.listen(parse_addr(listen), parse_addr(target))
        if args.control:
            try:
                os.unlink(args.control)
            except FileNotFoundError:
                pass
            ctl = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            ctl.bind(args.control)
            ctl.listen(8)
            ctl.setblocking(False)
            self.sel.register(ctl, selectors.EVENT_READ, ("control", None))

    def zero(self):
        self.stats = {"connections": 0, "up_bytes": 0, "down_bytes": 0, "stalls": [],
                      "resets": [], "peer_resets": 0, "started": now()}

    def stalled(self):
        return now() < self.stall_until

    # ---- set-up -------------------------------------------------------------------

    def listen(self, addr, target):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        # Small buffers on the client side, set before listen() so that the
        # accepted sockets inherit them and the window scale fits: a stall
        # must stop the client's send() soon, and the relay must not hide
        # megabytes of the client's data in its kernel.
        if self.sockbuf:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, self.sockbuf)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, self.sockbuf)
        s.bind(addr)
        s.listen(64)
        s.setblocking(False)
        self.sel.register(s, selectors.EVENT_READ, ("listen", target))

    def accept(self, lsock, target):
        try:
            client, _ = lsock.accept()
        except SOFT_ERRORS:
            return
        client.setblocking(False)
        client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        t.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            t.connect(target)   # loopback or the same namespace: at once
        except OSError:
            hard_close(client)
            t.close()
            return
        t.setblocking(False)
        conn = Conn(self, client, t)
        self.conns.add(conn)
        for s in (client, t):
            self.by_sock[s] = conn
            self.sel.register(s, selectors.EVENT_READ, ("data", conn))
            conn.interest[s] = selectors.EVENT_READ
        self.stats["connections"] += 1

    # ---- data -----------------------------------------------------------------------

    def read(self, conn, d):
        try:
            data = d.src.recv(READ_SIZE)
        except SOFT_ERRORS:
            return
        except OSError:
            self.stats["peer_resets"] += 1
            return self.kill(conn)
        t = now()
        if not data:
            d.eof_read = True
            d.queue.append([t + self.delay[d.up], None])
            return
        n = len(data)
        if d.up:
            before = self.stats["up_bytes"]
            self.stats["up_bytes"] = before + n
            after = before + n
            if self.reset_after is not None and after >= self.reset_after:
                self.stats["resets"].append({"at": after, "t": round(t - self.stats["started"], 3)})
                self.reset_after = None
                return self.kill(conn)
            if self.stall_after is not None and after >= self.stall_after:
                self.stats["stalls"].append({"at": after, "t": round(t - self.stats["started"], 3),
                                             "seconds": self.stall_s})
                self.stall_after = None
                self.stall_until = t + self.stall_s
        else:
            self.stats["down_bytes"] += n
        d.queue.append([t + self.delay[d.up], memoryview(data)])
        d.held += n

    def flush(self, conn, d, t):
        """Write what is due; False if the connection died."""
        while d.queue and d.queue[0][0] <= t:
            item = d.queue[0]
            data = item[1]
            if data is None:
                try:
                    d.dst.shutdown(socket.SHUT_WR)
                except OSError:
                    pass
                d.queue.popleft()
                d.eof_sent = True
                continue
            try:
                sent = d.dst.send(data)
            except SOFT_ERRORS:
                d.blocked = True
                return True
            except OSError:
                self.stats["peer_resets"] += 1
                self.kill(conn)
                return False
            d.held -= sent
            if sent < len(data):
                item[1] = data[sent:]
                d.blocked = True
                return True
            d.queue.popleft()
        d.blocked = False
        return True

    def kill(self, conn):
        """Reset both ends: the link is gone, and so is what it held."""
        if conn.dead:
            return
        conn.dead = True
        for s in (conn.client, conn.target):
            try:
                self.sel.unregister(s)
            except (KeyError, ValueError):
                pass
            self.by_sock.pop(s, None)
            hard_close(s)
        self.conns.discard(conn)

    def finish(self, conn):
        for s in (conn.client, conn.target):
            try:
                self.sel.unregister(s)
            except (KeyError, ValueError):
                pass
            self.by_sock.pop(s, None)
            s.close()
        conn.dead = True
        self.conns.discard(conn)

    def update(self, conn):
        """The selector's interest for both sockets of conn."""
        if conn.dead:
            return
        if conn.up.eof_sent and conn.down.eof_sent:
            return self.finish(conn)
        stalled = self.stalled()
        want = {conn.client: 0, conn.target: 0}
        for d in conn.directions():
            if d.want_read(self):
                want[d.src] |= selectors.EVENT_READ
            if d.blocked and not stalled:
                want[d.dst] |= selectors.EVENT_WRITE
        for s, ev in want.items():
            if ev != conn.interest[s]:
                conn.interest[s] = ev
                if ev:
                    try:
                        self.sel.modify(s, ev, ("data", conn))
                    except KeyError:
                        self.sel.register(s, ev, ("data", conn))
                else:
                    self.sel.unregister(s)

    def next_due(self):
        t = None
        for conn in self.conns:
            for d in conn.directions():
                if d.queue and not d.blocked:
                    t = d.queue[0][0] if t is None else min(t, d.queue[0][0])
        return t

    # ---- control ----------------------------------------------------------------------

    def control(self, lsock):
        try:
            c, _ = lsock.accept()
        except SOFT_ERRORS:
            return
        # Answered at once, blocking: the driver writes one short line.
        c.setblocking(True)
        c.settimeout(5)
        try:
            buf = b""
            while not buf.endswith(b"\n"):
                piece = c.recv(4096)
                if not piece:
                    break
                buf += piece
            answer = self.command(json.loads(buf.decode() or "{}"))
        except (ValueError, OSError) as e:
            answer = {"error": str(e)}
        try:
            c.sendall(json.dumps(answer).encode() + b"\n")
        except OSError:
            pass
        c.close()

    def command(self, req):
        op = req.get("op")
        if op == "stats":
            st = dict(self.stats)
            st["open"] = len(self.conns)
            st["stalled"] = self.stalled()
            st["settings"] = {"delay_up_ms": self.delay[True] * 1000,
                              "delay_down_ms": self.delay[False] * 1000,
                              "stall_after": self.stall_after, "stall_s": self.stall_s,
                              "reset_after": self.reset_after}
            del st["started"]
            return st
        if op == "zero":
            self.zero()
            return {"ok": True}
        if op == "reset_all":
            n = len(self.conns)
            for conn in list(self.conns):
                self.kill(conn)
            return {"ok": True, "reset": n}
        if op == "set":
            if "delay_up_ms" in req:
                self.delay[True] = float(req["delay_up_ms"]) / 1000.0
            if "delay_down_ms" in req:
                self.delay[False] = float(req["delay_down_ms"]) / 1000.0
            if "stall_s" in req:
                self.stall_s = float(req["stall_s"])
            if "stall_after" in req:
                self.stall_after = None if req["stall_after"] is None else int(req["stall_after"])
            if "reset_after" in req:
                self.reset_after = None if req["reset_after"] is None else int(req["reset_after"])
            self.stall_until = 0.0
            self.zero()
            return {"ok": True}
        return {"error": "unknown op %r" % op}

    # ---- the loop ----------------------------------------------------------------------

    def run(self):
        while True:
            t = now()
            timeout = None
            if self.stalled():
                timeout = self.stall_until - t
            else:
                due = self.next_due()
                if due is not None:
                    timeout = max(0.0, due - t)
            for key, mask in self.sel.select(timeout):
                kind, arg = key.data
                if kind == "listen":
                    self.accept(key.fileobj, arg)
                elif kind == "control":
                    self.control(key.fileobj)
                else:
                    conn = arg
                    if conn.dead or self.stalled():
                        continue
                    for d in conn.directions():
                        if conn.dead:
                            break
                        if mask & selectors.EVENT_READ and d.src is key.fileobj \
                                and d.want_read(self):
                            self.read(conn, d)
                        if mask & selectors.EVENT_WRITE and d.dst is key.fileobj:
                            d.blocked = False
            t = now()
            for conn in list(self.conns):
                if not self.stalled():
                    for d in conn.directions():
                        if conn.dead or not self.flush(conn, d, t):
                            break
                self.update(conn)


# ---- the probe server -------------------------------------------------------------------

def probe_client(c):
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    f = c.makefile("rb")
    line = f.readline().split()
    if not line:
        return
    if line[0] == b"E":
        while True:
            data = f.read1(65536)
            if not data:
                return
            c.sendall(data)
    n = int(line[1])
    if line[0] == b"U":
        left = n
        while left > 0:
            data = f.read1(min(left, 1 << 20))
            if not data:
                return
            left -= len(data)
        c.sendall(b"ok %d\n" % n)
    elif line[0] == b"D":
        block = b"\0" * 65536
        left = n
        while left > 0:
            c.sendall(block[:min(left, len(block))])
            left -= min(left, len(block))


def probe_listen(addr):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(addr)
    s.listen(16)
    return s


def probe_server(s):
    def serve(c):
        try:
            probe_client(c)
        except (OSError, ValueError, IndexError):
            pass
        finally:
            c.close()

    while True:
        c, _ = s.accept()
        threading.Thread(target=serve, args=(c,), daemon=True).start()


def parse_addr(text):
    host, _, port = text.rpartition(":")
    return host, int(port)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--map", action="append", default=[],
                    help="LISTEN_ADDR:PORT=TARGET_ADDR:PORT")
    ap.add_argument("--delay-up-ms", type=float, default=0.0)
    ap.add_argument("--delay-down-ms", type=float, default=0.0)
    ap.add_argument("--sockbuf", type=int, default=64 * 1024,
                    help="SO_RCVBUF/SO_SNDBUF of the client-facing sockets (0: the kernel's)")
    ap.add_argument("--control", help="Unix socket for the control commands")
    ap.add_argument("--probe", help="ADDR:PORT for the probe server")
    ap.add_argument("--ready-file", help="written once every socket listens")
    args = ap.parse_args()
    if args.probe:
        threading.Thread(target=probe_server, args=(probe_listen(parse_addr(args.probe)),),
                         daemon=True).start()
    relay = Relay(args)
    if args.ready_file:
        with open(args.ready_file + ".tmp", "w") as f:
            f.write("ready\n")
        os.replace(args.ready_file + ".tmp", args.ready_file)
    try:
        relay.run()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
