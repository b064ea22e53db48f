#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The field link: a shaped network between a client and the servers.

Two network namespaces and nothing routed anywhere else:

  client side (C): the namespace the driver runs in, made by
      `unshare --net` (as tests/lwip/netns.sh does); the clients (fwc,
      curl) and the proxies (tests/field/proxy.py) run here.
  server side (S): a second namespace, held by a child process
      (`unshare --net`), entered with `nsenter --net`: the FotoWeb
      emulator, the relay (tests/field/relay.py) and its probe server.

  C fwcl0 10.77.1.1 ==== veth, shaped ==== fwcl1 10.77.1.2 S   the link
  C fwcm0 10.77.2.1 ---- veth, not shaped -- fwcm1 10.77.2.2 S   management

The link's rate is the kernel's: a tbf qdisc on each end's egress (fwcl0:
upstream, fwcl1: downstream); netem is not in this kernel. Latency,
stalls and resets are the relay's, listening on 10.77.1.2: the clients
reach the server as https://10.77.1.2:4443 (or, through a proxy, as
https://fotoweb.field.test:4443). The driver's own calls (the emulator's
control endpoint) take the management pair, so they neither wait on the
shaped link nor count in its figures. Both namespaces disappear with
their last process.

Profiles (rates in bytes per second on the wire, 1 KB = 1000 B; round
trip in ms; queue: tbf's buffer, in seconds of the link's rate):

  name       up        down      RTT    queue  faults
  gprs       5 KB/s    10 KB/s   600    2 s
  3g         40 KB/s   250 KB/s  600    2 s
  lte-poor   100 KB/s  500 KB/s  150    2 s    a 20 s stall after 1.5 MiB upstream
  satellite  2 MB/s    2 MB/s    650    1 s
  lan        -         -         0      -
  drop       -         -         0      -      a reset after 1.5 MiB upstream (mid-chunk)
  stall      -         -         0      -      a 20 s stall after 1.5 MiB upstream

Issue 17 gives the upstream rates and round trips; the downstream rates
of 3g and lte-poor are this file's choice (HSPA and a weak LTE cell), and
so are the queues. A cellular modem buffers seconds of data (bufferbloat),
and with no loss to stop it the sender's congestion window, and with it
its socket buffer, grows: on 3g the client's send() of a 1 MiB body
returns about 18 s before the last byte is on the wire (0.5 s of queue:
about 6 s). That is the case issue 17 reports: the body "handed to the
kernel", then a wait for the answer longer than the I/O timeout. tbf
counts whole frames, so the payload gets about 5 % less than the rate.
The stall and reset offsets count every byte the client sends through
the relay, TLS and HTTP included: 1.5 MiB is the middle of the second
1 MiB chunk of an upload. `stall` and `drop` are lan links with the fault
alone, for make test.

  link.py measure [PROFILE ...]   set the link up, measure each profile with
                                  a plain TCP client (round trip, rate each
                                  way) and print the figures beside the
                                  profile's; needs root (unshare, ip, tc).
"""
import json
import os
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
KB = 1000
MIB = 1 << 20

C_LINK, S_LINK = "10.77.1.1", "10.77.1.2"
C_MGMT, S_MGMT = "10.77.2.1", "10.77.2.2"
SERVER_PORT = 4443       # the relay, to the emulator
PROBE_PORT = 4444        # the relay, to the probe server
PROBE_TARGET = 4445      # the probe server itself, on S's loopback
SERVER_NAME = "fotoweb.field.test"   # known to the proxies only
QUEUE_S = 0.5   # a profile's tbf queue, seconds of its rate, unless it says

PROFILES = {
    "gprs": {"up": 5 * KB, "down": 10 * KB, "rtt_ms": 600, "queue_s": 2},
    "3g": {"up": 40 * KB, "down": 250 * KB, "rtt_ms": 600, "queue_s": 2},
    "lte-poor": {"up": 100 * KB, "down": 500 * KB, "rtt_ms": 150, "queue_s": 2,
                 "stall_after": 3 * MIB // 2, "stall_s": 20},
    "satellite": {"up": 2000 * KB, "down": 2000 * KB, "rtt_ms": 650, "queue_s": 1},
    "lan": {"up": None, "down": None, "rtt_ms": 0},
    "drop": {"up": None, "down": None, "rtt_ms": 0, "reset_after": 3 * MIB // 2},
    "stall": {"up": None, "down": None, "rtt_ms": 0,
              "stall_after": 3 * MIB // 2, "stall_s": 20},
}


class LinkError(Exception):
    pass


def describe(p):
    """A profile in words, for tables."""
    def rate(r):
        return "-" if r is None else ("%g MB/s" % (r / 1e6) if r >= 1e6 else "%g KB/s" % (r / 1e3))
    s = "up %s, down %s, RTT %d ms" % (rate(p["up"]), rate(p["down"]), p["rtt_ms"])
    if p.get("up") and p.get("queue_s", QUEUE_S):
        s += ", queue %g s" % p.get("queue_s", QUEUE_S)
    if p.get("stall_after"):
        s += ", %g s stall after %.1f MiB" % (p["stall_s"], p["stall_after"] / MIB)
    if p.get("reset_after"):
        s += ", reset after %.1f MiB" % (p["reset_after"] / MIB)
    return s


def netns_id():
    return os.readlink("/proc/self/ns/net")


def private_netns():
    """True when this process runs in the namespace in_private_netns()
    made: not the one of the process that started it (that id is in
    FWC_FIELD_NETNS)."""
    outer = os.environ.get("FWC_FIELD_NETNS")
    return bool(outer) and netns_id() != outer


def in_private_netns():
    """Re-run the calling script under `unshare --net` unless it already
    runs in the namespace made for it."""
    if private_netns():
        return
    if os.environ.get("FWC_FIELD_NETNS"):
        sys.exit("Bail out! unshare --net left this process in its parent's namespace")
    if os.geteuid() != 0:
        sys.exit("Bail out! the field link needs root (unshare --net, ip, tc)")
    env = dict(os.environ, FWC_FIELD_NETNS=netns_id())
    # exec, not a child: a signal meant for this process (make's, or
    # tests/run.sh's timeout) reaches the one that cleans up.
    sys.stdout.flush()
    os.execvpe("unshare", ["unshare", "--net", "--", sys.executable] + sys.argv, env)


def run(*cmd, check=True):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if check and r.returncode != 0:
        raise LinkError("%s: exit %d: %s" % (" ".join(cmd), r.returncode, r.stderr.strip()))
    return r


def die_with_parent():
    """For every child: SIGTERM when the driver dies, however it dies, so
    that no namespace outlives it."""
    import ctypes
    import signal
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def tbf(rate, queue_s):
    """tc arguments for a tbf of rate bytes/s: a burst of 10 ms (at least
    one full frame) and a queue of queue_s seconds of the link's time."""
    burst = max(1600, rate // 100)
    limit = max(int(rate * queue_s), 3 * 1514 + burst)
    return ["tbf", "rate", "%dbit" % (rate * 8), "burst", str(burst), "limit", str(limit)]


class Link:
    """The two namespaces, the veth pairs and the relay; start() builds
    them (in the private namespace the process runs in), close() tears
    them down."""

    def __init__(self, workdir):
        self.work = workdir
        self.holder = None
        self.procs = []
        self.relay = None
        self.profile = None
        self.s_ns = None

    # ---- the namespaces ---------------------------------------------------------

    def start(self):
        if not private_netns():
            raise LinkError("refusing to touch the machine's own network namespace")
        for tool in ("ip", "tc", "nsenter", "unshare"):
            if run("sh", "-c", "command -v " + tool, check=False).returncode != 0:
                raise LinkError("%s is missing (iproute2, util-linux)" % tool)
        run("ip", "link", "set", "lo", "up")
        # The server side: a namespace held by a process that ends with us
        # (its stdin is our pipe; SIGTERM on our death as well).
        self.holder = subprocess.Popen(["unshare", "--net", "--", "sh", "-c", "exec cat >/dev/null"],
                                       stdin=subprocess.PIPE, preexec_fn=die_with_parent)
        mine = os.readlink("/proc/self/ns/net")
        ns = "/proc/%d/ns/net" % self.holder.pid
        for _ in range(200):
            try:
                if os.readlink(ns) != mine:
                    break
            except OSError:
                pass
            time.sleep(0.01)
        else:
            raise LinkError("the server namespace did not appear")
        self.s_ns = ns
        for c, s, ca, sa in (("fwcl0", "fwcl1", C_LINK, S_LINK), ("fwcm0", "fwcm1", C_MGMT, S_MGMT)):
            run("ip", "link", "add", c, "type", "veth", "peer", "name", s,
                "netns", str(self.holder.pid))
            run("ip", "addr", "add", ca + "/24", "dev", c)
            run("ip", "link", "set", c, "up")
            self.in_s("ip", "addr", "add", sa + "/24", "dev", s)
            self.in_s("ip", "link", "set", s, "up")
        self.in_s("ip", "link", "set", "lo", "up")

    def s_cmd(self, *cmd):
        return ["nsenter", "--net=" + self.s_ns, "--"] + list(cmd)

    def in_s(self, *cmd, check=True):
        return run(*self.s_cmd(*cmd), check=check)

    def spawn_s(self, cmd, **kw):
        """A long-running process on the server side."""
        p = subprocess.Popen(self.s_cmd(*cmd), preexec_fn=die_with_parent, **kw)
        self.procs.append(p)
        return p

    def start_relay(self, emulator_port):
        ready = os.path.join(self.work, "relay.ready")
        self.relay_sock = os.path.join(self.work, "relay.sock")
        log = open(os.path.join(self.work, "relay.log"), "wb")
        self.relay = self.spawn_s(
            [sys.executable, os.path.join(HERE, "relay.py"),
             "--map", "%s:%d=127.0.0.1:%d" % (S_LINK, SERVER_PORT, emulator_port),
             "--map", "%s:%d=127.0.0.1:%d" % (S_LINK, PROBE_PORT, PROBE_TARGET),
             "--probe", "127.0.0.1:%d" % PROBE_TARGET,
             "--control", self.relay_sock, "--ready-file", ready],
            stdout=log, stderr=log)
        wait_for(ready, self.relay, "the relay")

    def close(self):
        for p in reversed(self.procs):
            if p.poll() is None:
                p.terminate()
        for p in reversed(self.procs):
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        if self.holder is not None and self.holder.poll() is None:
            self.holder.stdin.close()
            try:
                self.holder.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.holder.kill()
                self.holder.wait()

    # ---- shaping --------------------------------------------------------------------

    def shape(self, name):
        """Apply a profile: tbf each way (or none), the relay's delays, and
        its faults armed; the relay's counters are zeroed."""
        p = PROFILES[name]
        for dev, rate, side in (("fwcl0", p["up"], run), ("fwcl1", p["down"], self.in_s)):
            side("tc", "qdisc", "del", "dev", dev, "root", check=False)
            if rate:
                side("tc", "qdisc", "add", "dev", dev, "root", *tbf(rate, p.get("queue_s", QUEUE_S)))
        self.profile = name
        self.arm(faults=False)

    def arm(self, faults=True):
        """Zero the relay's counters and set the profile's delays; with
        faults, arm its stall or reset (once, for the step that follows)."""
        p = PROFILES[self.profile]
        half = p["rtt_ms"] / 2.0
        req = {"op": "set", "delay_up_ms": half, "delay_down_ms": half,
               "stall_after": p.get("stall_after") if faults else None,
               "stall_s": p.get("stall_s", 0), "reset_after": p.get("reset_after") if faults else None}
        self.control(req)

    def control(self, req):
        c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        c.settimeout(10)
        try:
            c.connect(self.relay_sock)
            c.sendall(json.dumps(req).encode() + b"\n")
            buf = b""
            while not buf.endswith(b"\n"):
                piece = c.recv(65536)
                if not piece:
                    break
                buf += piece
        finally:
            c.close()
        answer = json.loads(buf.decode())
        if "error" in answer:
            raise LinkError("relay: " + answer["error"])
        return answer

    def stats(self):
        return self.control({"op": "stats"})

    def qdisc_stats(self):
        """tbf's own counters each way: bytes sent, drops, overlimits."""
        out = {}
        for dev, side in (("fwcl0", run), ("fwcl1", self.in_s)):
            out[dev] = side("tc", "-s", "qdisc", "show", "dev", dev).stdout.strip()
        return out

    # ---- measuring the link with a plain client -------------------------------------

    def measure(self, seconds=3.0):
        """Round trip and rate each way through the link, with plain TCP to
        the probe server: what any client gets on this profile."""
        p = PROFILES[self.profile]
        self.arm(faults=False)
        rtts = []
        with probe_conn() as s:
            s.sendall(b"E\n")
            for _ in range(5):
                t = time.monotonic()
                s.sendall(b"x")
                if s.recv(16) != b"x":
                    raise LinkError("probe: the echo came back wrong")
                rtts.append(time.monotonic() - t)
        rtt = min(rtts)
        result = {"rtt_ms": rtt * 1000}
        for way in ("up", "down"):
            rate = p[way]
            n = int(rate * seconds) if rate else 64 * MIB
            result[way + "_bytes"] = n
            # Less the profile's round trip, not the one measured: the
            # relay's delays are a floor a busy machine can only add to,
            # so the rate found is never above the one the link gave.
            result[way] = probe_up(n, p["rtt_ms"] / 1000.0) if way == "up" else probe_down(n)
            if way == "up":
                result["up_ahead_s"] = AHEAD[0]
        result["tc"] = self.qdisc_stats()
        return result


class probe_conn:
    def __enter__(self):
        self.s = socket.create_connection((S_LINK, PROBE_PORT), timeout=120)
        self.s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return self.s

    def __exit__(self, *exc):
        self.s.close()


def probe_up(n, rtt):
    """Send n bytes; the rate is n over the time until the server says it
    has them all, less the answer's way back (half a round trip) and the
    first byte's way there (the other half)."""
    block = b"\0" * 65536
    with probe_conn() as s:
        t = time.monotonic()
        s.sendall(b"U %d\n" % n)
        left = n
        while left > 0:
            k = min(left, len(block))
            s.sendall(block[:k])
            left -= k
        handed = time.monotonic()
        answer = s.recv(64)
        took = time.monotonic() - t
        AHEAD[0] = max(0.0, time.monotonic() - handed - rtt)
    if not answer.startswith(b"ok %d" % n):
        raise LinkError("probe: the upload was not confirmed (%r)" % answer)
    return n / max(took - rtt, 1e-6)


AHEAD = [0.0]   # the last probe_up's seconds between send()'s end and the data's arrival


def probe_down(n):
    """Receive n bytes; the rate from the first byte to the last."""
    with probe_conn() as s:
        s.sendall(b"D %d\n" % n)
        got, first, t0 = 0, None, None
        while True:
            data = s.recv(1 << 20)
            if not data:
                break
            if t0 is None:
                t0, first = time.monotonic(), len(data)
            got += len(data)
        t1 = time.monotonic()
    if got != n:
        raise LinkError("probe: %d of %d bytes came down" % (got, n))
    return (got - first) / max(t1 - t0, 1e-6)


def wait_for(path, proc, what, seconds=30):
    for _ in range(int(seconds * 20)):
        if os.path.exists(path) and os.path.getsize(path) > 0:
            return
        if proc.poll() is not None:
            raise LinkError("%s exited %d before it was ready" % (what, proc.returncode))
        time.sleep(0.05)
    raise LinkError("%s not ready after %d s" % (what, seconds))


def fmt_rate(r):
    if r is None:
        return "-"
    return "%.2f MB/s" % (r / 1e6) if r >= 1e6 else "%.1f KB/s" % (r / 1e3)


def measure_main(names):
    in_private_netns()
    names = names or list(PROFILES)
    for n in names:
        if n not in PROFILES:
            sys.exit("unknown profile %s (%s)" % (n, ", ".join(PROFILES)))
    with tempfile.TemporaryDirectory() as work:
        link = Link(work)
        try:
            link.start()
            link.start_relay(PROBE_TARGET)   # no emulator: both maps reach the probe
            print("%-10s %-22s %-28s %-28s %s" % ("profile", "round trip", "up", "down",
                                                  "send() ahead of the wire"))
            for n in names:
                link.shape(n)
                m = link.measure()
                p = PROFILES[n]
                print("%-10s %-22s %-28s %-28s %.1f s" % (
                    n, "%.0f ms (set %d)" % (m["rtt_ms"], p["rtt_ms"]),
                    "%s (set %s)" % (fmt_rate(m["up"]), fmt_rate(p["up"])),
                    "%s (set %s)" % (fmt_rate(m["down"]), fmt_rate(p["down"])),
                    m["up_ahead_s"]), flush=True)
        finally:
            link.close()


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "measure":
        measure_main(sys.argv[2:])
    else:
        print(__doc__)
        sys.exit(2)
