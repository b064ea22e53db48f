// SPDX-License-Identifier: MIT
// The same application in C++ (an ESP-IDF main.cpp, a Qt kiosk app): fwc's
// headers included as they are, no extern "C" of its own, so a header
// without its guard fails the link. Exit 0 only with a token in hand.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>

#include <fwc/oauth.h>
#include <fwc/version.h>

static fwc_client client;

int main()
{
    const char *url = std::getenv("FWC_URL");
    const char *ca_path = std::getenv("FWC_CA_FILE");
    if (url == nullptr || ca_path == nullptr) {
        std::fprintf(stderr, "consumer: set FWC_URL and FWC_CA_FILE\n");
        return 2;
    }
    std::ifstream in(ca_path, std::ios::binary);
    std::string ca((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    fwc_client_config cfg;
    std::memset(&cfg, 0, sizeof(cfg));
    cfg.base_url = url;
    cfg.ca = reinterpret_cast<const unsigned char *>(ca.c_str());
    cfg.ca_len = ca.size() + 1; // PEM: the NUL counts
    static char token[CONFIG_FWC_TOKEN_MAX + 1];
    size_t len = 0;
    fwc_err err = fwc_client_init(&client, &cfg);
    if (err == FWC_OK)
        err = fwc_token(&client, token, sizeof(token), &len);
    fwc_client_close(&client);
    if (err != FWC_OK || len == 0) {
        std::fprintf(stderr, "consumer (C++, fwc %s): no token: %s\n", FWC_VERSION, fwc_strerror(err));
        return 1;
    }
    std::printf("consumer (C++, fwc %s): token of %zu characters\n", FWC_VERSION, len);
    return 0;
}
