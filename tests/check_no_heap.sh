#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The library allocates nothing: no object built from src/ or port/ may
# reference an allocator. Reads the undefined symbols with nm.
set -u
[ "$#" -gt 0 ] || { echo "no objects given"; exit 1; }
heap_refs() {
  nm -u "$1" | awk '{print $NF}' |
    grep -xE '(malloc|calloc|realloc|free|strdup|strndup|reallocarray|aligned_alloc|posix_memalign)'
}

# First prove the check can fail: an object that calls malloc must be caught.
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
printf '#include <stdlib.h>\nvoid *probe(void) { return malloc(1); }\n' > "$probe/p.c"
cc -c "$probe/p.c" -o "$probe/p.o" && heap_refs "$probe/p.o" >/dev/null ||
  { echo "self-check failed: malloc not detected"; exit 1; }

bad=0
for o in "$@"; do
  [ -f "$o" ] || { echo "missing object $o"; exit 1; }
  hits=$(heap_refs "$o")
  if [ -n "$hits" ]; then
    echo "$o references: $hits"
    bad=1
  fi
done
[ "$bad" -eq 0 ] && echo "no heap calls in $# objects"
exit "$bad"
