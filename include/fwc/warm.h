/* SPDX-License-Identifier: MIT */
/* Warm starts: carry a client's access token and TLS session across a
 * reboot, a deep sleep or a new process, so the next run skips the token
 * request and the full handshake.
 *
 * The export HOLDS SECRETS: the access token, and the TLS session's master
 * secret (whoever has it can read or forge that session's traffic). Store
 * it where the board stores the client secret, with the same protection,
 * and wipe the buffer after storing it.
 *
 * Typical use on a device:
 *
 *   boot:   fwc_client_init(&c, &cfg);
 *           if (board_load_warm(buf, &len))
 *               (void)fwc_warm_import(&c, buf, len);   any error: cold start
 *   work:   fwc_request(&c, ...) / fwc_upload(&c, ...)
 *   sleep:  if (fwc_warm_export(&c, buf, sizeof buf, &len) == FWC_OK)
 *               board_store_warm(buf, len);
 *           fwc_client_close(&c);
 */
#ifndef FWC_WARM_H
#define FWC_WARM_H

#include <stddef.h>
#include <stdint.h>

#include "fwc/client.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The largest export, and so a buffer that always holds one: the header
 * and check value, the base URL, the client ID, the token with its times,
 * and the TLS session (CONFIG_FWC_WARM_SESSION_MAX, none in a build
 * without fwc's own TLS or without session resumption). */
/* "https://" [host]:port prefix */
#define FWC_WARM_URL_KEY_MAX (8 + 2 + CONFIG_FWC_URL_HOST_MAX + 6 + CONFIG_FWC_URL_PREFIX_MAX)
#define FWC_WARM_MAX                                                                        \
    (5 + 2 + FWC_WARM_URL_KEY_MAX + 2 + CONFIG_FWC_CLIENT_ID_MAX + 2 + CONFIG_FWC_TOKEN_MAX + \
     20 + 2 + FWCI_WARM_SESSION_ROOM + 4)

/* What fwc_warm_import() took over (a bit set in *used). */
#define FWC_WARM_USED_TOKEN 0x1u   /* the token: no token request until it is due */
#define FWC_WARM_USED_SESSION 0x2u /* the TLS session: the next connect offers it */

/* Write the client's token (its expiry as wall-clock time) and its TLS
 * session into out. The export is versioned and bound to the client's base
 * URL and client ID; a part the client does not have (no token yet, no
 * session, a wall clock the port does not know for the token) is left out,
 * and so is a session larger than CONFIG_FWC_WARM_SESSION_MAX (logged).
 * The client ID bound to is the one the held token was fetched with; with
 * no token, the secret hook's (fwc_secret_get(), only the ID is asked for).
 * Returns:
 *   FWC_OK
 *   FWC_ERR_INVALID_ARG    NULL arguments, a closed client
 *   FWC_ERR_BODY_TOO_LARGE out cannot hold it (FWC_WARM_MAX always can)
 *   what fwc_secret_get() fails with, when there is no token and the
 *                          client ID cannot be read
 * out is wiped on every error. */
FWC_NODISCARD enum fwc_err fwc_warm_export(struct fwc_client *c, uint8_t *out, size_t cap,
                                           size_t *out_len);

/* Take over what an earlier export holds, into a client just initialised
 * with the same base URL. What no longer applies is skipped without an
 * error: a token that has expired (or whose expiry the wall clock cannot
 * tell, or a wall clock earlier than at the export), an export for another
 * base URL or client ID (then nothing is taken). The client ID is checked
 * against the secret hook's, asked for the ID only; fwc's copy is wiped
 * right after. A token taken is renewed when a token fetched at its fetch
 * time would be (CONFIG_FWC_TOKEN_RENEW_*), from the remaining lifetime the
 * wall clock gives; one already past that point at a random point of the
 * first half of the time it has left (a fleet's overdue tokens must not
 * all renew in the boot second). A session the server no longer accepts costs one full handshake
 * on the next connect, as a cold start would. *used (may be NULL) says
 * what was taken.
 * Returns:
 *   FWC_OK                  (even when nothing applied: see *used)
 *   FWC_ERR_INVALID_ARG     NULL arguments, a closed client
 *   FWC_ERR_WARM_FORMAT     not an export of this fwc (magic, version,
 *                           lengths, check value, a field out of range),
 *                           truncated or corrupted: nothing taken, the
 *                           client starts cold
 *   what fwc_secret_get() fails with, when the client ID cannot be read
 *                           to check the binding: nothing taken */
FWC_NODISCARD enum fwc_err fwc_warm_import(struct fwc_client *c, const uint8_t *in, size_t len,
                                           unsigned *used);

#ifdef __cplusplus
}
#endif

#endif
