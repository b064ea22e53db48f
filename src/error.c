/* SPDX-License-Identifier: MIT */
/* Names for enum fwc_err. Constant strings only: safe to log. */
#include "fwc/error.h"

const char *fwc_strerror(enum fwc_err err)
{
    switch (err) {
    case FWC_OK: return "success";
    case FWC_ERR_INVALID_ARG: return "invalid argument";
    case FWC_ERR_TIMEOUT: return "timed out";
    case FWC_ERR_DNS: return "host name did not resolve";
    case FWC_ERR_CONNECT: return "connection refused or unreachable";
    case FWC_ERR_CONN_RESET: return "connection reset by peer";
    case FWC_ERR_CONN_CLOSED: return "connection closed by peer";
    case FWC_ERR_TRANSPORT: return "transport failure";
    case FWC_ERR_TLS_HANDSHAKE: return "TLS handshake failed";
    case FWC_ERR_TLS_CERT: return "server certificate rejected";
    case FWC_ERR_TLS: return "TLS failure";
    case FWC_ERR_PLAINTEXT: return "plaintext http:// not allowed by this build";
    case FWC_ERR_URL: return "invalid URL";
    case FWC_ERR_HTTP_STATUS_LINE: return "malformed HTTP status line";
    case FWC_ERR_HTTP_HEADER: return "malformed HTTP header";
    case FWC_ERR_HTTP_LINE_TOO_LONG: return "HTTP line over its limit";
    case FWC_ERR_HTTP_TOO_MANY_HEADERS: return "too many HTTP headers";
    case FWC_ERR_HTTP_CONTENT_LENGTH: return "invalid or conflicting Content-Length";
    case FWC_ERR_HTTP_FRAMING: return "unsupported or ambiguous HTTP message framing";
    case FWC_ERR_HTTP_CHUNK: return "malformed chunked encoding";
    case FWC_ERR_HTTP_TRUNCATED: return "HTTP response cut short";
    case FWC_ERR_HTTP_HEADER_TOO_LARGE: return "the server answered; a header fwc needs was too long";
    case FWC_ERR_BODY_TOO_LARGE: return "HTTP body too large";
    case FWC_ERR_HTTP_STATUS: return "unexpected HTTP status";
    case FWC_ERR_REQUEST_TOO_LARGE: return "HTTP request head does not fit the I/O buffer";
    case FWC_ERR_BODY_READER: return "request body reader failed";
    case FWC_ERR_SINK: return "response sink stopped the transfer";
    case FWC_ERR_TOKEN_TOO_LARGE: return "access token too large for its buffer";
    case FWC_ERR_OAUTH_INVALID_CLIENT: return "OAuth: invalid client credentials";
    case FWC_ERR_OAUTH_ACCESS_DENIED: return "OAuth: access denied";
    case FWC_ERR_OAUTH: return "OAuth error";
    case FWC_ERR_TOKEN_RESPONSE: return "unusable token response";
    case FWC_ERR_UNAUTHORIZED: return "unauthorized even after token renewal";
    case FWC_ERR_RATE_LIMITED: return "rate limited";
    case FWC_ERR_SECRET_UNAVAILABLE: return "client secret unavailable";
    case FWC_ERR_JSON: return "unusable JSON";
    case FWC_ERR_UPLOAD_FAILED: return "the server reports the upload failed";
    case FWC_ERR_ENTROPY: return "the entropy source failed";
    case FWC_ERR_CONFIG_MISMATCH: return "program and library built with different fwc configurations";
    case FWC_ERR_PROXY_AUTH: return "the proxy wants other credentials (407)";
    case FWC_ERR_PROXY: return "the proxy refused the tunnel";
    case FWC_ERR_PROXY_CLOSED: return "the proxy closed the connection";
    case FWC_ERR_WARM_FORMAT: return "not a warm-start export of this fwc";
    }
    return "unknown error";
}
