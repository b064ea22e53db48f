/* SPDX-License-Identifier: MIT */
/* fwc result codes: 0 is success, every negative value names a failure the
 * caller can act on. Values are stable; new codes are only ever appended. */
#ifndef FWC_ERROR_H
#define FWC_ERROR_H

#if defined(__GNUC__) || defined(__clang__)
#define FWC_NODISCARD __attribute__((warn_unused_result))
#else
#define FWC_NODISCARD
#endif

#ifdef __cplusplus
extern "C" {
#endif

enum fwc_err {
    FWC_OK = 0,

    /* The application passed something unusable (NULL, bad size, a header
     * with CR/LF in it, ...). Fix the call, not the network. */
    FWC_ERR_INVALID_ARG = -1,

    /* Network and transport. */
    FWC_ERR_TIMEOUT = -2,          /* an operation or the whole exchange ran out of time */
    FWC_ERR_DNS = -3,              /* host name did not resolve */
    FWC_ERR_CONNECT = -4,          /* TCP connect refused or unreachable */
    FWC_ERR_CONN_RESET = -5,       /* peer reset the connection */
    FWC_ERR_CONN_CLOSED = -6,      /* peer closed before a complete response */
    /* -7 is retired: it was FWC_ERR_WOULD_BLOCK, which nothing returned. */
    FWC_ERR_TRANSPORT = -8,        /* any other transport failure */

    /* TLS. */
    FWC_ERR_TLS_HANDSHAKE = -9,    /* handshake failed (protocol, cipher, peer alert) */
    FWC_ERR_TLS_CERT = -10,        /* server certificate rejected (CA, host name, dates) */
    FWC_ERR_TLS = -11,             /* TLS failure after the handshake */
    FWC_ERR_PLAINTEXT = -12,       /* http:// refused: CONFIG_FWC_ALLOW_HTTP is off */
    FWC_ERR_URL = -13,             /* base URL could not be parsed */

    /* HTTP response. */
    FWC_ERR_HTTP_STATUS_LINE = -14,    /* status line is not HTTP/1.0 or 1.1 NNN */
    FWC_ERR_HTTP_HEADER = -15,         /* malformed header line (syntax, obs-fold, NUL) */
    FWC_ERR_HTTP_LINE_TOO_LONG = -16,  /* status, header or chunk-size line over its limit */
    FWC_ERR_HTTP_TOO_MANY_HEADERS = -17,
    FWC_ERR_HTTP_CONTENT_LENGTH = -18, /* invalid, overflowing or conflicting Content-Length */
    FWC_ERR_HTTP_FRAMING = -19,        /* both Content-Length and Transfer-Encoding, or an
                                          unsupported transfer coding */
    FWC_ERR_HTTP_CHUNK = -20,          /* malformed chunk size line or chunk terminator */
    FWC_ERR_HTTP_TRUNCATED = -21,      /* connection ended inside the response */
    FWC_ERR_HTTP_HEADER_TOO_LARGE = -22, /* the server answered (status in the response), but
                                            a header fwc must act on, a 429/503's
                                            Retry-After, does not fit its slot */
    FWC_ERR_BODY_TOO_LARGE = -23,      /* body over the limit or the caller's buffer */
    FWC_ERR_HTTP_STATUS = -24,         /* an unexpected HTTP status (see fwc_http_status) */

    /* HTTP request. */
    FWC_ERR_REQUEST_TOO_LARGE = -25,   /* request head does not fit the I/O buffer */
    FWC_ERR_BODY_READER = -26,         /* body reader failed or gave fewer bytes than declared */
    FWC_ERR_SINK = -27,                /* the response sink asked to stop */

    /* OAuth and API (used by the token and request layers). */
    FWC_ERR_TOKEN_TOO_LARGE = -28,     /* access token longer than the token buffer */
    FWC_ERR_OAUTH_INVALID_CLIENT = -29,
    FWC_ERR_OAUTH_ACCESS_DENIED = -30,
    FWC_ERR_OAUTH = -31,               /* another OAuth error (see the error string) */
    FWC_ERR_TOKEN_RESPONSE = -32,      /* 200 answer that is not a usable token */
    FWC_ERR_UNAUTHORIZED = -33,        /* 401 even with a freshly fetched token */
    FWC_ERR_RATE_LIMITED = -34,        /* 429/503 and the retry budget is spent */
    FWC_ERR_SECRET_UNAVAILABLE = -35,  /* the secret hook could not supply the secret */
    FWC_ERR_JSON = -36,                /* JSON that fwc cannot use */
    FWC_ERR_UPLOAD_FAILED = -37,       /* the server reports the upload failed */
    FWC_ERR_ENTROPY = -38,             /* the port's entropy source failed */

    /* Build. The program was compiled with other CONFIG_FWC_* values than
     * the library (FWC_CONFIG_FINGERPRINT or sizeof(struct fwc_client)
     * differ): rebuild both with one configuration. */
    FWC_ERR_CONFIG_MISMATCH = -39,

    /* HTTP proxy (CONNECT). */
    FWC_ERR_PROXY_AUTH = -40,          /* the proxy answered 407: credentials missing or refused */
    FWC_ERR_PROXY = -41,               /* the proxy refused the tunnel (a non-2xx answer) */
    FWC_ERR_PROXY_CLOSED = -42,        /* the proxy closed before its answer to CONNECT ended */

    /* Warm starts (fwc/warm.h). */
    FWC_ERR_WARM_FORMAT = -43          /* not a warm-start export of this fwc: bad magic,
                                          version, lengths or check value */
};

/* The most negative code; moves when a code is appended. */
#define FWC_ERR_MIN FWC_ERR_WARM_FORMAT

/* A short, constant, English name for err. Never NULL, never contains
 * request or response data, so it is safe to log. */
const char *fwc_strerror(enum fwc_err err);

#ifdef __cplusplus
}
#endif

#endif
