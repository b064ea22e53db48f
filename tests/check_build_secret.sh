#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# CONFIG_FWC_SECRET_BUILD end to end, in a copy of the tree: a secrets file
# outside the tree becomes a masked header under build/gen; the library's
# secret hook gives the values back; the plain secret appears nowhere in
# the objects, the archive or a linked program; a secrets file inside the
# tree is refused.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
PY=${PYTHON:-/usr/bin/python3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
secret='Zq8+xY/3w=Kp&R2vT9mN4bLs7Hc1Fd6G'
client_id='fwc-build-test-client'
mkdir -p "$work/tree" "$work/outside"
cp -r "$top/Kconfig" "$top/Kconfig.fwc" "$top/Makefile" "$top/fwc.mk" "$top/include" "$top/src" "$top/port" "$work/tree/"
mkdir -p "$work/tree/tests" && cp -r "$top/tests/unit" "$top/tests/run.sh" "$work/tree/tests/"
printf 'client_id=%s\nclient_secret=%s\n' "$client_id" "$secret" > "$work/outside/secrets"
cd "$work/tree"
make -s defconfig >/dev/null
"$PY" -m setconfig FWC_SECRET_BUILD=y "FWC_SECRETS_FILE=$work/outside/secrets" >/dev/null
make -s build/libfwc.a >/dev/null
[ -f build/gen/fwc_secrets.h ] || { echo "no generated header"; exit 1; }
cat > probe.c <<'C'
#include <stdio.h>
#include <string.h>
#include "fwc/secret.h"
int main(void)
{
    char id[128], secret[128];
    size_t id_len = 0, secret_len = 0;
    if (fwc_secret_get(NULL, FWC_SECRET_CLIENT_ID, id, sizeof(id), &id_len) != FWC_OK ||
        fwc_secret_get(NULL, FWC_SECRET_CLIENT_SECRET, secret, sizeof(secret), &secret_len) != FWC_OK)
        return 1;
    /* Print a digest-free comparison result, not the values. */
    printf("%d %d\n", id_len == strlen(EXPECT_ID) && memcmp(id, EXPECT_ID, id_len) == 0,
           secret_len == strlen(EXPECT_SECRET) && memcmp(secret, EXPECT_SECRET, secret_len) == 0);
    return 0;
}
C
# Two builds of the probe: one that carries the expected values (to check
# them), and one that does not (to search for the secret in).
gcc -std=c99 -O2 -Iinclude -Ibuild/gen -DFWC_CONFIG_HEADER='"fwc_config.h"' \
  -DEXPECT_ID="\"$client_id\"" -DEXPECT_SECRET="\"$secret\"" probe.c build/libfwc.a \
  -lmbedtls -lmbedx509 -lmbedcrypto -o probe_with_expectations
[ "$(./probe_with_expectations)" = "1 1" ] || { echo "secret hook gave wrong values"; exit 1; }
gcc -std=c99 -O2 -Iinclude -Ibuild/gen -DFWC_CONFIG_HEADER='"fwc_config.h"' \
  -DEXPECT_ID='"x"' -DEXPECT_SECRET='"y"' probe.c build/libfwc.a \
  -lmbedtls -lmbedx509 -lmbedcrypto -o probe_plain
for f in build/libfwc.a build/gcc/src/secret/secret_build.o probe_plain; do
  if grep -q -a -F -- "$secret" "$f"; then echo "plain secret found in $f"; exit 1; fi
  # A leak of half the secret would be as bad.
  if grep -q -a -F -- "${secret:0:12}" "$f"; then echo "part of the secret found in $f"; exit 1; fi
done
# The check can fail: the binary that carries the expectation does contain it.
grep -q -a -F -- "$secret" probe_with_expectations || { echo "self-check failed"; exit 1; }
# Another customer's file, older than the first, still rebuilds the header.
printf 'client_id=%s\nclient_secret=%s\n' other-customer 'Another-Secret-9' > "$work/outside/secrets2"
touch -d '2001-01-01' "$work/outside/secrets2"
make -s build/libfwc.a FWC_SECRETS_FILE="$work/outside/secrets2" >/dev/null
gcc -std=c99 -O2 -Iinclude -Ibuild/gen -DFWC_CONFIG_HEADER='"fwc_config.h"' \
  -DEXPECT_ID='"other-customer"' -DEXPECT_SECRET='"Another-Secret-9"' probe.c build/libfwc.a \
  -lmbedtls -lmbedx509 -lmbedcrypto -o probe_second
[ "$(./probe_second)" = "1 1" ] || { echo "an older secrets file did not replace the header"; exit 1; }
# The unit tests still link with a build-provisioned secret configured.
make -s build/asan/tests/unit/test_error >/dev/null 2>&1 ||
  { echo "unit tests do not link with CONFIG_FWC_SECRET_BUILD"; exit 1; }
# A secrets file inside the tree is refused.
cp "$work/outside/secrets" ./secrets
if "$PY" src/secret/gen_header.py ./secrets build/gen/x.h . 2>/dev/null; then
  echo "a secrets file inside the tree was accepted"; exit 1
fi
echo "build-provisioned secret: recovered, and not in the archive, object or program"
