/* SPDX-License-Identifier: MIT */
/* The strict JSON check and the reads built on jsmn (json.h, json_check.h).
 * Every document is copied into a heap block of exactly its length, with
 * no NUL after it, so ASan flags any read past the end. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "json.h"
#include "json_check.h"

#define STORE_TOKENS 256
#define CANARY 0xCC
#define CANARY_LEN 16

/* A document with an explicit length (it may hold NUL bytes). */
struct doc {
    const char *s;
    size_t len;
};
#define D(lit) {lit, sizeof(lit) - 1}

/* ---- Helpers ------------------------------------------------------------ */

static char *dup_exact(const char *s, size_t len)
{
    char *p = malloc(len ? len : 1);
    assert_non_null(p);
    if (len)
        memcpy(p, s, len);
    return p;
}

static void *new_storage(size_t tokens)
{
    void *p = malloc(tokens * FWC_JSON_TOKEN_SIZE);
    assert_non_null(p);
    return p;
}

/* Quote s for a failure message (non-printables as \xNN). */
static const char *show(const char *s, size_t len)
{
    static char buf[512];
    size_t i, n = 0;
    for (i = 0; i < len && n + 5 < sizeof buf; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x7f)
            buf[n++] = (char)c;
        else
            n += (size_t)snprintf(buf + n, sizeof buf - n, "\\x%02X", c);
    }
    buf[n] = '\0';
    return buf;
}

/* Check and parse of s[0..len) both give want. */
static void want_doc(const char *s, size_t len, enum fwc_err want)
{
    char *copy = dup_exact(s, len);
    void *store = new_storage(STORE_TOKENS);
    struct fwc_json j;
    enum fwc_err c = fwci_json_check(copy, len);
    enum fwc_err p = fwci_json_parse(&j, copy, len, store, STORE_TOKENS);
    if (c != want)
        fail_msg("fwci_json_check(\"%s\") = %d, want %d", show(s, len), (int)c, (int)want);
    if (p != want)
        fail_msg("fwci_json_parse(\"%s\") = %d, want %d", show(s, len), (int)p, (int)want);
    if (want == FWC_OK)
        assert_true(j.count >= 1);
    free(store);
    free(copy);
}

/* A parsed document kept alive for reads; free with doc_free. */
struct parsed {
    char *copy;
    void *store;
    struct fwc_json j;
};

static void doc_parse(struct parsed *p, const char *s, size_t len)
{
    p->copy = dup_exact(s, len);
    p->store = new_storage(STORE_TOKENS);
    if (fwci_json_parse(&p->j, p->copy, len, p->store, STORE_TOKENS) != FWC_OK)
        fail_msg("could not parse \"%s\"", show(s, len));
}

static void doc_parse_str(struct parsed *p, const char *s)
{
    doc_parse(p, s, strlen(s));
}

static void doc_free(struct parsed *p)
{
    free(p->store);
    free(p->copy);
}

/* Value token of member key, which must be present once. */
static int member(const struct parsed *p, const char *key)
{
    int t = fwci_json_member(&p->j, key);
    if (t <= 0)
        fail_msg("member \"%s\": %d", key, t);
    return t;
}

/* Nested document depth levels deep, alternating object and array; the
 * innermost container is empty or holds one scalar. */
static char *nested(int depth, bool filled, size_t *len)
{
    char *s = malloc((size_t)depth * 8 + 16);
    size_t n = 0;
    int i;
    assert_non_null(s);
    for (i = 0; i < depth; i++) {
        if (i > 0 && (i - 1) % 2 == 0) {
            memcpy(s + n, "\"k\":", 4);
            n += 4;
        }
        s[n++] = i % 2 == 0 ? '{' : '[';
    }
    if (filled) {
        if ((depth - 1) % 2 == 0) {
            memcpy(s + n, "\"x\":1", 5);
            n += 5;
        } else {
            s[n++] = '1';
        }
    }
    for (i = depth - 1; i >= 0; i--)
        s[n++] = i % 2 == 0 ? '}' : ']';
    *len = n;
    return s;
}

/* Objects only: {"k":{"k":{...}}}. */
static char *nested_objects(int depth, size_t *len)
{
    char *s = malloc((size_t)depth * 8 + 16);
    size_t n = 0;
    int i;
    assert_non_null(s);
    for (i = 0; i < depth; i++) {
        if (i > 0) {
            memcpy(s + n, "\"k\":", 4);
            n += 4;
        }
        s[n++] = '{';
    }
    for (i = 0; i < depth; i++)
        s[n++] = '}';
    *len = n;
    return s;
}

/* ---- fwci_json_check / fwci_json_parse: valid ----------------------------- */

static const struct doc valid_docs[] = {
    D("{}"),
    D(" {} "),
    D("\t\r\n {\t\r\n }\t\r\n "),
    D("{\"a\":1}"),
    D("{\"\":\"\"}"),
    D("{\"a\":[]}"),
    D("{\"a\":{}}"),
    D("{\"a\":[[[]]],\"b\":[{}],\"c\":[{},[],{}]}"),
    D("{\"a\":[1,2,{\"b\":null}],\"c\":{\"d\":true,\"e\":false}}"),
    D(" { \"a\" : [ 1 , 2 , { } , [ ] ] , \"b\" : { \"c\" : \"d\" } , \"e\" : null } "),
    D("{\n\t\"a\"\r\n:\t1\n,\n\"b\"\n:\n[\n]\n}"),
    D("{\"n\":[0,-0,1,-1,10,1.5,-1.5,0.25,1e5,1E5,1e+5,1e-5,-1.5E-10,0e0,0.0]}"),
    D("{\"big\":123456789012345678901234567890,\"small\":-0.000000000000000001}"),
    D("{\"s\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\u00E9\\uD83D\\uDE00\\ud83d\\ude00\"}"),
    D("{\"lone\":\"\\ud800\"}"),   /* syntactically valid; fwci_json_string refuses it */
    D("{\"nul\":\"\\u0000\"}"),    /* likewise */
    D("{\"s\":\"\xc3\xa6\xc3\xb8\xc3\xa5 \xf0\x9f\x98\x80\"}"),
    D("{\"\xc3\xa6\":1}"),
    /* UTF-8 boundaries: U+0080 U+07FF U+0800 U+D7FF U+E000 U+FFFF U+10000 U+10FFFF */
    D("{\"u\":\"\xc2\x80\xdf\xbf\xe0\xa0\x80\xed\x9f\xbf\xee\x80\x80\xef\xbf\xbf"
      "\xf0\x90\x80\x80\xf4\x8f\xbf\xbf\"}"),
    D("{\"del\":\"\x7f\"}"),
    D("{\"t\":true,\"f\":false,\"n\":null}"),
    D("{\"a\":1,\"a\":2}"), /* valid JSON; fwci_json_member calls it ambiguous */
    D("{\"a\":\"}\",\"b\":\"]\",\"c\":\"{[,:\"}"),
};

static void valid_documents(void **state)
{
    size_t i;
    (void)state;
    for (i = 0; i < sizeof valid_docs / sizeof valid_docs[0]; i++)
        want_doc(valid_docs[i].s, valid_docs[i].len, FWC_OK);
}

static void depth_up_to_the_limit(void **state)
{
    int d;
    (void)state;
    for (d = 1; d <= FWC_JSON_MAX_DEPTH + 2; d++) {
        enum fwc_err want = d <= FWC_JSON_MAX_DEPTH ? FWC_OK : FWC_ERR_JSON;
        size_t len;
        char *s = nested(d, false, &len);
        want_doc(s, len, want);
        free(s);
        s = nested(d, true, &len);
        want_doc(s, len, want);
        free(s);
        s = nested_objects(d, &len);
        want_doc(s, len, want);
        free(s);
    }
}

/* Depth is a level count, not a running total of containers opened. */
static void depth_is_not_cumulative(void **state)
{
    char s[1024];
    size_t n = 0;
    int i;
    (void)state;
    s[n++] = '{';
    for (i = 0; i < 3 * FWC_JSON_MAX_DEPTH; i++) {
        n += (size_t)snprintf(s + n, sizeof s - n, "%s\"k%d\":[{}]", i ? "," : "", i);
    }
    s[n++] = '}';
    assert_true(n < sizeof s);
    want_doc(s, n, FWC_OK);

    /* Two maximally deep siblings. */
    {
        size_t la, lb;
        char *a = nested(FWC_JSON_MAX_DEPTH - 1, true, &la);
        char *b = malloc(2 * la + 32);
        size_t m = 0;
        assert_non_null(b);
        /* a starts with '{'; wrap two copies as {"x":a,"y":a}: depth = MAX. */
        memcpy(b + m, "{\"x\":", 5);
        m += 5;
        memcpy(b + m, a, la);
        m += la;
        memcpy(b + m, ",\"y\":", 5);
        m += 5;
        memcpy(b + m, a, la);
        m += la;
        b[m++] = '}';
        want_doc(b, m, FWC_OK);
        free(a);
        /* One level more on the second sibling fails. */
        a = nested(FWC_JSON_MAX_DEPTH, true, &lb);
        m = 0;
        memcpy(b + m, "{\"x\":", 5);
        m += 5;
        memcpy(b + m, a, lb);
        m += lb;
        b[m++] = '}';
        want_doc(b, m, FWC_ERR_JSON);
        free(a);
        free(b);
    }
}

/* ---- fwci_json_check / fwci_json_parse: invalid --------------------------- */

static const struct doc invalid_docs[] = {
    /* Not an object at the root, or nothing at all. */
    D(""), D(" "), D("\n\t"), D("[]"), D("[{}]"), D("\"s\""), D("1"), D("true"), D("null"),
    D("{"), D("}"), D("{]"), D("{\"a\":[}"), D("{\"a\":{]}"), D("{\"a\":[1}]"), D("{\"a\":1]"),
    /* Trailing, missing and doubled commas. */
    D("{\"a\":1,}"), D("{\"a\":[1,2,]}"), D("{\"a\":[1,]}"), D("{\"a\":[,]}"), D("{,}"),
    D("{\"a\":[,1]}"), D("{,\"a\":1}"), D("{\"a\":1,,\"b\":2}"), D("{\"a\":[1,,2]}"),
    D("{\"a\":1 \"b\":2}"), D("{\"a\":[1 2]}"), D("{\"a\":{} \"b\":1}"), D("{\"a\":\"x\"\"b\":1}"),
    /* Colons. */
    D("{\"a\" 1}"), D("{\"a\":}"), D("{\"a\"}"), D("{\"a\"::1}"), D("{:1}"), D("{\"a\":1:2}"),
    D("{\"a\":[1:2]}"),
    /* Bare words. */
    D("{\"a\":tru}"), D("{\"a\":nul}"), D("{\"a\":trux}"), D("{\"a\":truex}"), D("{\"a\":fals}"),
    D("{\"a\":nulll}"), D("{\"a\":True}"), D("{\"a\":NULL}"), D("{\"a\":undefined}"),
    D("{\"a\":x}"), D("{\"a\":t}"), D("{\"a\":[true false]}"),
    /* Quotes and keys. */
    D("{'a':1}"), D("{\"a\":'b'}"), D("{a:1}"), D("{1:1}"), D("{true:1}"), D("{null:1}"),
    D("{{}:1}"), D("{[]:1}"),
    /* Numbers. */
    D("{\"a\":01}"), D("{\"a\":00}"), D("{\"a\":-01}"), D("{\"a\":+1}"), D("{\"a\":.5}"),
    D("{\"a\":1.}"), D("{\"a\":-}"), D("{\"a\":--1}"), D("{\"a\":1e}"), D("{\"a\":1e+}"),
    D("{\"a\":1.e5}"), D("{\"a\":1.5.2}"), D("{\"a\":0x10}"), D("{\"a\":NaN}"),
    D("{\"a\":Infinity}"), D("{\"a\":-Infinity}"), D("{\"a\":1 2}"), D("{\"a\":- 1}"),
    D("{\"a\":1e5e5}"),
    /* Strings: controls, escapes, termination. */
    D("{\"a\":\"x\x01y\"}"), D("{\"a\":\"tab\there\"}"), D("{\"a\":\"new\nline\"}"),
    D("{\"a\":\"\x1f\"}"), D("{\"a\":\"x\x00y\"}"), D("{\"a\x0a\":1}"),
    D("{\"a\":\"\\x41\"}"), D("{\"a\":\"\\'\"}"), D("{\"a\":\"\\a\"}"), D("{\"a\":\"\\U0041\"}"),
    D("{\"a\":\"\\u12\"}"), D("{\"a\":\"\\u12g4\"}"), D("{\"a\":\"\\u\"}"), D("{\"a\":\"\\u00\"}"),
    D("{\"a\":\"\\\"}"), D("{\"a\":\"abc}"), D("{\"a\":\"\\"),
    /* Invalid UTF-8, in values and keys. */
    D("{\"a\":\"\xc0\x80\"}"), D("{\"a\":\"\xc1\xbf\"}"), D("{\"a\":\"\x80\"}"),
    D("{\"a\":\"\xbf\"}"), D("{\"a\":\"x\x80y\"}"), D("{\"a\":\"\xed\xa0\x80\"}"),
    D("{\"a\":\"\xed\xbf\xbf\"}"), D("{\"a\":\"\xe0\x80\x80\"}"), D("{\"a\":\"\xe0\x9f\xbf\"}"),
    D("{\"a\":\"\xf0\x80\x80\x80\"}"), D("{\"a\":\"\xf0\x8f\xbf\xbf\"}"),
    D("{\"a\":\"\xf4\x90\x80\x80\"}"), D("{\"a\":\"\xf5\x80\x80\x80\"}"),
    D("{\"a\":\"\xf8\x88\x80\x80\x80\"}"), D("{\"a\":\"\xfe\"}"), D("{\"a\":\"\xff\"}"),
    D("{\"a\":\"\xc3\"}"), D("{\"a\":\"\xe2\x82\"}"), D("{\"a\":\"\xf0\x9f\x98\"}"),
    D("{\"a\":\"\xc3\x28\"}"), D("{\"a\":\"\xe2\x28\xa1\"}"), D("{\"\xc0\x80\":1}"),
    D("{\"a\":1\xa0}"), D("\xef\xbb\xbf{}"), D("{\xc2\xa0}"),
    /* Text after the root. */
    D("{}{}"), D("{} x"), D("{}]"), D("{}}"), D("{},"), D("{} {}"), D("{}\x00"),
    D("{\"a\":1}1"), D("{}\"\""),
    /* Not JSON whitespace, comments. */
    D("{\f}"), D("{\v}"), D("{/*c*/}"), D("{}//"), D("{\"a\":1}#"),
};

static void invalid_documents(void **state)
{
    size_t i;
    (void)state;
    for (i = 0; i < sizeof invalid_docs / sizeof invalid_docs[0]; i++)
        want_doc(invalid_docs[i].s, invalid_docs[i].len, FWC_ERR_JSON);
}

/* Every proper prefix of a valid document is invalid. */
static void truncated_documents(void **state)
{
    static const struct doc docs[] = {
        D("{\"access_token\":\"abc.def\",\"token_type\":\"bearer\",\"expires_in\":3600}"),
        D("{\"a\":[1,-2.5e+3,true,false,null,{\"b\":{}},[]],\"c\":\"\\u00e9\\ud83d\\ude00\\n\"}"),
        D("{\"s\":\"\xc3\xa6\xe2\x82\xac\xf0\x9f\x98\x80\",\"n\":-0.0E-0}"),
        D(" { \"a\" : { \"b\" : [ 10 , 20 ] } } "),
    };
    size_t i, k;
    (void)state;
    for (i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        size_t len = docs[i].len;
        /* The last document ends in a space: its prefix without it is whole. */
        size_t whole_from = docs[i].s[len - 1] == ' ' ? len - 1 : len;
        want_doc(docs[i].s, len, FWC_OK);
        for (k = 0; k < len; k++)
            want_doc(docs[i].s, k, k >= whole_from ? FWC_OK : FWC_ERR_JSON);
    }
}

static void token_capacity(void **state)
{
    static const char s[] = "{\"a\":[1,2,3]}"; /* object, key, array, 3 numbers: 6 */
    size_t len = sizeof s - 1;
    char *copy = dup_exact(s, len);
    void *store;
    struct fwc_json j;
    (void)state;

    store = new_storage(6);
    assert_int_equal(fwci_json_parse(&j, copy, len, store, 6), FWC_OK);
    assert_int_equal(j.count, 6);
    free(store);

    store = new_storage(5);
    assert_int_equal(fwci_json_parse(&j, copy, len, store, 5), FWC_ERR_JSON);
    free(store);

    store = new_storage(1);
    assert_int_equal(fwci_json_parse(&j, copy, len, store, 1), FWC_ERR_JSON);
    assert_int_equal(fwci_json_parse(&j, "{}", 2, store, 1), FWC_OK);
    assert_int_equal(j.count, 1);
    free(store);
    free(copy);
}

/* ---- fwci_json_member ---------------------------------------------------- */

static void member_lookup(void **state)
{
    struct parsed p;
    int t;
    (void)state;

    doc_parse_str(&p, "{\"token_type\":\"bearer\","
                      "\"nested\":{\"access_token\":\"x\",\"deeper\":{\"access_token\":\"w\"}},"
                      "\"arr\":[{\"access_token\":\"y\"},\"access_token\",[[\"access_token\"]]],"
                      "\"access_token\":\"z\",\"n\":1}");
    t = member(&p, "access_token");
    assert_true(fwci_json_is_string(&p.j, t));
    assert_true(fwci_json_string_ieq(&p.j, t, "z"));
    assert_true(fwci_json_string_ieq(&p.j, member(&p, "token_type"), "bearer"));
    assert_int_equal(fwci_json_member(&p.j, "deeper"), -1);
    assert_int_equal(fwci_json_member(&p.j, "x"), -1);
    assert_int_equal(fwci_json_member(&p.j, "Access_Token"), -1);
    assert_int_equal(fwci_json_member(&p.j, "access"), -1);
    assert_int_equal(fwci_json_member(&p.j, "access_token_"), -1);
    assert_int_equal(fwci_json_member(&p.j, ""), -1);
    doc_free(&p);

    /* Only nested: absent at the top. */
    doc_parse_str(&p, "{\"outer\":{\"access_token\":\"x\"},\"list\":[{\"access_token\":\"y\"}]}");
    assert_int_equal(fwci_json_member(&p.j, "access_token"), -1);
    doc_free(&p);

    /* A value equal to the key is not the key. */
    doc_parse_str(&p, "{\"a\":\"access_token\",\"b\":[\"access_token\",1]}");
    assert_int_equal(fwci_json_member(&p.j, "access_token"), -1);
    doc_free(&p);

    doc_parse_str(&p, "{}");
    assert_int_equal(fwci_json_member(&p.j, "a"), -1);
    doc_free(&p);

    /* After deep nesting, the member is still found. */
    doc_parse_str(&p, "{\"a\":{\"b\":{\"c\":[1,[2,{\"d\":3,\"k\":\"no\"}],{}]},\"e\":[]},\"k\":\"v\"}");
    t = member(&p, "k");
    assert_true(fwci_json_string_ieq(&p.j, t, "v"));
    doc_free(&p);

    /* An empty key is a key. */
    doc_parse_str(&p, "{\"\":\"e\"}");
    assert_true(fwci_json_string_ieq(&p.j, member(&p, ""), "e"));
    doc_free(&p);
}

static void member_duplicate_is_ambiguous(void **state)
{
    struct parsed p;
    (void)state;
    doc_parse_str(&p, "{\"access_token\":\"a\",\"access_token\":\"b\"}");
    assert_int_equal(fwci_json_member(&p.j, "access_token"), -2);
    doc_free(&p);

    doc_parse_str(&p, "{\"access_token\":\"a\",\"x\":{\"y\":[1,2]},\"access_token\":null,\"z\":1}");
    assert_int_equal(fwci_json_member(&p.j, "access_token"), -2);
    assert_true(member(&p, "z") > 0);
    doc_free(&p);

    /* One at the top and one nested is not a duplicate. */
    doc_parse_str(&p, "{\"n\":{\"access_token\":\"a\"},\"access_token\":\"b\"}");
    assert_true(fwci_json_string_ieq(&p.j, member(&p, "access_token"), "b"));
    doc_free(&p);

    /* A second spelling of the same key through an escape is ambiguous too. */
    doc_parse_str(&p, "{\"access_token\":\"abc\",\"access\\u005ftoken\":\"evil\"}");
    assert_int_equal(fwci_json_member(&p.j, "access_token"), -2);
    doc_free(&p);
}

/* ---- fwci_json_string ---------------------------------------------------- */

/* Unescape member "s" of doc and compare with want[0..wlen). */
static void want_string(const char *doc, const char *want, size_t wlen)
{
    struct parsed p;
    char out[256];
    size_t out_len = 9999;
    doc_parse_str(&p, doc);
    memset(out, CANARY, sizeof out);
    assert_int_equal(fwci_json_string(&p.j, member(&p, "s"), out, sizeof out, &out_len), FWC_OK);
    assert_int_equal(out_len, wlen);
    assert_memory_equal(out, want, wlen);
    assert_int_equal(out[wlen], '\0');
    doc_free(&p);
}

/* Refused, and no part of the string is left in out: what came before the
 * bad escape is gone too (the fuzzer found "/a\u00e9\ude00" leaving
 * "/a\xc3\xa9" behind, unterminated, in an upload's asset URL). */
static void want_string_refused(const char *doc)
{
    struct parsed p;
    char out[64];
    size_t out_len = 0, i;
    doc_parse_str(&p, doc);
    memset(out, CANARY, sizeof out);
    if (fwci_json_string(&p.j, member(&p, "s"), out, sizeof out, &out_len) != FWC_ERR_JSON)
        fail_msg("fwci_json_string accepted %s", doc);
    assert_int_equal(out[0], '\0');
    for (i = 0; i < sizeof out; i++) {
        if (out[i] != 0 && out[i] != (char)CANARY)
            fail_msg("%s: byte %zu of a refused string left in out", doc, i);
    }
    doc_free(&p);
}

static void string_unescaping(void **state)
{
    (void)state;
    want_string("{\"s\":\"plain\"}", "plain", 5);
    want_string("{\"s\":\"\"}", "", 0);
    want_string("{\"s\":\"\\\"\"}", "\"", 1);
    want_string("{\"s\":\"\\\\\"}", "\\", 1);
    want_string("{\"s\":\"\\/\"}", "/", 1);
    want_string("{\"s\":\"\\b\\f\\n\\r\\t\"}", "\b\f\n\r\t", 5);
    want_string("{\"s\":\"\\u00e9\"}", "\xc3\xa9", 2);
    want_string("{\"s\":\"\\u00E9\"}", "\xc3\xa9", 2);
    want_string("{\"s\":\"\\u0041\\u007f\\u0080\\u07ff\\u0800\\uffff\"}",
                  "A\x7f\xc2\x80\xdf\xbf\xe0\xa0\x80\xef\xbf\xbf", 12);
    want_string("{\"s\":\"\\ud83d\\ude00\"}", "\xf0\x9f\x98\x80", 4);
    want_string("{\"s\":\"\\uD83D\\uDE00\"}", "\xf0\x9f\x98\x80", 4);
    want_string("{\"s\":\"\\ud800\\udc00\\udbff\\udfff\"}",
                  "\xf0\x90\x80\x80\xf4\x8f\xbf\xbf", 8);
    want_string("{\"s\":\"a\\\"b\\\\c\\/d\\ne\"}", "a\"b\\c/d\ne", 9);
    want_string("{\"s\":\"\xc3\xa6\xc3\xb8\xc3\xa5\"}", "\xc3\xa6\xc3\xb8\xc3\xa5", 6);
    want_string("{\"s\":\"x\\u00e9y\\ud83d\\ude00z\"}", "x\xc3\xa9y\xf0\x9f\x98\x80z", 9);
    want_string("{\"t\":\"no\",\"s\":\"\\\\u0000\"}", "\\u0000", 6); /* escaped backslash */
}

static void string_refusals(void **state)
{
    struct parsed p;
    char out[16];
    size_t out_len;
    (void)state;
    want_string_refused("{\"s\":\"\\u0000\"}");
    want_string_refused("{\"s\":\"ab\\u0000cd\"}");
    want_string_refused("{\"s\":\"\\ud83d\"}");
    want_string_refused("{\"s\":\"\\ude00\"}");
    want_string_refused("{\"s\":\"\\ud83dx\"}");
    want_string_refused("{\"s\":\"\\ud83d\\u0041\"}");
    want_string_refused("{\"s\":\"\\ud83d\\ud83d\"}");
    want_string_refused("{\"s\":\"\\ude00\\ud83d\"}");
    want_string_refused("{\"s\":\"\\ud83d\\n\"}");
    want_string_refused("{\"s\":\"x\\udfff\"}");
    want_string_refused("{\"s\":\"/a\\u00e9\\ude00\"}");

    /* Not a string token. */
    doc_parse_str(&p, "{\"n\":1,\"t\":true,\"z\":null,\"o\":{},\"a\":[]}");
    assert_int_equal(fwci_json_string(&p.j, member(&p, "n"), out, sizeof out, &out_len),
                     FWC_ERR_JSON);
    assert_int_equal(fwci_json_string(&p.j, member(&p, "t"), out, sizeof out, &out_len),
                     FWC_ERR_JSON);
    assert_int_equal(fwci_json_string(&p.j, member(&p, "z"), out, sizeof out, &out_len),
                     FWC_ERR_JSON);
    assert_int_equal(fwci_json_string(&p.j, member(&p, "o"), out, sizeof out, &out_len),
                     FWC_ERR_JSON);
    assert_int_equal(fwci_json_string(&p.j, member(&p, "a"), out, sizeof out, &out_len),
                     FWC_ERR_JSON);
    assert_int_equal(fwci_json_string(&p.j, -1, out, sizeof out, &out_len), FWC_ERR_JSON);
    assert_int_equal(fwci_json_string(&p.j, 0, out, sizeof out, &out_len), FWC_ERR_JSON);
    doc_free(&p);
}

/* s unescapes to need bytes: cap need+1 fits exactly, every smaller cap is
 * FWC_ERR_BODY_TOO_LARGE with an empty NUL-terminated output and nothing
 * written past cap. */
static void want_capacity(const char *doc, const char *want, size_t need)
{
    struct parsed p;
    size_t cap;
    doc_parse_str(&p, doc);
    for (cap = 1; cap <= need + 2; cap++) {
        char *out = malloc(cap + CANARY_LEN);
        size_t out_len = 9999, i;
        enum fwc_err err;
        assert_non_null(out);
        memset(out, CANARY, cap + CANARY_LEN);
        err = fwci_json_string(&p.j, member(&p, "s"), out, cap, &out_len);
        if (cap >= need + 1) {
            assert_int_equal(err, FWC_OK);
            assert_int_equal(out_len, need);
            assert_memory_equal(out, want, need);
            assert_int_equal(out[need], '\0');
        } else {
            if (err != FWC_ERR_BODY_TOO_LARGE)
                fail_msg("%s cap %zu: %d", doc, cap, (int)err);
            assert_int_equal(out[0], '\0');
        }
        for (i = 0; i < CANARY_LEN; i++)
            assert_int_equal((unsigned char)out[cap + i], CANARY);
        free(out);
    }
    doc_free(&p);
}

static void string_capacity(void **state)
{
    (void)state;
    want_capacity("{\"s\":\"abcd\"}", "abcd", 4);
    want_capacity("{\"s\":\"\"}", "", 0);
    want_capacity("{\"s\":\"a\\nb\"}", "a\nb", 3);
    want_capacity("{\"s\":\"\xc3\xa9\"}", "\xc3\xa9", 2);
    want_capacity("{\"s\":\"\\u00e9\"}", "\xc3\xa9", 2);
    want_capacity("{\"s\":\"\\ud83d\\ude00\"}", "\xf0\x9f\x98\x80", 4);
    want_capacity("{\"s\":\"ab\\ud83d\\ude00cd\"}", "ab\xf0\x9f\x98\x80" "cd", 8);
}

/* ---- fwci_json_string_ieq, fwci_json_is_null, fwci_json_is_string ---------- */

static void string_ieq(void **state)
{
    struct parsed p;
    (void)state;
    doc_parse_str(&p, "{\"a\":\"bearer\",\"b\":\"Bearer\",\"c\":\"BEARER\",\"d\":\"bearer \","
                      "\"e\":\"bear\",\"f\":\"bearerx\",\"g\":\"mac\",\"h\":1,\"i\":\"\","
                      "\"j\":null,\"k\":[\"bearer\"],\"l\":\"bEaReR\"}");
    assert_true(fwci_json_string_ieq(&p.j, member(&p, "a"), "bearer"));
    assert_true(fwci_json_string_ieq(&p.j, member(&p, "b"), "bearer"));
    assert_true(fwci_json_string_ieq(&p.j, member(&p, "c"), "bearer"));
    assert_true(fwci_json_string_ieq(&p.j, member(&p, "l"), "bearer"));
    assert_false(fwci_json_string_ieq(&p.j, member(&p, "d"), "bearer"));
    assert_false(fwci_json_string_ieq(&p.j, member(&p, "e"), "bearer"));
    assert_false(fwci_json_string_ieq(&p.j, member(&p, "f"), "bearer"));
    assert_false(fwci_json_string_ieq(&p.j, member(&p, "g"), "bearer"));
    assert_false(fwci_json_string_ieq(&p.j, member(&p, "h"), "1"));
    assert_false(fwci_json_string_ieq(&p.j, member(&p, "i"), "bearer"));
    assert_true(fwci_json_string_ieq(&p.j, member(&p, "i"), ""));
    assert_false(fwci_json_string_ieq(&p.j, member(&p, "j"), "null"));
    assert_false(fwci_json_string_ieq(&p.j, member(&p, "k"), "bearer"));
    assert_false(fwci_json_string_ieq(&p.j, -1, "bearer"));
    doc_free(&p);
}

static void is_null_and_is_string(void **state)
{
    struct parsed p;
    (void)state;
    doc_parse_str(&p, "{\"n\":null,\"s\":\"null\",\"z\":0,\"f\":false,\"t\":true,\"o\":{},"
                      "\"a\":[null]}");
    assert_true(fwci_json_is_null(&p.j, member(&p, "n")));
    assert_false(fwci_json_is_null(&p.j, member(&p, "s")));
    assert_false(fwci_json_is_null(&p.j, member(&p, "z")));
    assert_false(fwci_json_is_null(&p.j, member(&p, "f")));
    assert_false(fwci_json_is_null(&p.j, member(&p, "t")));
    assert_false(fwci_json_is_null(&p.j, member(&p, "o")));
    assert_false(fwci_json_is_null(&p.j, member(&p, "a")));
    assert_false(fwci_json_is_null(&p.j, -1));
    assert_false(fwci_json_is_null(&p.j, -2));
    assert_false(fwci_json_is_null(&p.j, 0));
    assert_false(fwci_json_is_null(&p.j, p.j.count));

    assert_true(fwci_json_is_string(&p.j, member(&p, "s")));
    assert_false(fwci_json_is_string(&p.j, member(&p, "n")));
    assert_false(fwci_json_is_string(&p.j, member(&p, "z")));
    assert_false(fwci_json_is_string(&p.j, member(&p, "o")));
    assert_false(fwci_json_is_string(&p.j, -1));
    assert_false(fwci_json_is_string(&p.j, p.j.count));
    doc_free(&p);
}

/* ---- fwci_json_count ----------------------------------------------------- */

static void want_count(const char *value, uint64_t max, enum fwc_err want, uint64_t want_v)
{
    char doc[128];
    struct parsed p;
    uint64_t v = 0xDEADBEEFu;
    enum fwc_err err;
    int n = snprintf(doc, sizeof doc, "{\"v\":%s}", value);
    assert_true(n > 0 && (size_t)n < sizeof doc);
    doc_parse(&p, doc, (size_t)n);
    err = fwci_json_count(&p.j, member(&p, "v"), max, &v);
    doc_free(&p);
    if (err != want)
        fail_msg("count %s max %llu: %d (value %llu), want %d", value, (unsigned long long)max,
                 (int)err, (unsigned long long)v, (int)want);
    if (want == FWC_OK && v != want_v)
        fail_msg("count %s: %llu, want %llu", value, (unsigned long long)v,
                 (unsigned long long)want_v);
}

static void count_values(void **state)
{
    const uint64_t big = 604800;
    (void)state;
    want_count("3600", big, FWC_OK, 3600);
    want_count("0", big, FWC_OK, 0);
    want_count("1", big, FWC_OK, 1);
    want_count("28800.000000", big, FWC_OK, 28800);
    want_count("2.9", big, FWC_OK, 2);
    want_count("2.5", big, FWC_OK, 2);
    want_count("0.999", big, FWC_OK, 0);
    want_count("604800", big, FWC_OK, 604800);
    want_count("604801", big, FWC_ERR_JSON, 0);
    want_count("604800.5", big, FWC_OK, 604800);
    want_count("1000000", big, FWC_ERR_JSON, 0);
    want_count("-1", big, FWC_ERR_JSON, 0);
    want_count("-3600", big, FWC_ERR_JSON, 0);
    want_count("-0.5", big, FWC_ERR_JSON, 0);
    want_count("1e3", big, FWC_ERR_JSON, 0);
    want_count("1E3", big, FWC_ERR_JSON, 0);
    want_count("1e+3", big, FWC_ERR_JSON, 0);
    want_count("1e-3", big, FWC_ERR_JSON, 0);
    want_count("1.5e2", big, FWC_ERR_JSON, 0);
    want_count("0e0", big, FWC_ERR_JSON, 0);
    want_count("\"3600\"", big, FWC_ERR_JSON, 0);
    want_count("\"\"", big, FWC_ERR_JSON, 0);
    want_count("true", big, FWC_ERR_JSON, 0);
    want_count("false", big, FWC_ERR_JSON, 0);
    want_count("null", big, FWC_ERR_JSON, 0);
    want_count("{}", big, FWC_ERR_JSON, 0);
    want_count("[3600]", big, FWC_ERR_JSON, 0);
}

static void count_limits(void **state)
{
    (void)state;
    /* Small maxima, including ones below a single digit. */
    want_count("0", 0, FWC_OK, 0);
    want_count("1", 0, FWC_ERR_JSON, 0);
    want_count("9", 0, FWC_ERR_JSON, 0);
    want_count("5", 5, FWC_OK, 5);
    want_count("7", 5, FWC_ERR_JSON, 0);
    want_count("9", 8, FWC_ERR_JSON, 0);
    want_count("10", 9, FWC_ERR_JSON, 0);
    want_count("10", 10, FWC_OK, 10);
    want_count("11", 10, FWC_ERR_JSON, 0);
    want_count("19", 10, FWC_ERR_JSON, 0);
    want_count("100", 99, FWC_ERR_JSON, 0);
    /* The whole uint64_t range, and one past it. */
    want_count("18446744073709551615", UINT64_MAX, FWC_OK, UINT64_MAX);
    want_count("18446744073709551616", UINT64_MAX, FWC_ERR_JSON, 0);
    want_count("18446744073709551620", UINT64_MAX, FWC_ERR_JSON, 0);
    want_count("99999999999999999999", UINT64_MAX, FWC_ERR_JSON, 0);
    want_count("100000000000000000000", UINT64_MAX, FWC_ERR_JSON, 0);
    want_count("99999999999999999999", 604800, FWC_ERR_JSON, 0);
    want_count("4294967296", 4294967295u, FWC_ERR_JSON, 0);
    want_count("4294967295", 4294967295u, FWC_OK, 4294967295u);
}

static void count_bad_tokens(void **state)
{
    struct parsed p;
    uint64_t v = 0;
    (void)state;
    doc_parse_str(&p, "{\"a\":1}");
    assert_int_equal(fwci_json_count(&p.j, -1, 100, &v), FWC_ERR_JSON);
    assert_int_equal(fwci_json_count(&p.j, -2, 100, &v), FWC_ERR_JSON);
    assert_int_equal(fwci_json_count(&p.j, 0, 100, &v), FWC_ERR_JSON);
    assert_int_equal(fwci_json_count(&p.j, p.j.count, 100, &v), FWC_ERR_JSON);
    assert_int_equal(fwci_json_count(&p.j, member(&p, "a"), 100, &v), FWC_OK);
    assert_int_equal(v, 1);
    doc_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(valid_documents),
        cmocka_unit_test(depth_up_to_the_limit),
        cmocka_unit_test(depth_is_not_cumulative),
        cmocka_unit_test(invalid_documents),
        cmocka_unit_test(truncated_documents),
        cmocka_unit_test(token_capacity),
        cmocka_unit_test(member_lookup),
        cmocka_unit_test(member_duplicate_is_ambiguous),
        cmocka_unit_test(string_unescaping),
        cmocka_unit_test(string_refusals),
        cmocka_unit_test(string_capacity),
        cmocka_unit_test(string_ieq),
        cmocka_unit_test(is_null_and_is_string),
        cmocka_unit_test(count_values),
        cmocka_unit_test(count_limits),
        cmocka_unit_test(count_bad_tokens),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
