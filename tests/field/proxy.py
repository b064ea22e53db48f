# SPDX-License-Identifier: MIT
"""The proxy rig: Debian's tinyproxy, started by the tests on loopback in
the client's namespace, in three configurations:

  open     CONNECT to any port, no authentication
  auth     Basic proxy authentication (user "field", password below);
           without it, or with a wrong one, CONNECT is answered 407
  refuse   CONNECT only to port 443: the FotoWeb server on 4443 gets 403,
           as behind an office proxy that tunnels nothing but HTTPS's port

The server's name, fotoweb.field.test, is known to the proxies alone:
each tinyproxy runs in a mount namespace of its own where /etc/hosts
holds it (`unshare --mount` and a bind mount, private to that process;
the machine's /etc/hosts is never touched). A client that ignores its
proxy and resolves the name itself fails, as a kiosk without DNS would,
so "it worked" also proves "it went through the proxy". The link behind
the proxies is the shaped one (tests/field/link.py): proxy to server
crosses it, client to proxy is loopback.
"""
import os
import socket
import subprocess
import time

from link import SERVER_NAME, S_LINK, LinkError, die_with_parent

USER, PASSWORD = "field", "pr0xy-pass"
CONFIGS = {
    "open": "",
    "auth": "BasicAuth %s %s\n" % (USER, PASSWORD),
    "refuse": "ConnectPort 443\n",
}


# Run in the proxy's own mount namespace: hide the machine's /etc/hosts
# behind ours. If the new mount would propagate back to the parent
# namespace (a shared mount: only possible with --propagation unchanged,
# see root_is_mount_point), undo it at once and fail rather than touch
# the machine's view.
BIND_HOSTS_THEN_RUN = r"""
mount --bind "$1" /etc/hosts || exit 1
if awk '$5 == "/etc/hosts" { for (i = 7; $i != "-"; i++) if ($i ~ /^shared:/) s = 1 }
         END { exit !s }' /proc/self/mountinfo; then
  umount /etc/hosts
  echo "the mount holding /etc/hosts is shared: our hosts file would leak out of this namespace"
  exit 1
fi
exec tinyproxy -d -c "$2"
"""


def root_is_mount_point():
    """False in a chroot whose root is a plain directory. There unshare's
    default (make every mount private, starting at /) fails with EINVAL,
    so the proxies keep the propagation they inherit and the script above
    checks that it is not shared."""
    with open("/proc/self/mountinfo") as f:
        return any(line.split()[4] == "/" for line in f)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Proxies:
    def __init__(self, work):
        self.work = os.path.join(work, "proxy")
        os.makedirs(self.work, exist_ok=True)
        self.procs = []
        self.ports = {}

    def start(self):
        self.propagation = "private" if root_is_mount_point() else "unchanged"
        if subprocess.run(["sh", "-c", "command -v tinyproxy"], capture_output=True).returncode:
            raise LinkError("tinyproxy is missing (Debian package tinyproxy)")
        hosts = os.path.join(self.work, "hosts")
        with open(hosts, "w") as f:
            f.write("127.0.0.1 localhost\n%s %s\n" % (S_LINK, SERVER_NAME))
        os.chmod(hosts, 0o644)
        for name, extra in CONFIGS.items():
            port = free_port()
            conf = os.path.join(self.work, name + ".conf")
            with open(conf, "w") as f:
                # As root, tinyproxy drops to nobody after binding.
                f.write("Port %d\nListen 127.0.0.1\nAllow 127.0.0.1\nUser nobody\n"
                        "Group nogroup\nTimeout 600\nMaxClients 32\nLogLevel Connect\n%s"
                        % (port, extra))
            os.chmod(conf, 0o644)
            log = open(os.path.join(self.work, name + ".log"), "wb")
            p = subprocess.Popen(
                ["unshare", "--mount", "--propagation", self.propagation, "--", "sh", "-c",
                 BIND_HOSTS_THEN_RUN, "sh", hosts, conf],
                stdout=log, stderr=log, stdin=subprocess.DEVNULL, preexec_fn=die_with_parent)
            self.procs.append(p)
            self.ports[name] = port
        for name, port in self.ports.items():
            self.wait(name, port)

    def wait(self, name, port):
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return
            except OSError:
                if any(p.poll() is not None for p in self.procs):
                    raise LinkError("tinyproxy (%s) exited: %s" % (name, self.log(name)[-500:]))
                time.sleep(0.05)
        raise LinkError("tinyproxy (%s) not listening after 10 s" % name)

    def log(self, name):
        try:
            with open(os.path.join(self.work, name + ".log"), errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def url(self, name, credentials=None):
        """The proxy's URL; for "auth", with the right credentials unless
        credentials says otherwise ("" for none, or "user:pass")."""
        if credentials is None:
            credentials = "%s:%s" % (USER, PASSWORD) if name == "auth" else ""
        return "http://%s127.0.0.1:%d" % (credentials + "@" if credentials else "",
                                          self.ports[name])

    def close(self):
        for p in self.procs:
            if p.poll() is None:
                p.terminate()
        for p in self.procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
