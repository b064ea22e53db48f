// SPDX-License-Identifier: MIT
// fwc's public headers in a C++ program (an ESP-IDF main.cpp, a Qt app):
// config.mk compiles this with every include/fwc/*.h force-included, as
// C++11 and C++20, warning-free, and links it against the C library. A
// header without extern "C" makes C++ look for mangled names: the link
// fails on its function. Each header's functions are named below; the
// secret hook is defined here, in C++, as an application would.
#include <cstdio>
#include <cstring>

#include "fwc/client.h"
#include "fwc/oauth.h"
#include "fwc/port.h"
#include "fwc/secret.h"
#include "fwc/upload.h"
#include "fwc/version.h"

// Declared in fwc/secret.h, so C linkage without saying it again here.
enum fwc_err fwc_secret_get(void *ctx, enum fwc_secret_item item, char *buf, size_t cap,
                            size_t *out_len)
{
    (void)ctx;
    (void)item;
    (void)buf;
    (void)cap;
    *out_len = 0;
    return FWC_ERR_SECRET_UNAVAILABLE;
}

namespace {

enum fwc_err t_open(void *, uint32_t) { return FWC_ERR_CONNECT; }
int32_t t_send(void *, const uint8_t *, size_t, uint32_t) { return FWC_ERR_TRANSPORT; }
int32_t t_recv(void *, uint8_t *, size_t, uint32_t) { return FWC_ERR_TRANSPORT; }
void t_close(void *) {}

struct fwc_client client;

} // namespace

int main()
{
    // Every function an application or a port sees, by header; taking the
    // address is enough for the linker to look for it.
    typedef void (*any_fn)(void);
    const any_fn functions[] = {
        // client.h
        reinterpret_cast<any_fn>(&fwc_request),
        reinterpret_cast<any_fn>(&fwc_client_retry_after),
        reinterpret_cast<any_fn>(&fwc_client_http_status),
        reinterpret_cast<any_fn>(&fwc_client_oauth_error),
        reinterpret_cast<any_fn>(&fwc_client_cert_problems),
        // oauth.h
        reinterpret_cast<any_fn>(&fwc_token),
        reinterpret_cast<any_fn>(&fwc_token_invalidate),
        reinterpret_cast<any_fn>(&fwc_token_seconds_left),
        reinterpret_cast<any_fn>(&fwc_token_renew_error),
        // upload.h
        reinterpret_cast<any_fn>(&fwc_upload),
        // port.h (the POSIX port, in the library archive)
        reinterpret_cast<any_fn>(&fwc_port_now_ms),
        reinterpret_cast<any_fn>(&fwc_port_sleep_ms),
        reinterpret_cast<any_fn>(&fwc_port_entropy),
        reinterpret_cast<any_fn>(&fwc_port_wall_time),
        reinterpret_cast<any_fn>(&fwc_port_log),
    };
    const struct fwc_transport transport = {t_open, t_send, t_recv, t_close, nullptr, nullptr};
    struct fwc_client_config cfg;
    std::memset(&cfg, 0, sizeof(cfg));
    cfg.base_url = "https://fotoweb.example.com";
    cfg.transport = &transport;

    // client.h, error.h, version.h, called.
    enum fwc_err err = fwc_client_init(&client, &cfg);
    std::printf("fwc %s (%ld) from C++: %s, %s; %zu functions linked\n", fwc_version(),
                fwc_version_number(), fwc_strerror(err), fwc_client_host(&client),
                sizeof(functions) / sizeof(functions[0]));
    bool ok = err == FWC_OK && fwc_client_last_error(&client) == FWC_OK &&
              std::strcmp(fwc_client_host(&client), "fotoweb.example.com") == 0 &&
              std::strcmp(fwc_version(), FWC_VERSION) == 0;
    fwc_client_close(&client);
    return ok ? 0 : 1;
}
