#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Every file in the repository names its license in its first lines, and
# the license file is there. Fuzz corpora are data, not code, and are left
# out. A PNG has no lines: it names its license in a text chunk right
# after its header, within its first 128 bytes. Run from the top of a git
# checkout.
set -u
[ -f LICENSE ] && grep -q '^MIT License' LICENSE || { echo "LICENSE is missing or not MIT"; exit 1; }
names_license() {
  case "$1" in
    *.png) head -c 128 "$1" | grep -aq 'SPDX-License-Identifier: MIT' ;;
    *) head -n 3 "$1" | grep -q 'SPDX-License-Identifier: MIT' ;;
  esac
}
missing=$(git ls-files | grep -v '/corpus/' | grep -vx 'LICENSE' | while read -r f; do
  names_license "$f" || echo "$f"
done)
if [ -n "$missing" ]; then
  echo "files without an SPDX-License-Identifier: MIT line in their first 3 lines:"
  printf '  %s\n' $missing
  exit 1
fi
echo "every file names its license ($(git ls-files | grep -vc '/corpus/') files)"
