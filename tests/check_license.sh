#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Every file in the repository names its license in its first lines, and
# the license file is there. Fuzz corpora are data, not code, and are left
# out. Run from the top of a git checkout.
set -u
[ -f LICENSE ] && grep -q '^MIT License' LICENSE || { echo "LICENSE is missing or not MIT"; exit 1; }
missing=$(git ls-files | grep -v '/corpus/' | grep -vx 'LICENSE' | while read -r f; do
  head -n 3 "$f" | grep -q 'SPDX-License-Identifier: MIT' || echo "$f"
done)
if [ -n "$missing" ]; then
  echo "files without an SPDX-License-Identifier: MIT line in their first 3 lines:"
  printf '  %s\n' $missing
  exit 1
fi
echo "every file names its license ($(git ls-files | grep -vc '/corpus/') files)"
