#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Kconfig and include/fwc/config.h must agree, and a .config must reach the
# build: 1) every Kconfig.fwc symbol has a default in config.h equal to
# Kconfig's, a boolean that defaults to y as FWCI_DEFAULT_Y (so that a host's
# header, which leaves out what is off, turns it off); 2) in a copy of the
# tree, `make defconfig` then a changed value and a switched-off bool end up
# in the compiled code.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
# Debian's python3, which has kconfiglib (a pyenv python3 may come first).
PY=${PYTHON:-/usr/bin/python3}

"$PY" - <<'PY'
import re, sys, kconfiglib
kconf = kconfiglib.Kconfig("Kconfig", warn=False)
defaults = dict(re.findall(r'#define (CONFIG_FWC_\w+) (.+)', open("include/fwc/config.h").read()))
bad = 0
# The switch (and fwc's own build's way of setting it) have no default in
# config.h: CONFIG_FWC defined is what says a configuration system is in use.
switches = {"FWC", "FWC_STANDALONE"}
if not kconf.mainmenu_text.startswith("fwc"):
    print("Kconfig: not fwc's top level"); bad = 1
if re.search(r"^\s*mainmenu\b", open("Kconfig.fwc").read(), re.M):
    print("Kconfig.fwc has a mainmenu: it would replace a host's title"); bad = 1
for sym in kconf.unique_defined_syms:
    name = "CONFIG_" + sym.name
    if sym.name in switches:
        if name in defaults:
            print(f"{name}: config.h must not define it"); bad = 1
        continue
    if name not in defaults:
        print(f"{name}: in Kconfig, no default in config.h"); bad = 1; continue
    if sym.type == kconfiglib.BOOL:
        want = "FWCI_DEFAULT_Y" if sym.str_value == "y" else "0"
    elif sym.type == kconfiglib.STRING:
        want = '"%s"' % sym.str_value
    else:
        want = sym.str_value
    if sym.str_value == "" and sym.type != kconfiglib.STRING:
        continue  # hidden by an unmet dependency; nothing to compare
    if defaults[name].strip() != want:
        print(f"{name}: Kconfig default {want}, config.h {defaults[name]}"); bad = 1
known = {"CONFIG_" + s.name for s in kconf.unique_defined_syms} - {"CONFIG_" + n for n in switches}
for name in defaults:
    if name not in known:
        print(f"{name}: in config.h, missing from Kconfig"); bad = 1
print("Kconfig and config.h agree" if not bad else "Kconfig and config.h disagree")
sys.exit(bad)
PY

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r Kconfig Kconfig.fwc Makefile fwc.mk include src port "$work"/
cd "$work"
make -s defconfig >/dev/null
"$PY" -m setconfig FWC_IO_BUFFER_SIZE=1024 FWC_UPLOAD=n >/dev/null
make -s build/gen/fwc_config.h
cat > probe.c <<'C'
#include <stdio.h>
#include "fwc/http.h"
int main(void)
{
    printf("%d %d\n", CONFIG_FWC_IO_BUFFER_SIZE, CONFIG_FWC_UPLOAD);
    return 0;
}
C
cc -std=c99 -Iinclude -Ibuild/gen -DFWC_CONFIG_HEADER='"fwc_config.h"' probe.c -o probe
out=$(./probe)
[ "$out" = "1024 0" ] || { echo "generated config not applied: got '$out'"; exit 1; }
echo ".config reaches the build: $out"

# 3) `make menuconfig`, the README's way to edit the configuration, really
# runs: in a pseudo-terminal, without a .config, open the save dialog
# ("S"), accept the file name (Enter), and quit ("Q"). The saved file must
# be kconfiglib's, with fwc's symbols in it.
rm -f .config
"$PY" - <<'PY'
import os, pty, select, sys, time
pid, fd = pty.fork()
if pid == 0:
    os.environ["TERM"] = "xterm"
    os.execvp("make", ["make", "-s", "menuconfig"])
def drain(seconds):
    end = time.time() + seconds
    while time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.1)
        if r:
            try:
                os.read(fd, 65536)
            except OSError:
                return
for keys in (b"", b"S", b"\r", b"\r", b"Q"):
    os.write(fd, keys) if keys else None
    drain(1.5)
deadline = time.time() + 10
while time.time() < deadline:
    done, status = os.waitpid(pid, os.WNOHANG)
    if done:
        break
    os.write(fd, b"Q")
    drain(0.5)
else:
    os.kill(pid, 9)
    sys.exit("menuconfig did not quit")
sys.exit(0 if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0 else "menuconfig failed")
PY
grep -q '^CONFIG_FWC_IO_BUFFER_SIZE=' .config || { echo "menuconfig saved no .config"; exit 1; }
echo "menuconfig saves a .config"
