/* SPDX-License-Identifier: MIT */
/* Form encoding (application/x-www-form-urlencoded as FotoWeb and WHATWG
 * read it) and base64 (RFC 4648): every byte value against an expectation
 * computed here, the RFC vectors, and the capacity edges with canary bytes
 * after the caller's buffer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "encode.h"

#define CANARY 0xCC
#define CANARY_LEN 16

/* ---- Expectations computed independently of encode.c ------------------- */

/* The bytes the form rule leaves alone, spelled out. */
static const char form_keep[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                "abcdefghijklmnopqrstuvwxyz"
                                "0123456789"
                                "-._*";

/* Expected encoding of byte b, NUL-terminated, into e[4]. */
static size_t expect_form_byte(unsigned b, char e[4])
{
    if (b != 0 && memchr(form_keep, (int)b, sizeof form_keep - 1) != NULL) {
        e[0] = (char)b;
        e[1] = '\0';
        return 1;
    }
    if (b == 0x20) {
        e[0] = '+';
        e[1] = '\0';
        return 1;
    }
    (void)snprintf(e, 4, "%%%02X", b);
    return 3;
}

/* Expected encoding of in[0..len) into a heap string (caller frees). */
static char *expect_form(const uint8_t *in, size_t len, size_t *elen)
{
    char *e = malloc(3 * len + 1);
    size_t n = 0, i;
    assert_non_null(e);
    for (i = 0; i < len; i++) {
        char piece[4];
        size_t k = expect_form_byte(in[i], piece);
        memcpy(e + n, piece, k);
        n += k;
    }
    e[n] = '\0';
    *elen = n;
    return e;
}

/* A base64 decoder of our own, to check the encoder on arbitrary input. */
static int b64_value(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

/* Decode s[0..n) (n a multiple of 4, '=' padding) into out; -1 if bad. */
static long b64_decode(const char *s, size_t n, uint8_t *out)
{
    size_t i, o = 0;
    if (n % 4 != 0)
        return -1;
    for (i = 0; i < n; i += 4) {
        int v[4], k, pad = 0;
        for (k = 0; k < 4; k++) {
            if (s[i + (size_t)k] == '=' && i + 4 == n && k >= 2) {
                v[k] = 0;
                pad++;
            } else {
                if (pad)
                    return -1; /* data after '=' */
                v[k] = b64_value(s[i + (size_t)k]);
                if (v[k] < 0)
                    return -1;
            }
        }
        {
            unsigned long w = ((unsigned long)v[0] << 18) | ((unsigned long)v[1] << 12) |
                              ((unsigned long)v[2] << 6) | (unsigned long)v[3];
            out[o++] = (uint8_t)(w >> 16);
            if (pad < 2)
                out[o++] = (uint8_t)((w >> 8) & 0xFF);
            if (pad < 1)
                out[o++] = (uint8_t)(w & 0xFF);
            /* Canonical: the bits dropped by padding are zero. */
            if ((pad == 1 && (w & 0xFF) != 0) || (pad == 2 && (w & 0xFFFF) != 0))
                return -1;
        }
    }
    return (long)o;
}

/* A heap block of cap bytes followed by CANARY_LEN canary bytes. */
static char *canary_buf(size_t cap)
{
    char *b = malloc(cap + CANARY_LEN);
    assert_non_null(b);
    memset(b, CANARY, cap + CANARY_LEN);
    return b;
}

static void assert_canaries(const char *b, size_t cap)
{
    size_t i;
    for (i = 0; i < CANARY_LEN; i++)
        assert_int_equal((unsigned char)b[cap + i], CANARY);
}

/* Form-encode the text s and compare with want. */
static void assert_form(const char *s, const char *want)
{
    size_t len = strlen(s), wlen = strlen(want), out_len = 12345;
    char *out = canary_buf(wlen);
    assert_int_equal(fwci_form_encoded_len((const uint8_t *)s, len), wlen);
    assert_int_equal(fwci_form_encode(out, wlen, (const uint8_t *)s, len, &out_len), FWC_OK);
    assert_int_equal(out_len, wlen);
    assert_memory_equal(out, want, wlen);
    assert_canaries(out, wlen);
    free(out);
}

static void assert_b64(const void *in, size_t len, const char *want)
{
    size_t wlen = strlen(want), out_len = 12345;
    char *out = canary_buf(wlen);
    assert_int_equal(fwci_base64_encode(out, wlen, (const uint8_t *)in, len, &out_len), FWC_OK);
    assert_int_equal(out_len, wlen);
    assert_memory_equal(out, want, wlen);
    assert_canaries(out, wlen);
    free(out);
}

/* ---- Form encoding ------------------------------------------------------ */

static void form_every_byte_alone(void **state)
{
    unsigned b;
    (void)state;
    for (b = 0; b < 256; b++) {
        char out[3 + CANARY_LEN], want[4];
        size_t wk = expect_form_byte(b, want), k, i;
        uint8_t in = (uint8_t)b;
        memset(out, CANARY, sizeof out);
        k = fwci_form_encode_byte(in, out);
        if (k != wk)
            fail_msg("byte 0x%02X: %zu chars, want %zu", b, k, wk);
        if (memcmp(out, want, wk) != 0)
            fail_msg("byte 0x%02X: got %.*s, want %s", b, (int)k, out, want);
        for (i = wk; i < sizeof out; i++)
            assert_int_equal((unsigned char)out[i], CANARY);
        assert_int_equal(fwci_form_encoded_len(&in, 1), wk);
    }
}

static void form_every_byte_in_one_string(void **state)
{
    uint8_t in[256];
    size_t elen, out_len = 0, i;
    char *want, *out;
    (void)state;
    for (i = 0; i < 256; i++)
        in[i] = (uint8_t)i;
    want = expect_form(in, sizeof in, &elen);
    /* 66 bytes stay, space is '+', the other 189 are %XX. */
    assert_int_equal(elen, 66 + 1 + 189 * 3);
    assert_int_equal(fwci_form_encoded_len(in, sizeof in), elen);
    out = canary_buf(elen);
    assert_int_equal(fwci_form_encode(out, elen, in, sizeof in, &out_len), FWC_OK);
    assert_int_equal(out_len, elen);
    assert_memory_equal(out, want, elen);
    assert_canaries(out, elen);
    free(out);

    /* And backwards, so no byte's encoding depends on its neighbour. */
    for (i = 0; i < 256; i++)
        in[i] = (uint8_t)(255 - i);
    free(want);
    want = expect_form(in, sizeof in, &elen);
    out = canary_buf(elen);
    assert_int_equal(fwci_form_encode(out, elen, in, sizeof in, &out_len), FWC_OK);
    assert_int_equal(out_len, elen);
    assert_memory_equal(out, want, elen);
    assert_canaries(out, elen);
    free(out);
    free(want);
}

static void form_reserved_characters(void **state)
{
    (void)state;
    assert_form("+/=&%?# ", "%2B%2F%3D%26%25%3F%23+");
    assert_form("a b", "a+b");
    assert_form("  ", "++");
    assert_form("~!'()", "%7E%21%27%28%29");
    assert_form(":;,@$[]{}|\\^`\"<>", "%3A%3B%2C%40%24%5B%5D%7B%7D%7C%5C%5E%60%22%3C%3E");
    assert_form("-._*", "-._*");
    assert_form("AZaz09", "AZaz09");
    assert_form("\r\n\t\x7f", "%0D%0A%09%7F");
    assert_form("client_credentials", "client_credentials");
    assert_form("se+cret/=&x=1", "se%2Bcret%2F%3D%26x%3D1");
    assert_form("100%", "100%25");
}

static void form_utf8(void **state)
{
    (void)state;
    assert_form("\xc3\xa6\xc3\xb8\xc3\xa5", "%C3%A6%C3%B8%C3%A5");           /* æøå */
    assert_form("\xc3\x86\xc3\x98\xc3\x85", "%C3%86%C3%98%C3%85");           /* ÆØÅ */
    assert_form("\xf0\x9f\x98\x80", "%F0%9F%98%80");                         /* U+1F600 */
    assert_form("a\xe2\x82\xac b", "a%E2%82%AC+b");                          /* a€ b */
    assert_form("\xff\xfe\x80", "%FF%FE%80");                                /* not UTF-8: still bytes */
}

static void form_embedded_nul(void **state)
{
    static const uint8_t in[] = {'a', 0, 'b'};
    char out[7 + CANARY_LEN];
    size_t out_len = 0;
    (void)state;
    memset(out, CANARY, sizeof out);
    assert_int_equal(fwci_form_encoded_len(in, sizeof in), 5);
    assert_int_equal(fwci_form_encode(out, 5, in, sizeof in, &out_len), FWC_OK);
    assert_int_equal(out_len, 5);
    assert_memory_equal(out, "a%00b", 5);
    assert_int_equal((unsigned char)out[5], CANARY);
}

static void form_empty_input(void **state)
{
    char *out = canary_buf(0);
    size_t out_len = 777;
    (void)state;
    assert_int_equal(fwci_form_encoded_len((const uint8_t *)"", 0), 0);
    assert_int_equal(fwci_form_encode(out, 0, (const uint8_t *)"", 0, &out_len), FWC_OK);
    assert_int_equal(out_len, 0);
    assert_canaries(out, 0);
    free(out);

    out = canary_buf(8);
    out_len = 777;
    assert_int_equal(fwci_form_encode(out, 8, (const uint8_t *)"x", 0, &out_len), FWC_OK);
    assert_int_equal(out_len, 0);
    assert_canaries(out, 8);
    free(out);
}

/* Every capacity below the need fails without writing past cap; the exact
 * need and more succeed. */
static void form_capacity_edges(void **state)
{
    static const char *const inputs[] = {
        "a", " ", "&", "ab", "a&", "&a", "client id+secret/=", "\xc3\xa6\xf0\x9f\x98\x80",
    };
    size_t t;
    (void)state;
    for (t = 0; t < sizeof inputs / sizeof inputs[0]; t++) {
        const uint8_t *in = (const uint8_t *)inputs[t];
        size_t len = strlen(inputs[t]), need, cap, out_len;
        char *want = expect_form(in, len, &need);
        assert_int_equal(fwci_form_encoded_len(in, len), need);
        for (cap = 0; cap <= need + 2; cap++) {
            char *out = canary_buf(cap);
            enum fwc_err err;
            out_len = 999;
            err = fwci_form_encode(out, cap, in, len, &out_len);
            if (cap < need) {
                if (err != FWC_ERR_REQUEST_TOO_LARGE)
                    fail_msg("input %zu cap %zu (need %zu): %d", t, cap, need, (int)err);
            } else {
                assert_int_equal(err, FWC_OK);
                assert_int_equal(out_len, need);
                assert_memory_equal(out, want, need);
            }
            assert_canaries(out, cap);
            free(out);
        }
        free(want);
    }
}

/* ---- Base64 -------------------------------------------------------------- */

static void base64_rfc4648_vectors(void **state)
{
    (void)state;
    assert_b64("", 0, "");
    assert_b64("f", 1, "Zg==");
    assert_b64("fo", 2, "Zm8=");
    assert_b64("foo", 3, "Zm9v");
    assert_b64("foob", 4, "Zm9vYg==");
    assert_b64("fooba", 5, "Zm9vYmE=");
    assert_b64("foobar", 6, "Zm9vYmFy");
}

static void base64_binary(void **state)
{
    static const uint8_t all64[] = {
        0x00, 0x10, 0x83, 0x10, 0x51, 0x87, 0x20, 0x92, 0x8b, 0x30, 0xd3, 0x8f,
        0x41, 0x14, 0x93, 0x51, 0x55, 0x97, 0x61, 0x96, 0x9b, 0x71, 0xd7, 0x9f,
        0x82, 0x18, 0xa3, 0x92, 0x59, 0xa7, 0xa2, 0x9a, 0xab, 0xb2, 0xdb, 0xaf,
        0xc3, 0x1c, 0xb3, 0xd3, 0x5d, 0xb7, 0xe3, 0x9e, 0xbb, 0xf3, 0xdf, 0xbf,
    };
    (void)state;
    assert_b64("\x00", 1, "AA==");
    assert_b64("\x00\x00", 2, "AAA=");
    assert_b64("\x00\x00\x00", 3, "AAAA");
    assert_b64("\xff", 1, "/w==");
    assert_b64("\xff\xff\xff", 3, "////");
    assert_b64("\xfb\xff", 2, "+/8=");
    assert_b64("\xfb\xef\xbe", 3, "++++");
    /* Every alphabet character once, in order. */
    assert_b64(all64, sizeof all64,
               "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
}

/* Pseudo-random bytes of every length 0..200, round-tripped through our own
 * decoder. */
static void base64_round_trip(void **state)
{
    uint8_t in[200], back[200];
    uint32_t x = 12345u;
    size_t len, i;
    (void)state;
    for (len = 0; len <= sizeof in; len++) {
        size_t need = (len + 2) / 3 * 4, out_len = 0;
        char *out = canary_buf(need);
        for (i = 0; i < len; i++) {
            x = x * 1103515245u + 12345u;
            in[i] = (uint8_t)(x >> 16);
        }
        assert_int_equal(fwci_base64_encode(out, need, in, len, &out_len), FWC_OK);
        assert_int_equal(out_len, need);
        assert_canaries(out, need);
        assert_int_equal(b64_decode(out, out_len, back), (long)len);
        if (len)
            assert_memory_equal(back, in, len);
        free(out);
    }
}

static void base64_basic_auth_pair(void **state)
{
    (void)state;
    /* RFC 6749 2.3.1: form-encode id and secret, then base64 "id:secret". */
    assert_b64("client%3Aid:se%2Bcret", 21, "Y2xpZW50JTNBaWQ6c2UlMkJjcmV0");
    assert_b64("s6BhdRkqt3:7Fjfp0ZBr1KtDRbnfVdmIw", 33,
               "czZCaGRSa3F0Mzo3RmpmcDBaQnIxS3REUmJuZlZkbUl3");
}

static void base64_capacity_edges(void **state)
{
    static const char *const inputs[] = {"f", "fo", "foo", "foob", "fooba", "foobar"};
    size_t t;
    (void)state;
    for (t = 0; t < sizeof inputs / sizeof inputs[0]; t++) {
        size_t len = strlen(inputs[t]), need = (len + 2) / 3 * 4, cap;
        for (cap = 0; cap <= need + 2; cap++) {
            char *out = canary_buf(cap);
            size_t out_len = 999;
            enum fwc_err err =
                fwci_base64_encode(out, cap, (const uint8_t *)inputs[t], len, &out_len);
            if (cap < need) {
                if (err != FWC_ERR_REQUEST_TOO_LARGE)
                    fail_msg("\"%s\" cap %zu (need %zu): %d", inputs[t], cap, need, (int)err);
            } else {
                assert_int_equal(err, FWC_OK);
                assert_int_equal(out_len, need);
            }
            assert_canaries(out, cap);
            free(out);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(form_every_byte_alone),
        cmocka_unit_test(form_every_byte_in_one_string),
        cmocka_unit_test(form_reserved_characters),
        cmocka_unit_test(form_utf8),
        cmocka_unit_test(form_embedded_nul),
        cmocka_unit_test(form_empty_input),
        cmocka_unit_test(form_capacity_edges),
        cmocka_unit_test(base64_rfc4648_vectors),
        cmocka_unit_test(base64_binary),
        cmocka_unit_test(base64_round_trip),
        cmocka_unit_test(base64_basic_auth_pair),
        cmocka_unit_test(base64_capacity_edges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
