#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""fwc's footprint on Cortex-M4, from a linked program (make size).

    size.py DIR... [--check]     (DIR named full, token or tokenmin)

Each DIR holds program.elf, its linker map program.map, and the objects
with GCC's call graphs (*.ci, -fcallgraph-info=su). Prints:
- flash (text + rodata) and static RAM (data, bss) per module, for the full
  program (token, one API request, upload) and the token-only one, counting
  only the input sections the linker kept (--gc-sections);
- the worst-case stack of fwc's own frames from each public entry point,
  along the call graph. Calls into mbedTLS, the C library and the port are
  not fwc's frames and count 0 here; the path shows where they happen.
  Indirect calls (transport ops, body readers, sinks) are resolved to every
  fwc function whose address the source takes, an over-approximation; such
  a callback's own indirect calls reach the application, not fwc.
With --check, exits non-zero when fwc has any .data or .bss (the target is
none: all state lives in the application's struct) or its worst-case stack
exceeds 1 KiB.
"""
import collections
import glob
import os
import re
import sys

FLASH_TARGET = {"full": 8192, "token": 4096}
STACK_TARGET = 1024
ENTRIES = {"full": ["fwc_client_init_checked", "fwc_token", "fwc_request", "fwc_upload",
                    "fwc_client_close"],
           "token": ["fwc_client_init_checked", "fwc_token", "fwc_client_close"]}


def kind_of(section):
    if section.startswith((".text", ".rodata", ".ARM.extab", ".ARM.exidx")):
        return "text"
    if section.startswith(".data"):
        return "data"
    if section.startswith((".bss", "COMMON")):
        return "bss"
    return None


def module_of(path):
    """A row name: fwc's own files one by one, the rest grouped."""
    m = re.search(r"/(src|port|tests/cross)/(.+)\.o$", path)
    if m:
        return {"src": "", "port": "port/", "tests/cross": "app: "}[m.group(1)] + m.group(2)
    m = re.search(r"lib(mbedtls|mbedx509|mbedcrypto)\.a\(", path)
    if m:
        return "mbedTLS: lib" + m.group(1)
    return "C library and startup"


def kept_sections(map_path):
    """(section, size, file) for every input section in the final image."""
    out = []
    with open(map_path) as f:
        lines = f.read().split("\n")
    start = next(i for i, l in enumerate(lines) if l.startswith("Linker script and memory map"))
    pending = None
    for line in lines[start:]:
        m = re.match(r"^ (\S+)\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S.*)$", line)
        if m:
            out.append((m.group(1), int(m.group(3), 16), m.group(4)))
            pending = None
            continue
        m = re.match(r"^ (\S+)$", line)
        if m:
            pending = m.group(1)
            continue
        m = re.match(r"^\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S.*)$", line)
        if m and pending:
            out.append((pending, int(m.group(2), 16), m.group(3)))
        pending = None
    return [(s, n, p) for s, n, p in out if n > 0 and kind_of(s)]


def footprint(d):
    rows = collections.defaultdict(lambda: {"text": 0, "data": 0, "bss": 0})
    for section, size, path in kept_sections(os.path.join(d, "program.map")):
        rows[module_of(path)][kind_of(section)] += size
    return rows


def call_graph(d):
    """frames: function -> bytes; calls: function -> callees, from fwc's src/."""
    frames, calls = {}, collections.defaultdict(set)
    for ci in glob.glob(os.path.join(d, "src", "*.ci")):
        text = open(ci).read()
        for title, label in re.findall(r'node: \{ title: "([^"]+)" label: "([^"]*)"', text):
            m = re.search(r"\\n(\d+) bytes \((\w[\w,]*)\)", label)
            if m:
                frames[title] = int(m.group(1))
        for src, dst in re.findall(r'edge: \{ sourcename: "([^"]+)" targetname: "([^"]+)"', text):
            calls[src].add(dst)
    callbacks = {f for f in frames if address_taken(f)}
    for f in calls:
        if "__indirect_call" in calls[f]:
            calls[f].discard("__indirect_call")
            # A callback's own indirect calls reach the application (its
            # reader, seek or sink), not fwc.
            if f not in callbacks:
                calls[f] |= callbacks
    return frames, calls


def address_taken(fn):
    """Whether fwc's source uses fn other than by calling it (an ops table,
    a .read = fn): only such functions can be reached by an indirect call.
    fn is "name" (global) or "src/file.c:name" (static)."""
    if ":" in fn:
        path, name = fn.rsplit(":", 1)
        files = [path]
    else:
        name, files = fn, glob.glob("src/*.c")
    use = re.compile(r"\b" + re.escape(name) + r"\b(?!\s*\()")
    return any(use.search(code_of(f)) for f in files if os.path.exists(f))


def code_of(path):
    """A source file without its comments and string literals."""
    text = open(path).read()
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    return re.sub(r'"(\\.|[^"\\])*"', '""', text)


def worst_stack(fn, frames, calls, seen=()):
    """(bytes, path) of the deepest chain of fwc frames from fn."""
    if fn not in frames or fn in seen:
        return 0, [fn] if fn not in frames else [fn + " (recursion!)"]
    best, best_path = 0, []
    for callee in sorted(calls.get(fn, ())):
        n, path = worst_stack(callee, frames, calls, seen + (fn,))
        if n > best or not best_path:
            best, best_path = n, path
    return frames[fn] + best, [fn] + best_path


def short(name):
    return name.split(":")[-1]


COLUMNS = {"full": "full", "token": "token-only", "tokenmin": "token, minimal"}


def is_fwc(module):
    return not module.startswith(("mbedTLS", "C library", "port/", "app"))


def main(argv):
    check = "--check" in argv
    dirs = [a for a in argv if not a.startswith("--")]
    names = [os.path.basename(os.path.normpath(d)) for d in dirs]
    prints = {n: footprint(d) for n, d in zip(names, dirs)}
    modules = sorted(set().union(*prints.values()), key=lambda m: (not is_fwc(m), m))
    print("Cortex-M4 thumb, arm-none-eabi-gcc -Os, --gc-sections; bytes kept in the image")
    print(f"{'module':28}" + "".join(f" {COLUMNS.get(n, n) + ': flash':>21} {'RAM':>6}" for n in names))
    fwc = {n: {"flash": 0, "ram": 0} for n in names}
    for m in modules:
        line = f"{m:28}"
        for n in names:
            r = prints[n].get(m, {"text": 0, "data": 0, "bss": 0})
            flash, ram = r["text"] + r["data"], r["data"] + r["bss"]
            line += f" {flash:>21} {ram:>6}"
            if is_fwc(m):
                fwc[n]["flash"] += flash
                fwc[n]["ram"] += ram
        print(line)
    failed = False
    for n in names:
        flash, target = fwc[n]["flash"], FLASH_TARGET.get(n, FLASH_TARGET["token"])
        verdict = "met" if flash <= target else f"missed by {flash - target} ({flash / target:.1f}x)"
        print(f"fwc + jsmn, {COLUMNS.get(n, n)}: flash {flash} bytes, target {target}: {verdict}; "
              f"static RAM {fwc[n]['ram']} bytes (target 0)")
        failed |= fwc[n]["ram"] != 0
    print()
    print("Worst-case stack of fwc's own frames (mbedTLS, libc and port frames not included):")
    for n, d in zip(names, dirs):
        frames, calls = call_graph(d)
        for entry in ENTRIES.get(n, ENTRIES["token"]):
            if entry not in frames:
                continue
            total, path = worst_stack(entry, frames, calls)
            print(f"  {n:8} {entry:17} {total:5} bytes  "
                  + " > ".join(f"{short(p)} {frames[p]}" if p in frames else short(p) for p in path))
            failed |= total > STACK_TARGET
    if check and failed:
        print("FAILED: fwc has static RAM or a stack over 1 KiB")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
