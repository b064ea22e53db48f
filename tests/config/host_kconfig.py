#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""fwc's Kconfig.fwc inside a host's Kconfig, the way Zephyr and ESP-IDF
use it, with kconfiglib (which both are built on):

1. The host keeps its title and its top level: fwc adds one entry there,
   its FWC switch, and nothing of fwc's exists while the switch is off.
2. Options hidden behind a switch that is off are absent from the header
   (the `depends on` lines listed in HIDDEN_BY below).
3. For each of three ways a host hands its generated header to the compiler
   (Zephyr: autoconf.h by -imacros; ESP-IDF: sdkconfig.h, included by
   config.h under ESP_PLATFORM; any other: FWC_CONFIG_HEADER), and for the
   defaults and every fwc boolean flipped from its default:
   - a probe compiled against config.h sees every value kconfiglib set,
     a boolean that is off (absent from the header) as 0;
   - fwc's sources compile warning-free against it (Zephyr's way, and with
     no configuration system), and their objects carry the code of each
     boolean that is on and not of one that is off (CODE_OF below).
4. Without a configuration system, config.h's defaults stand (a boolean
   that defaults to y is on).

Run from the top of the tree: tests/config/host_kconfig.py"""
import concurrent.futures
import os
import re
import shutil
import subprocess
import sys
import tempfile

import kconfiglib

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CC = os.environ.get("CC_PROBE", "gcc")
WARN = ["-std=c99", "-Wall", "-Wextra", "-Wpedantic", "-Wshadow", "-Wconversion", "-Werror"]

HOST_KCONFIG = """\
mainmenu "Host firmware"

config HOST_NET
	bool "Networking"
	default y

menu "Host drivers"
config HOST_UART
	bool "UART"
	default y
endmenu

source "$(FWC_DIR)/Kconfig.fwc"
"""

# The sign that a boolean's code is in an object: (source, symbol, kind),
# kind "U" for a call it makes, "T" for a function it defines.
CODE_OF = {
    "FWC_TLS_MBEDTLS": ("src/client.c", "fwci_tls_init", "U"),
    "FWC_ALLOW_HTTP": ("src/client.c", "fwci_plain_init", "U"),
    "FWC_LOCKS": ("src/client.c", "fwc_port_lock_init", "U"),
    "FWC_AUTH_BASIC": ("src/oauth.c", "fwci_base64_encode", "U"),
    "FWC_TLS_SESSION_RESUMPTION": ("src/tls_mbedtls.c", "mbedtls_ssl_get_session", "U"),
    "FWC_UPLOAD": ("src/upload.c", "fwc_upload", "T"),
}
SOURCES = sorted({src for src, _, _ in CODE_OF.values()})

# Options that belong to a boolean: absent from the header when it is off.
HIDDEN_BY = {
    "FWC_TLS_MBEDTLS": ["FWC_TLS13", "FWC_TLS_SESSION_RESUMPTION", "FWC_TLS_MAX_FRAGMENT_CODE",
                        "FWC_TLS_MBEDTLS_WITHOUT_DATES", "FWC_TLS_CONTEXT_SIZE"],
    "FWC_UPLOAD": ["FWC_UPLOAD_JSON_MAX", "FWC_UPLOAD_STATUS_TIMEOUT_MS"],
    "FWC_LOCKS": ["FWC_PORT_LOCK_SIZE"],
    "FWC_SECRET_BUILD": ["FWC_SECRETS_FILE"],
}

# How each host hands its header to fwc: (file name, banner, flags).
ESP_BANNER = """/*
 * Automatically generated file. DO NOT EDIT.
 * Espressif IoT Development Framework (ESP-IDF) Configuration Header
 */
#pragma once
"""
HOSTS = {
    "zephyr": ("autoconf.h", None, lambda d: ["-imacros", os.path.join(d, "autoconf.h")]),
    "esp-idf": ("sdkconfig.h", ESP_BANNER, lambda d: ["-DESP_PLATFORM", "-I" + d]),
    "explicit": ("fwc_host_config.h", None,
                 lambda d: ["-I" + d, '-DFWC_CONFIG_HEADER="fwc_host_config.h"']),
}

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL " + msg)


def run(cmd):
    r = subprocess.run(cmd, cwd=TOP, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(" ".join(cmd) + "\n" + r.stdout + r.stderr)
    return r.stdout


def fwc_symbols(kconf):
    return [s for s in kconf.unique_defined_syms if s.name.startswith("FWC") and s.name != "FWC"]


def load(work):
    path = os.path.join(work, "Kconfig")
    with open(path, "w") as f:
        f.write(HOST_KCONFIG)
    os.environ["FWC_DIR"] = TOP
    return kconfiglib.Kconfig(path, warn_to_stderr=False)


def check_structure(kconf, work):
    if kconf.mainmenu_text != "Host firmware":
        fail("the host's title became %r" % kconf.mainmenu_text)
    node, top = kconf.top_node.list, []
    while node:
        item = node.item
        top.append(item.name if isinstance(item, kconfiglib.Symbol) else node.prompt[0])
        node = node.next
    if top != ["HOST_NET", "Host drivers", "FWC"]:
        fail("the host's top level is %s, not its own two entries and FWC" % top)
    kconf.unset_values()
    header = os.path.join(work, "off.h")
    kconf.write_autoconf(header)
    text = open(header).read()
    if "FWC" in text:
        fail("with FWC off the header still has fwc's options:\n" + text)
    fwc = kconf.syms["FWC"]
    if fwc.str_value != "n":
        fail("a host gets fwc switched on by default")
    leaked = [s.name for s in fwc_symbols(kconf) if s.visibility]
    if leaked:
        fail("visible with FWC off: %s" % leaked)


def probe_source(syms):
    lines = ['#include <stdio.h>', '#include "fwc/config.h"', "int main(void)", "{",
             '    printf("FWC_CONFIG_SYSTEM=%d\\n", FWC_CONFIG_SYSTEM);']
    for s in syms:
        name = "CONFIG_" + s.name
        if s.type == kconfiglib.STRING:
            lines.append('    printf("%s=\\"%%s\\"\\n", %s);' % (s.name, name))
        else:
            lines.append('    printf("%s=%%ld\\n", (long)(%s));' % (s.name, name))
    lines += ["    return 0;", "}", ""]
    return "\n".join(lines)


def expected(kconf, syms):
    """What the probe must print: a bool as 0/1, others as kconfiglib has
    them where they are visible (hidden ones keep config.h's default)."""
    want = {}
    for s in syms:
        if s.type == kconfiglib.BOOL:
            want[s.name] = "1" if s.str_value == "y" else "0"
        elif s.visibility or s.config_string:
            want[s.name] = '"%s"' % s.str_value if s.type == kconfiglib.STRING else s.str_value
    return want


def build(tag, flags, work, syms, objects):
    """Compile the probe (and, when asked, the sources) against one header;
    the probe's output and each object's symbols."""
    out = work
    os.makedirs(out, exist_ok=True)
    probe_c = os.path.join(out, "probe.c")
    with open(probe_c, "w") as f:
        f.write(probe_source(syms))
    base = [CC] + WARN + ["-Iinclude", "-Isrc"] + flags
    jobs = [base + [probe_c, "-o", os.path.join(out, "probe")]]
    for src in SOURCES if objects else []:
        jobs.append(base + ["-Os", "-c", src, "-o", os.path.join(out, os.path.basename(src) + ".o")])
    try:
        for cmd in jobs:
            run(cmd)
    except RuntimeError as e:
        errors = [l for l in str(e).splitlines()[1:] if "error" in l]
        return None, errors[0] if errors else str(e)
    values = dict(line.split("=", 1) for line in run([os.path.join(out, "probe")]).splitlines())
    symbols = {}
    for src in SOURCES if objects else []:
        obj = os.path.join(out, os.path.basename(src) + ".o")
        for line in run(["nm", "-P", obj]).splitlines():
            name, kind = line.split()[:2]
            symbols[(src, name)] = "U" if kind == "U" else "T"
    return values, symbols


def check_build(tag, values, symbols, want, on, objects):
    if values.get("FWC_CONFIG_SYSTEM") != want.get("FWC_CONFIG_SYSTEM", "1"):
        fail("%s: FWC_CONFIG_SYSTEM is %s" % (tag, values.get("FWC_CONFIG_SYSTEM")))
    for name, value in want.items():
        if name != "FWC_CONFIG_SYSTEM" and values.get(name) != value:
            fail("%s: CONFIG_%s is %s through config.h, the configuration says %s"
                 % (tag, name, values.get(name), value))
    for name, (src, sym, kind) in CODE_OF.items() if objects else []:
        present = symbols.get((src, sym)) == kind
        if present != on[name]:
            fail("%s: %s is %s but %s %s %s" % (tag, name, "on" if on[name] else "off", src,
                                               "has" if present else "lacks", sym))


def configurations(kconf):
    """(name, settings) pairs: the defaults, then each boolean flipped."""
    yield "defaults", {}
    for s in fwc_symbols(kconf):
        if s.type != kconfiglib.BOOL or s.name == "FWC_STANDALONE":
            continue
        kconf.unset_values()
        kconf.syms["FWC"].set_value(2)
        flipped = 0 if s.str_value == "y" else 2
        if s.choice is not None and flipped == 0:
            # A choice member goes off by choosing another.
            other = [m for m in s.choice.syms if m is not s][0]
            yield "%s=n" % s.name, {other.name: 2}
        else:
            yield "%s=%s" % (s.name, "y" if flipped else "n"), {s.name: flipped}


def apply(kconf, settings):
    kconf.unset_values()
    kconf.syms["FWC"].set_value(2)
    for name, value in settings.items():
        kconf.syms[name].set_value(value)
        if kconf.syms[name].tri_value != value:
            raise RuntimeError("cannot set %s" % name)


def check_hidden(kconf, tag, header_text):
    for switch, names in HIDDEN_BY.items():
        if kconf.syms[switch].str_value == "y":
            continue
        for name in names:
            if re.search(r"\bCONFIG_%s\b" % name, header_text):
                fail("%s: %s is off but CONFIG_%s is in the header" % (tag, switch, name))


def main():
    work = tempfile.mkdtemp(prefix="fwc-host-kconfig-")
    try:
        kconf = load(work)
        check_structure(kconf, work)
        syms = fwc_symbols(kconf)
        tasks = []
        for conf_name, settings in list(configurations(kconf)):
            apply(kconf, settings)
            want = expected(kconf, syms)
            on = {n: kconf.syms[n].str_value == "y" for n in CODE_OF}
            for host, (filename, banner, flags) in HOSTS.items():
                tag = "%s/%s" % (host, conf_name)
                d = os.path.join(work, host, conf_name.replace("=", "-"))
                os.makedirs(d)
                path = os.path.join(d, filename)
                if banner is None:
                    kconf.write_autoconf(path)
                else:
                    kconf.write_autoconf(path, header=banner)
                check_hidden(kconf, tag, open(path).read())
                # The three headers are the same; fwc's objects are built
                # against the first, the probe against each.
                tasks.append((tag, flags(d), d, want, on, host == "zephyr"))
        # Without a configuration system: config.h's own defaults.
        apply(kconf, {})
        tasks.append(("no configuration system", [], os.path.join(work, "none"),
                      dict(expected(kconf, syms), FWC_CONFIG_SYSTEM="0"),
                      {n: kconf.syms[n].str_value == "y" for n in CODE_OF}, True))
        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
            results = pool.map(lambda t: (t, build(t[0], t[1], t[2], syms, t[5])), tasks)
            for (tag, _, _, want, on, objects), (values, symbols) in results:
                if values is None:
                    fail("%s: does not compile: %s" % (tag, symbols))
                else:
                    check_build(tag, values, symbols, want, on, objects)
        print("%d builds against host-generated headers (%s), %d problems"
              % (len(tasks), ", ".join(HOSTS), len(failures)))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
