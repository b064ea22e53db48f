/* SPDX-License-Identifier: MIT */
/* fwc: the command-line tool on the POSIX port, for appliances driven by
 * shell scripts and systemd units. See `fwc --help`.
 *
 * Exit codes: 0 success, 2 usage or configuration, 3 credentials or token
 * refused, 4 network or TLS, 5 server or protocol, 6 output not written.
 * The secret is the first line of a file (or stdin), never from the
 * command line, where `ps` would show it.
 *
 * Messages: at the default level each failure is told once, by the tool,
 * with the HTTP status, the OAuth error code and what to change; the
 * library's log (its warnings included) is silent. -v shows the library's
 * warnings and info lines and the tool's own, -v -v debug lines too: a
 * trace on stderr before the tool's message (port/posix/fwc_port_posix.h
 * sets the threshold). The manual is fwc.1 beside this file. */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE /* realpath, for --state */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fwc/oauth.h"
#include "fwc/port.h"
#include "fwc/secret.h"
#include "fwc/upload.h"
#include "fwc/version.h"
#include "fwc/warm.h"
#include "fwc_port_posix.h"

enum exit_code {
    EXIT_OK = 0,
    EXIT_USAGE = 2,
    EXIT_REFUSED = 3,
    EXIT_NETWORK = 4,
    EXIT_SERVER = 5,
    EXIT_WRITE = 6 /* curl's 23: the token, API answer or asset URL was lost */
};

/* The tool's own log lines, at the port's levels (fwc/port.h). */
enum log_level { LOG_WARNING = 2, LOG_INFO = 3, LOG_DEBUG = 4 };

#define MAX_FIELDS 32
/* The path fwc_upload() asks for under the base URL (src/upload.c). */
#define UPLOAD_API_PATH "/fotoweb/api/uploads"

struct options {
    const char *command;
    const char *args[3];
    int nargs;
    const char *url, *client_id, *secret_file, *ca_file, *token_path, *auth;
    const char *accept, *data, *content_type, *to, *folder, *name;
    /* Where each setting came from, for -v -v: a flag, a variable, or
     * "the default". */
    const char *url_from, *client_id_from, *secret_file_from, *ca_file_from, *token_path_from;
    const char *proxy, *noproxy, *state_file; /* field networks: proxy.c-side, --state */
    const char *cache_file, *cache_file_from;   /* --cache, FWC_CACHE: warm starts */
    struct fwc_upload_field fields[MAX_FIELDS];
    size_t nfields;
    int timeout_s;
    int json;
    int verbose; /* how many -v */
};

static struct fwc_client client;
static char secret[CONFIG_FWC_SECRET_MAX + 1]; /* + 1: a longer line shows */
static size_t secret_len;
static uint8_t ca[1 << 20]; /* the system bundle is ~200 KiB */
static char token[CONFIG_FWC_TOKEN_MAX + 1];
/* stdout's buffer, ours so that the token printed through it can be wiped */
static char out_buf[BUFSIZ];
static int out_errno; /* why a write to stdout failed, 0 if none did */

static const char usage_text[] =
    "usage: fwc [options] COMMAND [args]\n"
    "       fwc help [COMMAND]    the help of one command (or fwc COMMAND --help)\n"
    "\n"
    "commands:\n"
    "  token [--json]                      print an access token\n"
    "  get PATH [--accept TYPE]            authorized GET, body to stdout as received\n"
    "  request METHOD PATH [--data @FILE [--content-type TYPE]] [--accept TYPE]\n"
    "                                      any method, the body from a file\n"
    "  upload FILE --to DESTINATION [--folder F] [--name N] [--field ID=VALUE]...\n"
    "                                      prints the new asset's URL; one holding\n"
    "                                      control characters is refused (exit 5)\n"
    "         [--state FILE]               resume from FILE if it is there (same file,\n"
    "                                      size and destination), keep it up to date,\n"
    "                                      remove it when the upload is done\n"
    "  help [COMMAND]                      this text, or one command's\n"
    "\n"
    "PATH starts with '/' (/fotoweb/me/) and goes after the base URL. A path in the\n"
    "base URL goes in front of every PATH: a proxy's prefix, never /fotoweb.\n"
    "\n"
    "options (flags override the environment; --opt=value works as --opt value):\n"
    "  --url URL            FWC_URL                 https://tenant.example.com\n"
    "  --client-id ID       FWC_CLIENT_ID\n"
    "  --secret-file FILE   FWC_CLIENT_SECRET_FILE  the secret is its first line;\n"
    "                                               '-' reads stdin; never a flag value\n"
    "  --ca-file FILE       FWC_CA_FILE             default /etc/ssl/certs/ca-certificates.crt\n"
    "  --token-path PATH    FWC_TOKEN_PATH          default /fotoweb/oauth2/token\n"
    "  --auth post|basic                            default post\n"
    "  --timeout SECONDS                            bound the whole run\n"
    "  --proxy [http://][USER:PASS@]HOST[:PORT]     https_proxy, HTTPS_PROXY; port 1080 if\n"
    "                                               none; \"\" for none (as curl)\n"
    "  --noproxy LIST       no_proxy, NO_PROXY      hosts reached directly: comma list,\n"
    "                                               suffix match, '*' for all\n"
    "  --cache FILE         FWC_CACHE               keep the token and the TLS session\n"
    "                                               there for the next run (warm start);\n"
    "                                               it holds secrets: 0600, else refused\n"
    "  -v, --verbose                                log to stderr: warnings and info;\n"
    "                                               twice (-vv), debug too\n"
    "  -h, --help, --version\n"
    "\n"
    "exit codes: 0 success, 2 usage or configuration, 3 credentials or token refused,\n"
    "            4 network or TLS failure, 5 server or protocol error,\n"
    "            6 the output could not be written (a full disk, a closed stdout)\n"
    "\n"
    "The manual: fwc(1); examples/cli/fwc.1 in the source tree.\n";

static const char common_note[] =
    "\n"
    "The options every command takes (--url, --client-id, --secret-file, ...), the\n"
    "environment and the exit codes: fwc --help.\n";

static const char token_help[] =
    "usage: fwc [options] token [--json]\n"
    "\n"
    "Print an access token for the client on stdout, alone on a line, for an\n"
    "\"Authorization: Bearer\" header.\n"
    "\n"
    "  --json    print {\"access_token\": ..., \"token_type\": \"bearer\",\n"
    "            \"expires_in\": SECONDS} instead\n";

static const char get_help[] =
    "usage: fwc [options] get PATH [--accept TYPE]\n"
    "\n"
    "An authorized GET of PATH, which starts with '/' (/fotoweb/me/) and is sent\n"
    "after the base URL. The answer's body goes to stdout byte for byte, also with\n"
    "an error status (exit 5 then).\n"
    "\n"
    "  --accept TYPE   the Accept header, e.g. application/json\n";

static const char request_help[] =
    "usage: fwc [options] request METHOD PATH [--data @FILE [--content-type TYPE]]\n"
    "                                  [--accept TYPE]\n"
    "\n"
    "An authorized request with any METHOD (GET, POST, PUT, DELETE, ...) of PATH,\n"
    "which starts with '/'; the answer goes to stdout as for get. POST and PUT\n"
    "without --data send an empty body.\n"
    "\n"
    "  --data @FILE          the body, read from FILE\n"
    "  --content-type TYPE   the body's type; default from FILE's name: .json\n"
    "                        application/json, .xml and .xmp application/xml, else\n"
    "                        application/octet-stream\n"
    "  --accept TYPE         the Accept header\n";

static const char upload_help[] =
    "usage: fwc [options] upload FILE --to DESTINATION [--folder F] [--name N]\n"
    "                                 [--field ID=VALUE]...\n"
    "\n"
    "Upload FILE and print the new asset's URL on stdout. An asset URL holding\n"
    "control characters is not printed (exit 5, the URL escaped on stderr). With\n"
    "stderr on a terminal, a progress line there, redrawn at most 10 times a second.\n"
    "\n"
    "  --to DESTINATION   the archive or folder: its path, starting with '/'\n"
    "                     (/fotoweb/archives/5000-Photos/), or its URL; an asset's\n"
    "                     URL (.info) uploads a new revision of it\n"
    "  --folder F         a folder under DESTINATION\n"
    "  --name N           the asset's file name (default: FILE's)\n"
    "  --field ID=VALUE   a metadata field by its numeric ID; once per field\n";

static const char help_help[] =
    "usage: fwc help [COMMAND]\n"
    "\n"
    "The general help, or COMMAND's (the same as fwc COMMAND --help).\n";

struct command {
    const char *name;
    int nargs; /* the arguments after the name; -1: none or one */
    const char *help;
};

static const struct command commands[] = {
    {"token", 0, token_help},    {"get", 1, get_help},   {"request", 2, request_help},
    {"upload", 1, upload_help}, {"help", -1, help_help},
};

static const struct command *find_command(const char *name)
{
    size_t i;
    for (i = 0; name != NULL && i < sizeof(commands) / sizeof(commands[0]); i++) {
        if (strcmp(name, commands[i].name) == 0)
            return &commands[i];
    }
    return NULL;
}

static void print_help(const struct command *cmd)
{
    if (cmd == NULL) {
        fputs(usage_text, stdout);
        return;
    }
    fputs(cmd->help, stdout);
    fputs(common_note, stdout);
}

/* One of the tool's own lines through the port's log, which drops it
 * above the level -v chose. Never given the secret or a token. */
static void say(int level, const char *fmt, ...)
{
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    /* A long line is cut. NOLINT: clang-analyzer 14 loses the va_start
     * just above through glibc's x86-64 va_list (an array) and reports it
     * uninitialised. */
    (void)vsnprintf(line, sizeof(line), fmt, ap); /* NOLINT(clang-analyzer-valist.Uninitialized) */
    va_end(ap);
    fwc_port_log(level, line);
}

static int usage_error(const char *what, const char *detail)
{
    fprintf(stderr, "fwc: %s%s%s\n(see fwc --help)\n", what, detail ? ": " : "",
            detail ? detail : "");
    return EXIT_USAGE;
}

/* ---- the secret hook: the client ID from the options, the secret from
 * the file read once at start ---------------------------------------------- */

static const char *hook_client_id;

enum fwc_err fwc_secret_get(void *ctx, enum fwc_secret_item item, char *buf, size_t cap,
                            size_t *out_len)
{
    const char *v = item == FWC_SECRET_CLIENT_ID ? hook_client_id : secret;
    size_t n = item == FWC_SECRET_CLIENT_ID ? strlen(hook_client_id) : secret_len;
    (void)ctx;
    if (n == 0 || n > cap)
        return FWC_ERR_SECRET_UNAVAILABLE;
    memcpy(buf, v, n);
    *out_len = n;
    return FWC_OK;
}

/* memset on memory never read again may be optimised away; this may not. */
static void wipe(void *p, size_t n)
{
    volatile unsigned char *v = p;
    while (n-- > 0)
        *v++ = 0;
}

/* read(2) into buf until it is full, holds an LF, or the input ends: a
 * secret typed on a terminal ends with Enter. Not stdio, whose buffer would
 * keep a copy of the secret. The count read, or -1 on an error. */
static ssize_t read_upto_lf(int fd, char *buf, size_t cap)
{
    size_t n = 0;
    while (n < cap && memchr(buf, '\n', n) == NULL) {
        ssize_t got = read(fd, buf + n, cap - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            return -1;
        if (got == 0)
            break;
        n += (size_t)got;
    }
    return (ssize_t)n;
}

/* After a buffer that filled up with no LF in it: whether the line ends
 * right there (the end of the input, LF, or CR LF next). */
static bool line_ends_here(int fd)
{
    char c[2] = {0, 0};
    ssize_t got = read_upto_lf(fd, c, sizeof(c));
    bool ends = got == 0 || (got > 0 && c[0] == '\n') ||
                (got > 0 && c[0] == '\r' && (got == 1 || c[1] == '\n'));
    wipe(c, sizeof(c));
    return ends;
}

enum line_result { LINE_OK, LINE_UNREADABLE, LINE_EMPTY, LINE_TOO_LONG };

/* The first line of fd into buf, without its LF or CR LF; what was read
 * beyond it (a note, the old secret kept during a rotation) is wiped. */
static enum line_result first_line(int fd, char *buf, size_t cap, size_t *out_len)
{
    ssize_t got = read_upto_lf(fd, buf, cap);
    size_t n = got > 0 ? (size_t)got : 0, len;
    const char *lf = memchr(buf, '\n', n);
    bool fits = lf != NULL || n < cap || line_ends_here(fd);

    len = lf != NULL ? (size_t)(lf - buf) : n;
    wipe(buf + len, cap - len);
    if (len > 0 && buf[len - 1] == '\r')
        buf[--len] = '\0';
    *out_len = len;
    if (got < 0)
        return LINE_UNREADABLE;
    if (!fits)
        return LINE_TOO_LONG;
    return len == 0 ? LINE_EMPTY : LINE_OK;
}

static void warn_if_loose(int fd, const char *path)
{
    struct stat sb;
    if (fd != STDIN_FILENO && fstat(fd, &sb) == 0 && (sb.st_mode & 077) != 0)
        fprintf(stderr, "fwc: warning: secret file %s is readable by group or others; "
                        "chmod 600 it\n", path);
}

/* The secret is the file's first line. An empty or over-long one is
 * refused, never sent or cut to fit; the messages never show it. */
static int read_secret(const char *path)
{
    int fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
    enum line_result res;

    if (fd < 0)
        return usage_error("cannot read the secret file", path);
    warn_if_loose(fd, path);
    res = first_line(fd, secret, sizeof(secret), &secret_len);
    if (fd != STDIN_FILENO)
        close(fd);
    if (res == LINE_OK && secret_len <= CONFIG_FWC_SECRET_MAX)
        return EXIT_OK;
    wipe(secret, sizeof(secret));
    secret_len = 0;
    if (res == LINE_UNREADABLE)
        return usage_error("cannot read the secret file", path);
    if (res == LINE_EMPTY)
        return usage_error("the secret file's first line is empty (the secret goes on the "
                           "first line)", path);
    fprintf(stderr, "fwc: the secret file's first line is longer than %d bytes: %s\n"
                    "(see fwc --help)\n", CONFIG_FWC_SECRET_MAX, path);
    return EXIT_USAGE;
}

static size_t load_ca(const char *path)
{
    FILE *f = fopen(path, "rb");
    size_t n;
    if (f == NULL)
        return 0;
    n = fread(ca, 1, sizeof(ca) - 1, f);
    fclose(f);
    ca[n] = '\0';
    return n > 0 ? n + 1 : 0;
}

/* ---- options ---------------------------------------------------------------- */

/* The flag's value, else the variable's, else fallback; *from names
 * which (for -v -v). */
static const char *env_or(const char *flag, const char *flag_name, const char *name,
                          const char *fallback, const char **from)
{
    const char *v = getenv(name);
    if (flag != NULL) {
        *from = flag_name;
        return flag;
    }
    if (v != NULL && *v != '\0') {
        *from = name;
        return v;
    }
    *from = "the default";
    return fallback;
}

static int parse_field(struct options *o, const char *spec)
{
    const char *eq = strchr(spec, '=');
    char *end;
    long id;
    if (eq == NULL || o->nfields == MAX_FIELDS)
        return usage_error("--field wants ID=VALUE", spec);
    id = strtol(spec, &end, 10);
    if (end != eq || id < 0 || id > 100000)
        return usage_error("--field wants a numeric field ID", spec);
    o->fields[o->nfields].id = (int)id;
    o->fields[o->nfields].value = eq + 1;
    o->nfields++;
    return EXIT_OK;
}

/* Whether the option a (n characters, without any "=value") is flag. */
static bool is_flag(const char *a, size_t n, const char *flag)
{
    return strlen(flag) == n && strncmp(a, flag, n) == 0;
}

/* Options that take a value: the next argument, or what follows '=' in
 * --opt=value. */
static const char **value_slot(struct options *o, const char *a, size_t n)
{
    static const struct {
        const char *flag;
        size_t offset;
    } table[] = {
        {"--url", offsetof(struct options, url)},
        {"--client-id", offsetof(struct options, client_id)},
        {"--secret-file", offsetof(struct options, secret_file)},
        {"--ca-file", offsetof(struct options, ca_file)},
        {"--token-path", offsetof(struct options, token_path)},
        {"--auth", offsetof(struct options, auth)},
        {"--accept", offsetof(struct options, accept)},
        {"--data", offsetof(struct options, data)},
        {"--content-type", offsetof(struct options, content_type)},
        {"--to", offsetof(struct options, to)},
        {"--folder", offsetof(struct options, folder)},
        {"--name", offsetof(struct options, name)},
        {"--proxy", offsetof(struct options, proxy)},
        {"--noproxy", offsetof(struct options, noproxy)},
        {"--state", offsetof(struct options, state_file)},
        {"--cache", offsetof(struct options, cache_file)},
    };
    size_t i;
    for (i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
        if (is_flag(a, n, table[i].flag))
            return (const char **)(void *)((char *)o + table[i].offset);
    }
    return NULL;
}

/* A positive count of seconds, up to a day; 0 for anything else ("5s",
 * "", "-1", an overflow). */
static int whole_seconds(const char *s)
{
    char *end = NULL;
    long v;
    errno = 0;
    v = strtol(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v <= 0 || v > 86400)
        return 0;
    return (int)v;
}

/* "-v", "-vv", "-vvv": how many v, else 0. */
static int v_cluster(const char *a)
{
    size_t n = strspn(a + 1, "v");
    return a[0] == '-' && n > 0 && a[1 + n] == '\0' ? (int)n : 0;
}

/* A usage error naming an option, never the value after its '=': on the
 * command line of a mistyped --secret=... it would be the secret. */
static int option_error(const char *what, const char *a, size_t n)
{
    fprintf(stderr, "fwc: %s: %.*s\n(see fwc --help)\n", what, (int)n, a);
    return EXIT_USAGE;
}

/* 0 to go on, -1 when --help or --version was answered, else an exit code. */
static int parse_args(int argc, char **argv, struct options *o)
{
    int i;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        /* --opt=value: the name is a's first n characters. */
        const char *eq = strncmp(a, "--", 2) == 0 ? strchr(a, '=') : NULL;
        size_t n = eq != NULL ? (size_t)(eq - a) : strlen(a);
        const char **slot = value_slot(o, a, n);
        bool field = is_flag(a, n, "--field"), timeout = is_flag(a, n, "--timeout");
        const char *value;

        if (slot != NULL || field || timeout) {
            value = eq != NULL ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
            if (value == NULL)
                return option_error("missing value for", a, n);
            /* --proxy "" and --noproxy "" mean "none", as for curl. */
            if (value[0] == '\0' && !is_flag(a, n, "--proxy") && !is_flag(a, n, "--noproxy"))
                return option_error("empty value for", a, n);
            if (field) {
                if (parse_field(o, value) != EXIT_OK)
                    return EXIT_USAGE;
            } else if (timeout) {
                o->timeout_s = whole_seconds(value);
                if (o->timeout_s <= 0)
                    return usage_error("--timeout wants whole seconds", value);
            } else {
                *slot = value;
            }
            continue;
        }
        if (eq != NULL && (is_flag(a, n, "--help") || is_flag(a, n, "--version") ||
                           is_flag(a, n, "--json") || is_flag(a, n, "--verbose")))
            return option_error("this option takes no value", a, n);
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            /* fwc COMMAND --help: that command's; before a command, all. */
            const struct command *cmd = find_command(o->command);
            if (o->command != NULL && cmd == NULL)
                return usage_error("unknown command", o->command);
            print_help(cmd);
            return -1;
        }
        if (strcmp(a, "--version") == 0) {
            printf("fwc %s\n", fwc_version());
            return -1;
        }
        if (strcmp(a, "--json") == 0) {
            o->json = 1;
        } else if (strcmp(a, "--verbose") == 0 || v_cluster(a) > 0) {
            o->verbose += a[1] == '-' ? 1 : v_cluster(a);
        } else if (a[0] == '-' && a[1] != '\0') {
            /* --secret and friends land here too: secrets are files only.
             * Never echo what follows '=': it may be the secret itself. */
            return option_error("unknown option", a, strcspn(a, "="));
        } else if (o->command == NULL) {
            o->command = a;
        } else if (o->nargs < 3) {
            o->args[o->nargs++] = a;
        } else {
            return usage_error("too many arguments", a);
        }
    }
    return EXIT_OK;
}

/* A command's usage line, under a message about its arguments. */
static int command_error(const struct command *cmd, const char *what, const char *detail)
{
    const char *nl = strchr(cmd->help, '\n');
    fprintf(stderr, "fwc: %s%s%s\n%.*s\n(see fwc help %s)\n", what, detail ? ": " : "",
            detail ? detail : "", nl != NULL ? (int)(nl - cmd->help) : 0, cmd->help, cmd->name);
    return EXIT_USAGE;
}

/* An API path as the library wants it: from the base URL, with a leading
 * '/'. Checked here to say what to write instead. */
static int check_api_path(const char *path)
{
    if (path[0] == '/')
        return EXIT_OK;
    fprintf(stderr, "fwc: the path must start with '/': write /%s instead of %s\n"
                    "(the part of the URL after the base URL, e.g. /fotoweb/me/)\n",
            path, path);
    return EXIT_USAGE;
}

/* fwc help [COMMAND] */
static int cmd_help(const struct options *o)
{
    const struct command *cmd = find_command(o->args[0]);
    if (o->nargs > 1)
        return usage_error("too many arguments", o->args[1]);
    if (o->nargs == 1 && cmd == NULL)
        return usage_error("no such command", o->args[0]);
    print_help(cmd);
    return EXIT_OK;
}

/* The command and its arguments, before any configuration is read: a
 * mistake here is told without the network and without the settings. */
static int check_command(const struct options *o)
{
    const struct command *cmd = find_command(o->command);
    if (cmd == NULL)
        return usage_error("unknown command", o->command);
    if (cmd->nargs >= 0 ? o->nargs != cmd->nargs : o->nargs > 1)
        return command_error(cmd, o->nargs < cmd->nargs ? "missing arguments for"
                                                        : "too many arguments for",
                             cmd->name);
    if (strcmp(cmd->name, "get") == 0)
        return check_api_path(o->args[0]);
    if (strcmp(cmd->name, "request") == 0)
        return check_api_path(o->args[1]);
    if (strcmp(cmd->name, "upload") == 0) {
        if (o->to == NULL)
            return command_error(cmd, "upload needs --to DESTINATION", NULL);
        if (o->to[0] != '/' && strncasecmp(o->to, "https://", 8) != 0 &&
            strncasecmp(o->to, "http://", 7) != 0) {
            fprintf(stderr, "fwc: --to wants the destination's path, starting with '/', or "
                            "its URL: write /%s instead of %s\n", o->to, o->to);
            return EXIT_USAGE;
        }
    }
    return EXIT_OK;
}

/* ---- text from the server -------------------------------------------------- */

/* The length of the character at s (n bytes left) when a terminal can only
 * show it as text: printable ASCII, or well-formed UTF-8 that is not a C1
 * control (U+0080..U+009F, CSI among them). 0 for a C0 control, DEL, a C1
 * control, or a byte that is not well-formed UTF-8 (overlong forms could
 * smuggle a control past a lax decoder). */
static size_t text_char_len(const unsigned char *s, size_t n)
{
    size_t len, i;
    if (s[0] >= 0x20 && s[0] < 0x7f)
        return 1;
    if (s[0] >= 0xc2 && s[0] <= 0xdf)
        len = 2;
    else if (s[0] >= 0xe0 && s[0] <= 0xef)
        len = 3;
    else if (s[0] >= 0xf0 && s[0] <= 0xf4)
        len = 4;
    else
        return 0;
    if (len > n)
        return 0;
    for (i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
    }
    if ((s[0] == 0xc2 && s[1] < 0xa0) || (s[0] == 0xe0 && s[1] < 0xa0) ||
        (s[0] == 0xed && s[1] > 0x9f) || (s[0] == 0xf0 && s[1] < 0x90) ||
        (s[0] == 0xf4 && s[1] > 0x8f))
        return 0; /* C1, overlong, a surrogate, or past U+10FFFF */
    return len;
}

/* Whether s can go to a terminal as it is: a server that writes a newline,
 * ESC or CSI into a value the tool prints could forge lines or drive the
 * terminal. */
static bool is_plain_text(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s), k;
    for (; n > 0; p += k, n -= k) {
        k = text_char_len(p, n);
        if (k == 0)
            return false;
    }
    return true;
}

/* s on f with what is not plain text as \xHH, and '\' as \\ so the
 * escapes cannot be forged either. */
static void put_escaped(FILE *f, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s), k;
    for (; n > 0; p += k, n -= k) {
        k = text_char_len(p, n);
        if (k == 0) {
            fprintf(f, "\\x%02x", p[0]);
            k = 1;
        } else if (p[0] == '\\') {
            fputs("\\\\", f);
        } else {
            fwrite(p, 1, k, f);
        }
    }
}

/* ---- errors ---------------------------------------------------------------- */

static int exit_code_for(enum fwc_err err)
{
    switch (err) {
    case FWC_OK:
        return EXIT_OK;
    case FWC_ERR_INVALID_ARG:
    case FWC_ERR_URL:
    case FWC_ERR_PLAINTEXT:
    case FWC_ERR_SECRET_UNAVAILABLE:
        return EXIT_USAGE;
    case FWC_ERR_OAUTH_INVALID_CLIENT:
    case FWC_ERR_OAUTH_ACCESS_DENIED:
    case FWC_ERR_OAUTH:
    case FWC_ERR_UNAUTHORIZED:
        return EXIT_REFUSED;
    case FWC_ERR_TIMEOUT:
    case FWC_ERR_DNS:
    case FWC_ERR_CONNECT:
    case FWC_ERR_CONN_RESET:
    case FWC_ERR_CONN_CLOSED:
    case FWC_ERR_TRANSPORT:
    case FWC_ERR_TLS_HANDSHAKE:
    case FWC_ERR_TLS_CERT:
    case FWC_ERR_TLS:
    case FWC_ERR_PROXY_AUTH:
    case FWC_ERR_PROXY:
    case FWC_ERR_PROXY_CLOSED:
        return EXIT_NETWORK;
    default:
        return EXIT_SERVER;
    }
}

static const char *advice(enum fwc_err err)
{
    switch (err) {
    case FWC_ERR_OAUTH_INVALID_CLIENT:
        return "check the client ID and the secret file";
    case FWC_ERR_OAUTH_ACCESS_DENIED:
        return "the tenant or application is not allowed the API; ask its administrator";
    case FWC_ERR_UNAUTHORIZED:
        return "a fresh token was refused too; a proxy may strip Authorization";
    case FWC_ERR_DNS:
        return "check the host name in --url / FWC_URL";
    case FWC_ERR_CONNECT:
        return "nothing answers at that host and port; check --url and the network";
    case FWC_ERR_TIMEOUT:
        return "the server did not answer in time; try again or raise --timeout";
    case FWC_ERR_TLS_HANDSHAKE:
        return "the server does not speak TLS 1.2+ here; check the port in --url";
    case FWC_ERR_ENTROPY:
        return "this system's random source failed; nothing was uploaded";
    case FWC_ERR_PROXY_AUTH:
        return "the proxy wants other credentials: check USER:PASS in --proxy / https_proxy";
    case FWC_ERR_PROXY:
        return "the proxy refused the tunnel: check --proxy and that it allows CONNECT here";
    case FWC_ERR_PROXY_CLOSED:
        return "the proxy closed the connection: check --proxy / https_proxy";
    default:
        return NULL;
    }
}

/* The path of a base URL that fwc_client_init accepted
 * (https://authority[/path]): after the host and port, "" if none. */
static const char *url_path(const char *url)
{
    const char *p = strstr(url, "://");
    p = p != NULL ? p + 3 : url;
    return p + strcspn(p, "/");
}

/* The length of path without its trailing slashes, as the library
 * keeps a prefix. */
static size_t trimmed_len(const char *path)
{
    size_t n = strlen(path);
    while (n > 0 && path[n - 1] == '/')
        n--;
    return n;
}

/* How to give a base URL in a message: the way this one was given. */
static const char *url_setting(const struct options *o)
{
    return strcmp(o->url_from, "--url") == 0 ? "--url " : "FWC_URL=";
}

/* After a 404 with a base URL that has a path, which goes in front of
 * every path asked for: what was asked for. When the token endpoint was
 * not found (api_path NULL), the base URL is the likely mistake: a path
 * there suits a proxy's prefix and little else. */
static void prefix_hint(const struct options *o, const char *api_path)
{
    const char *prefix = url_path(o->url);
    int n = (int)trimmed_len(prefix);

    if (n == 0)
        return;
    if (api_path != NULL) {
        fprintf(stderr, "fwc: asked for %.*s%s: the base URL's path %.*s goes in front of "
                        "every path\n", n, prefix, api_path, n, prefix);
        return;
    }
    fprintf(stderr, "fwc: the token endpoint asked for was %.*s%s: the base URL's path %.*s "
                    "goes in front of every path. FotoWeb's own paths start with /fotoweb/, "
                    "so unless a proxy serves FotoWeb under %.*s, use %s%.*s\n",
            n, prefix, o->token_path != NULL ? o->token_path : CONFIG_FWC_TOKEN_PATH, n,
            prefix, n, prefix, url_setting(o), (int)(prefix - o->url), o->url);
}

static int report(const struct options *o, const char *host, enum fwc_err err)
{
    uint32_t problems = fwc_client_cert_problems(&client);
    const char *hint = advice(err);

    if (err == FWC_ERR_TLS_CERT) {
        if (problems & FWC_TLS_CERT_UNTRUSTED)
            fprintf(stderr, "fwc: certificate for %s not trusted by CA file %s; "
                            "give the right CA with --ca-file\n", host, o->ca_file);
        else if (problems & FWC_TLS_CERT_HOST_MISMATCH)
            fprintf(stderr, "fwc: certificate is not for %s; check the host in --url\n", host);
        else if (problems & (FWC_TLS_CERT_EXPIRED | FWC_TLS_CERT_NOT_YET_VALID))
            fprintf(stderr, "fwc: certificate for %s is expired or not yet valid; "
                            "check the server and this device's clock\n", host);
        else
            fprintf(stderr, "fwc: certificate for %s rejected (key usage, signature or format); "
                            "check how the server's certificate was issued\n", host);
    } else {
        char code[FWC_OAUTH_ERROR_MAX];
        fwc_client_oauth_error(&client, code, sizeof(code));
        fprintf(stderr, "fwc: %s", fwc_strerror(err));
        if (fwc_client_http_status(&client) != 0) {
            fprintf(stderr, " (HTTP %d", fwc_client_http_status(&client));
            if (code[0] != '\0') {
                fputs(", ", stderr);
                /* The library keeps printable codes only; the tool does
                 * not count on it for what reaches a terminal. */
                put_escaped(stderr, code);
            }
            fputc(')', stderr);
        }
        fprintf(stderr, "%s%s\n", hint ? "; " : "", hint ? hint : "");
        /* With a token in hand, the 404 was the upload's, not the token
         * endpoint's. */
        if (fwc_client_http_status(&client) == 404)
            prefix_hint(o, strcmp(o->command, "upload") == 0 &&
                                   fwc_token_seconds_left(&client) > 0
                               ? UPLOAD_API_PATH
                               : NULL);
    }
    return exit_code_for(err);
}

/* ---- commands ---------------------------------------------------------------- */

static int cmd_token(const struct options *o)
{
    size_t len = 0;
    enum fwc_err err = fwc_token(&client, token, sizeof(token), &len);
    if (err != FWC_OK)
        return report(o, fwc_client_host(&client), err);
    if (o->json)
        printf("{\"access_token\": \"%s\", \"token_type\": \"bearer\", \"expires_in\": %u}\n",
               token, (unsigned)fwc_token_seconds_left(&client));
    else
        printf("%s\n", token);
    wipe(token, sizeof(token)); /* the copy in stdout's buffer: close_stdout */
    return EXIT_OK;
}

static enum fwc_err to_stdout(void *ctx, const uint8_t *data, size_t len)
{
    (void)ctx;
    if (fwrite(data, 1, len, stdout) == len)
        return FWC_OK;
    out_errno = errno;
    return FWC_ERR_SINK; /* stop the transfer: nobody gets the rest */
}

struct file_body {
    FILE *f;
};

static int32_t file_read(void *ctx, uint8_t *buf, size_t len)
{
    size_t n = fread(buf, 1, len, ((struct file_body *)ctx)->f);
    return n > 0 ? (int32_t)n : -1;
}

static enum fwc_err file_rewind(void *ctx)
{
    return fseek(((struct file_body *)ctx)->f, 0, SEEK_SET) == 0 ? FWC_OK : FWC_ERR_BODY_READER;
}

static enum fwc_err file_seek(void *ctx, uint64_t offset)
{
    return fseeko(((struct file_body *)ctx)->f, (off_t)offset, SEEK_SET) == 0
               ? FWC_OK
               : FWC_ERR_BODY_READER;
}

static int open_body(const char *spec, struct file_body *b, uint64_t *out_size)
{
    struct stat sb;
    if (spec[0] != '@')
        return usage_error("--data wants @FILE", spec);
    b->f = fopen(spec + 1, "rb");
    if (b->f == NULL || fstat(fileno(b->f), &sb) != 0 || !S_ISREG(sb.st_mode))
        return usage_error("cannot read", spec + 1);
    *out_size = (uint64_t)sb.st_size;
    return EXIT_OK;
}

/* The body's media type: given, or guessed from the file's extension. */
static const char *content_type_for(const struct options *o)
{
    const char *dot = strrchr(o->data, '.');
    if (o->content_type != NULL)
        return o->content_type;
    if (dot != NULL && strcmp(dot, ".json") == 0)
        return "application/json";
    if (dot != NULL && (strcmp(dot, ".xml") == 0 || strcmp(dot, ".xmp") == 0))
        return "application/xml";
    return "application/octet-stream";
}

static int cmd_request(const struct options *o, const char *method, const char *path)
{
    struct fwc_http_header headers[2];
    struct fwc_http_request req;
    struct fwc_http_response resp;
    struct file_body body = {NULL};
    enum fwc_err err;
    int rc;

    memset(&req, 0, sizeof(req));
    req.method = method;
    req.path = path;
    req.headers = headers;
    if (o->accept != NULL) {
        headers[req.header_count].name = "Accept";
        headers[req.header_count++].value = o->accept;
    }
    if (o->data != NULL) {
        rc = open_body(o->data, &body, &req.body_reader_len);
        if (rc != EXIT_OK)
            return rc;
        headers[req.header_count].name = "Content-Type";
        /* read through req.headers, which cppcheck does not follow */
        /* cppcheck-suppress unreadVariable */
        headers[req.header_count++].value = content_type_for(o);
        req.body_reader = file_read;
        req.body_rewind = file_rewind;
        req.body_reader_ctx = &body;
    } else if (strcmp(method, "POST") == 0 || strcmp(method, "PUT") == 0) {
        req.send_zero_length = true;
    }
    memset(&resp, 0, sizeof(resp));
    resp.sink = to_stdout;
    if (o->data != NULL)
        say(LOG_DEBUG, "%s %s, Accept: %s, a %llu-byte body of type %s", method, path,
            o->accept ? o->accept : "(none)", (unsigned long long)req.body_reader_len,
            content_type_for(o));
    else
        say(LOG_DEBUG, "%s %s, Accept: %s, no body", method, path,
            o->accept ? o->accept : "(none)");
    err = fwc_request(&client, &req, &resp);
    if (body.f != NULL)
        fclose(body.f);
    if (resp.status != 0)
        say(LOG_INFO, "%s %s: HTTP %d", method, path, resp.status);
    if (err == FWC_ERR_SINK)
        return EXIT_WRITE; /* close_stdout says why */
    if (err == FWC_ERR_HTTP_STATUS && resp.status != 0) {
        /* The API's answer; its body went to stdout, as curl's does. (With
         * no status the token request failed: report() tells that.) */
        fprintf(stderr, "fwc: the server answered HTTP %d to %s %s\n", resp.status, method, path);
        if (resp.status == 404)
            prefix_hint(o, path);
        return EXIT_SERVER;
    }
    if (err != FWC_OK)
        return report(o, fwc_client_host(&client), err);
    return EXIT_OK;
}


/* ---- the proxy: --proxy, https_proxy, no_proxy (curl's rules) ------------- */

/* Decoded proxy credentials: secrets, wiped when the run ends. */
static char proxy_host[256];
static char proxy_user[256];
static char proxy_pass[256];
static struct fwc_proxy_config proxy_cfg;

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Percent-decode s[0..n) into out (cap); false if it does not fit or is bad. */
static bool decode_into(char *out, size_t cap, const char *s, size_t n)
{
    size_t i, k = 0;
    for (i = 0; i < n; i++) {
        int c = (unsigned char)s[i];
        if (c == '%') {
            int hi = i + 2 < n ? hex_value(s[i + 1]) : -1;
            int lo = i + 2 < n ? hex_value(s[i + 2]) : -1;
            if (hi < 0 || lo < 0)
                return false;
            c = hi * 16 + lo;
            i += 2;
        }
        if (c == 0 || k + 1 >= cap)
            return false;
        out[k++] = (char)c;
    }
    out[k] = '\0';
    return true;
}

/* [http://][user[:pass]@]host[:port][/] into proxy_cfg. Never prints the
 * spec: it may hold the password. */
static int parse_proxy_url(const char *spec)
{
    const char *p = spec, *at, *end, *colon, *host_end;
    char *port_end;
    unsigned long port = 1080; /* curl's default */

    if (strstr(p, "://") != NULL) {
        if (strncmp(p, "http://", 7) != 0)
            return usage_error("the proxy must be http://HOST:PORT (CONNECT)", NULL);
        p += 7;
    }
    end = p + strcspn(p, "/?#");
    at = memchr(p, '@', (size_t)(end - p));
    memset(&proxy_cfg, 0, sizeof(proxy_cfg));
    if (at != NULL) {
        colon = memchr(p, ':', (size_t)(at - p));
        if (!decode_into(proxy_user, sizeof(proxy_user), p,
                         (size_t)((colon != NULL ? colon : at) - p)) ||
            (colon != NULL && !decode_into(proxy_pass, sizeof(proxy_pass), colon + 1,
                                           (size_t)(at - colon - 1))))
            return usage_error("the proxy's user or password cannot be read", NULL);
        proxy_cfg.user = proxy_user;
        proxy_cfg.password = colon != NULL ? proxy_pass : NULL;
        p = at + 1;
    }
    if (*p == '[') { /* an IPv6 address */
        host_end = memchr(p, ']', (size_t)(end - p));
        if (host_end == NULL)
            return usage_error("the proxy's address is not closed by ']'", NULL);
        p++;
        colon = host_end + 1 < end && host_end[1] == ':' ? host_end + 1 : NULL;
    } else {
        colon = memchr(p, ':', (size_t)(end - p));
        host_end = colon != NULL ? colon : end;
    }
    if (host_end == p || (size_t)(host_end - p) >= sizeof(proxy_host))
        return usage_error("the proxy has no host, or one too long", NULL);
    memcpy(proxy_host, p, (size_t)(host_end - p));
    proxy_host[host_end - p] = '\0';
    if (colon != NULL) {
        errno = 0;
        port = strtoul(colon + 1, &port_end, 10);
        if (errno != 0 || port_end != end || port == 0 || port > 65535 || colon + 1 == end)
            return usage_error("the proxy's port is not a number from 1 to 65535", NULL);
    }
    proxy_cfg.host = proxy_host;
    proxy_cfg.port = (uint16_t)port;
    return EXIT_OK;
}

static bool same_text_nocase(const char *a, const char *b, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z')
            x = (char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = (char)(y - 'A' + 'a');
        if (x != y)
            return false;
    }
    return true;
}

/* One no_proxy entry against host:port, as curl: "*" is every host; a
 * leading dot is dropped; the entry matches the host itself or any name
 * under it (example.com: www.example.com, not notexample.com); an entry
 * without a port matches every port, one with a port only that one. */
static bool entry_matches(const char *e, size_t n, const char *host, unsigned port)
{
    size_t hlen = strlen(host), elen;
    const char *colon, *stop;
    unsigned long eport;

    if (n == 1 && e[0] == '*')
        return true;
    if (n > 0 && e[0] == '.') {
        e++;
        n--;
    }
    stop = e + n;
    if (n > 1 && e[0] == '[') { /* [v6] or [v6]:port */
        const char *close = memchr(e, ']', n);
        if (close == NULL)
            return false;
        colon = close + 1 < stop && close[1] == ':' ? close + 1 : NULL;
        elen = (size_t)(close - e - 1);
        e++;
    } else {
        colon = memchr(e, ':', n);
        if (colon != NULL && memchr(colon + 1, ':', (size_t)(stop - colon - 1)) != NULL)
            colon = NULL; /* a bare IPv6 address */
        elen = colon != NULL ? (size_t)(colon - e) : n;
    }
    if (colon != NULL) {
        char digits[8];
        size_t dn = (size_t)(stop - colon - 1);
        if (dn == 0 || dn >= sizeof(digits))
            return false;
        memcpy(digits, colon + 1, dn);
        digits[dn] = '\0';
        eport = strtoul(digits, NULL, 10);
        if (eport != port)
            return false;
    }
    if (elen == 0 || elen > hlen)
        return false;
    if (!same_text_nocase(host + hlen - elen, e, elen))
        return false;
    return elen == hlen || host[hlen - elen - 1] == '.';
}

static bool no_proxy_for(const char *list, const char *host, unsigned port)
{
    const char *p = list;
    while (*p != '\0') {
        size_t n;
        p += strspn(p, ", \t");
        n = strcspn(p, ", \t");
        if (n > 0 && entry_matches(p, n, host, port))
            return true;
        p += n;
    }
    return false;
}

/* The host and port of an https:// URL, for no_proxy; false if unreadable
 * (fwc_client_init names that error). */
static bool url_host_port(const char *url, char *host, size_t cap, unsigned *port)
{
    const char *p = strncmp(url, "https://", 8) == 0 ? url + 8 : url;
    const char *end = p + strcspn(p, "/?#"), *at = memchr(p, '@', (size_t)(end - p));
    const char *host_end, *colon;

    *port = 443;
    if (at != NULL)
        p = at + 1;
    if (*p == '[') {
        host_end = memchr(p, ']', (size_t)(end - p));
        if (host_end == NULL)
            return false;
        p++;
        colon = host_end + 1 < end && host_end[1] == ':' ? host_end + 1 : NULL;
    } else {
        colon = memchr(p, ':', (size_t)(end - p));
        host_end = colon != NULL ? colon : end;
    }
    if ((size_t)(host_end - p) >= cap)
        return false;
    memcpy(host, p, (size_t)(host_end - p));
    host[host_end - p] = '\0';
    if (colon != NULL)
        *port = (unsigned)strtoul(colon + 1, NULL, 10);
    return true;
}

/* The proxy for this run: --proxy, else https_proxy, else HTTPS_PROXY
 * (an empty one is none), unless --noproxy (else no_proxy, NO_PROXY)
 * names the server. *out NULL: connect directly. */
static int choose_proxy(const struct options *o, const struct fwc_proxy_config **out)
{
    const char *spec = o->proxy, *skip = o->noproxy;
    char host[256];
    unsigned port;

    *out = NULL;
    if (spec == NULL)
        spec = getenv("https_proxy");
    if (spec == NULL)
        spec = getenv("HTTPS_PROXY");
    if (skip == NULL)
        skip = getenv("no_proxy");
    if (skip == NULL)
        skip = getenv("NO_PROXY");
    if (spec == NULL || spec[0] == '\0')
        return EXIT_OK;
    if (skip != NULL && url_host_port(o->url, host, sizeof(host), &port) &&
        no_proxy_for(skip, host, port))
        return EXIT_OK;
    if (parse_proxy_url(spec) != EXIT_OK)
        return EXIT_USAGE;
    *out = &proxy_cfg;
    return EXIT_OK;
}

static void wipe_proxy(void)
{
    wipe(proxy_user, sizeof(proxy_user));
    wipe(proxy_pass, sizeof(proxy_pass));
    memset(&proxy_cfg, 0, sizeof(proxy_cfg));
}

/* ---- upload state: --state FILE ---------------------------------------------- */

/* What the state file says and what it must match: the file (its real
 * path), its size and the destination. Written whole to FILE.tmp, 0600,
 * synced and renamed over FILE, so a kill leaves the old state or the
 * new, never half of one. */
struct state_file {
    const char *path;
    char tmp[4096 + 8];
    char file[4096];
    uint64_t size;
    const char *destination;
    bool write_failed;
};

static void save_state(void *ctx, const struct fwc_upload_state *st)
{
    struct state_file *sf = ctx;
    FILE *f;
    int fd = open(sf->tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    bool ok = fd >= 0;

    if (!ok || (f = fdopen(fd, "w")) == NULL) {
        if (fd >= 0)
            close(fd);
        sf->write_failed = true;
        return;
    }
    ok = fprintf(f, "fwc-upload-state 1\nfile %s\nsize %llu\ndestination %s\nid %s\n"
                    "chunk_size %llu\nnum_chunks %lu\nnext_chunk %lu\n",
                 sf->file, (unsigned long long)sf->size, sf->destination, st->id,
                 (unsigned long long)st->chunk_size, (unsigned long)st->num_chunks,
                 (unsigned long)st->next_chunk) > 0;
    ok = fflush(f) == 0 && ok && fsync(fileno(f)) == 0;
    ok = fclose(f) == 0 && ok;
    if (!ok || rename(sf->tmp, sf->path) != 0) {
        (void)unlink(sf->tmp);
        sf->write_failed = true;
    }
}

/* One "key value" line into out (cap); false if the key differs. */
static bool state_line(FILE *f, const char *key, char *out, size_t cap)
{
    static char line[4200];
    size_t k = strlen(key), n;
    if (fgets(line, sizeof(line), f) == NULL)
        return false;
    n = strcspn(line, "\n");
    line[n] = '\0';
    if (strncmp(line, key, k) != 0 || line[k] != ' ' || n - k - 1 >= cap)
        return false;
    memcpy(out, line + k + 1, n - k);
    return true;
}

static bool state_number(FILE *f, const char *key, uint64_t max, uint64_t *out)
{
    char v[32], *end;
    unsigned long long x;
    if (!state_line(f, key, v, sizeof(v)) || v[0] < '0' || v[0] > '9')
        return false;
    errno = 0;
    x = strtoull(v, &end, 10);
    if (errno != 0 || *end != '\0' || x > max)
        return false;
    *out = x;
    return true;
}

/* Load FILE into *st when it is there. A state for another file, size or
 * destination, or one that cannot be read, is refused (exit 2): resuming
 * it would put someone else's chunks in this upload. */
static int load_state(struct state_file *sf, struct fwc_upload_state *st)
{
    static char v[4096];
    FILE *f = fopen(sf->path, "r");
    uint64_t size, chunk_size, num, next;
    bool ok;

    if (f == NULL)
        return errno == ENOENT ? EXIT_OK : usage_error("cannot read the state file", sf->path);
    ok = state_line(f, "fwc-upload-state", v, sizeof(v)) && strcmp(v, "1") == 0;
    ok = ok && state_line(f, "file", v, sizeof(v));
    if (ok && strcmp(v, sf->file) != 0) {
        fclose(f);
        return usage_error("the state file is for another file", sf->path);
    }
    ok = ok && state_number(f, "size", UINT64_MAX, &size);
    if (ok && size != sf->size) {
        fclose(f);
        return usage_error("the state file is for another size of this file", sf->path);
    }
    ok = ok && state_line(f, "destination", v, sizeof(v));
    if (ok && strcmp(v, sf->destination) != 0) {
        fclose(f);
        return usage_error("the state file is for another destination", sf->path);
    }
    ok = ok && state_line(f, "id", st->id, sizeof(st->id)) &&
         state_number(f, "chunk_size", UINT64_MAX, &chunk_size) &&
         state_number(f, "num_chunks", UINT32_MAX, &num) &&
         state_number(f, "next_chunk", UINT32_MAX, &next);
    fclose(f);
    if (!ok) {
        memset(st, 0, sizeof(*st));
        return usage_error("the state file cannot be read; remove it to start over", sf->path);
    }
    st->chunk_size = chunk_size;
    st->num_chunks = (uint32_t)num;
    st->next_chunk = (uint32_t)next;
    return EXIT_OK;
}

/* Set up --state for this upload: the checkpoint callback, and the state
 * to resume when the file is there. */
static int use_state(struct state_file *sf, const char *path, const char *file,
                     const struct fwc_upload_params *p, struct fwc_upload_state *st)
{
    memset(sf, 0, sizeof(*sf));
    sf->path = path;
    sf->size = p->file_size;
    sf->destination = p->destination;
    if (strchr(p->destination, '\n') != NULL || realpath(file, sf->file) == NULL ||
        strchr(sf->file, '\n') != NULL)
        return usage_error("--state cannot name this file or destination", file);
    if ((size_t)snprintf(sf->tmp, sizeof(sf->tmp), "%s.tmp", path) >= sizeof(sf->tmp))
        return usage_error("the state file's name is too long", NULL);
    return load_state(sf, st);
}

/* Progress on a terminal: bytes, rate, time left. The library reports
 * every read of the file (a few KiB); the line is redrawn at most every
 * PROGRESS_INTERVAL_S, plus once when the last byte is sent, which ends it. */
#define PROGRESS_INTERVAL_S 0.1

struct progress {
    struct timespec start, drawn; /* drawn: the last redraw, or the start */
    bool open;                    /* a line is drawn and not ended */
};

static double seconds_between(const struct timespec *from, const struct timespec *to)
{
    return (double)(to->tv_sec - from->tv_sec) + (double)(to->tv_nsec - from->tv_nsec) / 1e9;
}

static void show_progress(void *ctx, uint64_t sent, uint64_t total)
{
    struct progress *p = ctx;
    struct timespec now;
    double secs, rate;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (sent < total && seconds_between(&p->drawn, &now) < PROGRESS_INTERVAL_S)
        return;
    p->drawn = now;
    secs = seconds_between(&p->start, &now);
    rate = secs > 0 ? (double)sent / secs : 0;
    fprintf(stderr, "\r%12llu / %llu bytes  %8.1f KiB/s  ETA %5.0f s ",
            (unsigned long long)sent, (unsigned long long)total, rate / 1024,
            rate > 0 ? (double)(total - sent) / rate : 0.0);
    p->open = sent < total;
    if (!p->open)
        fputc('\n', stderr);
}

static int cmd_upload(const struct options *o, const char *file)
{
    struct fwc_upload_params p;
    struct fwc_upload_state state;
    struct file_body body = {NULL};
    struct progress prog = {{0, 0}, {0, 0}, false};
    static struct state_file saved;
    static char url[1024];
    const char *base = strrchr(file, '/');
    struct stat sb;
    enum fwc_err err;

    body.f = fopen(file, "rb");
    if (body.f == NULL || fstat(fileno(body.f), &sb) != 0 || !S_ISREG(sb.st_mode))
        return usage_error("cannot read", file);
    /* fwc asks for what its I/O buffer has room for: unbuffered, that is
     * one read() per TLS record instead of stdio's two. */
    setvbuf(body.f, NULL, _IONBF, 0);
    memset(&p, 0, sizeof(p));
    memset(&state, 0, sizeof(state));
    p.destination = o->to;
    p.folder = o->folder;
    p.filename = o->name != NULL ? o->name : (base != NULL ? base + 1 : file);
    p.file_size = (uint64_t)sb.st_size;
    p.fields = o->fields;
    p.field_count = o->nfields;
    p.read = file_read;
    p.seek = file_seek;
    p.file_ctx = &body;
    clock_gettime(CLOCK_MONOTONIC, &prog.start);
    prog.drawn = prog.start;
    if (isatty(STDERR_FILENO)) {
        p.progress = show_progress;
        p.progress_ctx = &prog;
    }
    if (o->state_file != NULL) {
        int rc = use_state(&saved, o->state_file, file, &p, &state);
        if (rc != EXIT_OK) {
            fclose(body.f);
            return rc;
        }
        p.checkpoint = save_state;
        p.checkpoint_ctx = &saved;
    }
    say(LOG_DEBUG, "upload of %s: %llu bytes to %s%s%s as %s, %zu field(s)", file,
        (unsigned long long)p.file_size, o->to, o->folder ? ", folder " : "",
        o->folder ? o->folder : "", p.filename, p.field_count);
    err = fwc_upload(&client, &p, &state, url, sizeof(url));
    fclose(body.f);
    if (prog.open)
        fputc('\n', stderr); /* the messages below start on a line of their own */
    if (err == FWC_OK && o->state_file != NULL)
        (void)unlink(o->state_file); /* done: nothing to resume */
    if (saved.write_failed)
        fprintf(stderr, "fwc: the state file could not be written: %s\n", o->state_file);
    if (err != FWC_OK)
        return report(o, fwc_client_host(&client), err);
    clock_gettime(CLOCK_MONOTONIC, &prog.drawn);
    say(LOG_INFO, "upload of %s done: %llu bytes in %.1f s", file,
        (unsigned long long)p.file_size, seconds_between(&prog.start, &prog.drawn));
    if (!is_plain_text(url)) {
        /* A script would take the forged text for the URL: print none. */
        fputs("fwc: the upload finished, but the server's asset URL holds control "
              "characters, so it is not printed: \"", stderr);
        put_escaped(stderr, url);
        fputs("\"\n", stderr);
        return EXIT_SERVER;
    }
    printf("%s\n", url);
    if (fflush(stdout) != 0) {
        /* Tell a script that retries on failure not to upload it again. */
        out_errno = errno;
        fputs("fwc: the upload finished, but its asset URL was not written\n", stderr);
    }
    return EXIT_OK;
}

/* The command, whose arguments check_command() counted. */
static int run(struct options *o)
{
    if (strcmp(o->command, "token") == 0)
        return cmd_token(o);
    if (strcmp(o->command, "get") == 0)
        return cmd_request(o, "GET", o->args[0]);
    if (strcmp(o->command, "request") == 0)
        return cmd_request(o, o->args[0], o->args[1]);
    return cmd_upload(o, o->args[0]);
}

static void on_alarm(int sig)
{
    static const char msg[] = "fwc: timed out (--timeout)\n";
    (void)sig;
    /* Only async-signal-safe calls here. */
    if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0) {
        /* nothing more can be done */
    }
    _exit(EXIT_NETWORK);
}

/* The last segment of the base URL's path when path starts with it too
 * (https://host/fotoweb and /fotoweb/me/ would ask for
 * /fotoweb/fotoweb/me/): its length, else 0. */
static size_t repeated_segment(const char *url, const char *path)
{
    const char *prefix = url_path(url), *last;
    size_t n = trimmed_len(prefix), len;

    last = prefix + n;
    while (last > prefix && last[-1] != '/')
        last--;
    len = (size_t)(prefix + n - last);
    if (len > 0 && path[0] == '/' && strncasecmp(path + 1, last, len) == 0 &&
        (path[1 + len] == '/' || path[1 + len] == '\0'))
        return len;
    return 0;
}

/* The base URL may carry a path (a proxy's prefix, put in front of every
 * path), but one that each path repeats is a mistake: almost always
 * https://host/fotoweb, copied from a browser, with FotoWeb's own paths,
 * which start with /fotoweb/. */
static int check_repeated(const struct options *o, const char *what, const char *path)
{
    size_t len = repeated_segment(o->url, path);
    const char *prefix = url_path(o->url);
    size_t n = trimmed_len(prefix);
    const char *seg = prefix + n - len;

    if (len == 0)
        return EXIT_OK;
    fprintf(stderr, "fwc: the base URL ends in /%.*s and %s %s starts with it: the request "
                    "would go to %.*s%s\n", (int)len, seg, what, path, (int)n, prefix, path);
    if (len == 7 && strncasecmp(seg, "fotoweb", len) == 0)
        fprintf(stderr, "FotoWeb's paths start with /fotoweb themselves (a base URL's own "
                        "path is only for a proxy's prefix in front of them): use %s%.*s\n",
                url_setting(o), (int)(seg - 1 - o->url), o->url);
    else
        fprintf(stderr, "give /%.*s once: drop it from the base URL (%s%.*s) or from %s\n",
                (int)len, seg, url_setting(o), (int)(seg - 1 - o->url), o->url, what);
    return EXIT_USAGE;
}

static int configure(struct options *o)
{
    struct fwc_client_config cfg;
    const char *token_path;
    enum fwc_err err;
    int rc;

    o->url = env_or(o->url, "--url", "FWC_URL", NULL, &o->url_from);
    o->client_id = env_or(o->client_id, "--client-id", "FWC_CLIENT_ID", NULL,
                          &o->client_id_from);
    o->secret_file = env_or(o->secret_file, "--secret-file", "FWC_CLIENT_SECRET_FILE", NULL,
                            &o->secret_file_from);
    o->ca_file = env_or(o->ca_file, "--ca-file", "FWC_CA_FILE",
                        "/etc/ssl/certs/ca-certificates.crt", &o->ca_file_from);
    o->token_path = env_or(o->token_path, "--token-path", "FWC_TOKEN_PATH", NULL,
                           &o->token_path_from);
    token_path = o->token_path != NULL ? o->token_path : CONFIG_FWC_TOKEN_PATH;
    say(LOG_DEBUG, "settings: URL from %s, client ID from %s, secret file from %s, CA file "
                   "from %s, token path from %s", o->url_from, o->client_id_from,
        o->secret_file_from, o->ca_file_from, o->token_path_from);
    if (o->url == NULL || o->client_id == NULL || o->secret_file == NULL)
        return usage_error("set --url, --client-id and --secret-file (or FWC_URL, "
                           "FWC_CLIENT_ID, FWC_CLIENT_SECRET_FILE)", NULL);
    if (o->auth != NULL && strcmp(o->auth, "post") != 0 && strcmp(o->auth, "basic") != 0)
        return usage_error("--auth is post or basic", o->auth);
    if (token_path[0] != '/') {
        fprintf(stderr, "fwc: the token path must start with '/': write /%s instead of %s\n",
                token_path, token_path);
        return EXIT_USAGE;
    }
    rc = read_secret(o->secret_file);
    if (rc != EXIT_OK)
        return rc;
    hook_client_id = o->client_id;
    memset(&cfg, 0, sizeof(cfg));
    cfg.base_url = o->url;
    cfg.ca_len = load_ca(o->ca_file);
    cfg.ca = ca;
    cfg.token_path = o->token_path;
    cfg.auth = o->auth != NULL && strcmp(o->auth, "basic") == 0 ? FWC_AUTH_BASIC : FWC_AUTH_POST;
    if (cfg.ca_len == 0)
        return usage_error("cannot read the CA file", o->ca_file);
    rc = choose_proxy(o, &cfg.proxy);
    if (rc != EXIT_OK)
        return rc;
    err = fwc_client_init(&client, &cfg);
    if (err == FWC_ERR_PLAINTEXT)
        return usage_error("http:// is not allowed: use https://", o->url);
    if (err == FWC_ERR_INVALID_ARG)
        return usage_error("the CA file holds no usable certificate, or an option is invalid",
                           o->ca_file);
    if (err != FWC_OK)
        return usage_error(fwc_strerror(err), o->url);
    /* The URL is well-formed now: https://authority[/path]. */
    rc = check_repeated(o, "the token path", token_path);
    if (rc == EXIT_OK && strcmp(o->command, "get") == 0)
        rc = check_repeated(o, "the path", o->args[0]);
    if (rc == EXIT_OK && strcmp(o->command, "request") == 0)
        rc = check_repeated(o, "the path", o->args[1]);
    if (rc == EXIT_OK && strcmp(o->command, "upload") == 0)
        rc = check_repeated(o, "the upload API's path", UPLOAD_API_PATH);
    if (rc != EXIT_OK)
        return rc;
    say(LOG_INFO, "base URL %s, token endpoint %.*s%s, client authentication %s, CA file %s "
                  "(%zu bytes)", o->url, (int)trimmed_len(url_path(o->url)), url_path(o->url),
        token_path, cfg.auth == FWC_AUTH_BASIC ? "basic" : "post", o->ca_file, cfg.ca_len - 1);
    return EXIT_OK;
}

/* ---- the warm-start cache: --cache FILE, FWC_CACHE ------------------------------ */

/* The client's token and TLS session, carried from one run to the next
 * (fwc/warm.h) so that a script calling fwc in a loop skips the token
 * request and the full handshake. The file holds secrets: it is created
 * 0600 and refused (exit 2) when it is open to group or others, is not a
 * regular file, or belongs to another user. A lock on FILE.lock is held
 * from the load to the store, so two runs at once never both write, nor
 * read a file the other is replacing; a run that cannot get the lock
 * within CACHE_LOCK_WAIT_S starts cold and leaves the file alone. The new
 * file is written beside the old one and renamed over it: a kill leaves
 * the old cache or the new one, never half of one. */
#define CACHE_LOCK_WAIT_S 10
#define CACHE_LOCK_POLL_MS 20
#define CACHE_PATH_MAX 4096

struct cache {
    const char *path; /* NULL: no --cache */
    int lock_fd;      /* -1: the lock is not held, the file is left alone */
};

/* The export, on its way in or out: the token and a session key, wiped
 * as soon as it has been imported or written. + 1: a longer file shows. */
static uint8_t warm_buf[FWC_WARM_MAX + 1];

/* Whether the lock on fd was taken within CACHE_LOCK_WAIT_S. */
static bool lock_within(int fd)
{
    struct flock fl;
    const struct timespec nap = {0, CACHE_LOCK_POLL_MS * 1000000L};
    long waited_ms;

    memset(&fl, 0, sizeof(fl));
    fl.l_type = F_WRLCK;
    fl.l_whence = SEEK_SET; /* l_start 0, l_len 0: the whole file */
    for (waited_ms = 0; waited_ms <= CACHE_LOCK_WAIT_S * 1000L; waited_ms += CACHE_LOCK_POLL_MS) {
        if (fcntl(fd, F_SETLK, &fl) == 0)
            return true;
        if (errno != EACCES && errno != EAGAIN && errno != EINTR)
            return false;
        (void)nanosleep(&nap, NULL);
    }
    return false;
}

/* FILE.lock, created 0600 if need be and locked; the lock goes with the
 * process, so a run that is killed never leaves it held. */
static void cache_lock(struct cache *k)
{
    char lock_path[CACHE_PATH_MAX + 8];
    int fd;

    if ((size_t)snprintf(lock_path, sizeof(lock_path), "%s.lock", k->path) >= sizeof(lock_path))
        return;
    fd = open(lock_path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        /* Told at every level, as a cache that cannot be written: a
         * mistyped path would otherwise cost every run a cold start
         * unnoticed. */
        fprintf(stderr, "fwc: warning: the cache file cannot be used: cannot create %s (%s)\n",
                lock_path, strerror(errno));
        return;
    }
    if (!lock_within(fd)) {
        say(LOG_INFO, "cache %s: another run held it for %d s: a cold start, nothing stored",
            k->path, CACHE_LOCK_WAIT_S);
        close(fd);
        return;
    }
    k->lock_fd = fd;
}

/* Whether what fd opened may hold this user's secrets: a regular file of
 * this user's that group and others cannot read or write. Says why not. */
static int cache_check(int fd, const char *path)
{
    struct stat sb;
    if (fstat(fd, &sb) != 0)
        return usage_error("cannot read the cache file", path);
    if (!S_ISREG(sb.st_mode))
        return usage_error("the cache file is not a regular file", path);
    if (sb.st_uid != geteuid())
        return usage_error("the cache file belongs to another user (it holds a token: use "
                           "your own file)", path);
    if ((sb.st_mode & 077) != 0) {
        fprintf(stderr, "fwc: the cache file %s is open to group or others (mode %04o); it "
                        "holds a token: chmod 600 it, or remove it\n(see fwc --help)\n",
                path, (unsigned)(sb.st_mode & 07777));
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

/* read(2) until n bytes or the end; the count, or -1. */
static ssize_t read_all(int fd, uint8_t *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, buf + got, n - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -1;
        if (r == 0)
            break;
        got += (size_t)r;
    }
    return (ssize_t)got;
}

/* What the library took from the file, for -v. */
static const char *warm_taken(unsigned used)
{
    if ((used & FWC_WARM_USED_TOKEN) && (used & FWC_WARM_USED_SESSION))
        return "the token and the TLS session";
    if (used & FWC_WARM_USED_TOKEN)
        return "the token (no TLS session in it)";
    if (used & FWC_WARM_USED_SESSION)
        return "the TLS session (the token had expired, or there was none)";
    return "nothing (another server or client ID, or all of it expired): a cold start";
}

/* The cache into the client. A missing, unreadable or foreign file is a
 * cold start (told at -v only); one that others could have read or
 * planted is refused. */
static int cache_load(struct cache *k)
{
    int fd = open(k->path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    ssize_t n;
    unsigned used = 0;
    enum fwc_err err;
    int rc;

    if (fd < 0 && errno == ENOENT) {
        say(LOG_INFO, "cache %s: none yet: a cold start", k->path);
        return EXIT_OK;
    }
    if (fd < 0 && errno == ELOOP)
        return usage_error("the cache file is a symbolic link", k->path);
    if (fd < 0)
        return usage_error("cannot read the cache file", k->path);
    rc = cache_check(fd, k->path);
    n = rc == EXIT_OK ? read_all(fd, warm_buf, sizeof(warm_buf)) : 0;
    close(fd);
    if (rc != EXIT_OK || n < 0 || (size_t)n > FWC_WARM_MAX) {
        wipe(warm_buf, sizeof(warm_buf));
        if (rc == EXIT_OK)
            say(LOG_INFO, "cache %s: unreadable or too large: a cold start", k->path);
        return rc;
    }
    err = fwc_warm_import(&client, warm_buf, (size_t)n, &used);
    wipe(warm_buf, sizeof(warm_buf));
    if (err != FWC_OK)
        say(LOG_INFO, "cache %s: not usable (%s): a cold start", k->path, fwc_strerror(err));
    else
        say(LOG_INFO, "cache %s: took %s", k->path, warm_taken(used));
    return EXIT_OK;
}

/* write(2) all of buf; false on any failure. */
static bool write_all(int fd, const uint8_t *buf, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, buf, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        buf += w;
        n -= (size_t)w;
    }
    return true;
}

/* The rename is only durable once the directory is on disk too: a device
 * that loses power right after a run would otherwise find the old cache. */
static void sync_dir_of(const char *path)
{
    char dir[CACHE_PATH_MAX];
    const char *slash = strrchr(path, '/');
    size_t n = slash == NULL ? 1 : (slash == path ? 1 : (size_t)(slash - path));
    int fd;

    if (n >= sizeof(dir))
        return;
    memcpy(dir, slash == NULL ? "." : path, n);
    dir[n] = '\0';
    fd = open(dir, O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
}

/* buf (n bytes) into k->path: a new file beside it (O_EXCL, 0600 whatever
 * the umask), synced, renamed over it. errno tells a failure. */
static bool replace_file(const struct cache *k, const uint8_t *buf, size_t n)
{
    char tmp[CACHE_PATH_MAX + 32];
    int fd, saved;
    bool ok;

    if ((size_t)snprintf(tmp, sizeof(tmp), "%s.%ld.tmp", k->path, (long)getpid()) >=
        sizeof(tmp)) {
        errno = ENAMETOOLONG;
        return false;
    }
    fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        return false;
    ok = fchmod(fd, 0600) == 0 && write_all(fd, buf, n) && fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    if (ok && rename(tmp, k->path) == 0) {
        sync_dir_of(k->path);
        return true;
    }
    saved = errno;
    (void)unlink(tmp);
    errno = saved;
    return false;
}

/* The client's token and session into the cache, if this run holds the
 * lock. A failure is told (the next run will start cold) but does not
 * change the exit code: the command itself was done. */
static void cache_store(struct cache *k)
{
    size_t len = 0;
    enum fwc_err err;

    if (k->path == NULL || k->lock_fd < 0)
        return;
    err = fwc_warm_export(&client, warm_buf, FWC_WARM_MAX, &len);
    if (err != FWC_OK) {
        wipe(warm_buf, sizeof(warm_buf)); /* the library wiped it too; this costs nothing */
        say(LOG_INFO, "cache %s: nothing to store (%s)", k->path, fwc_strerror(err));
        return;
    }
    if (!replace_file(k, warm_buf, len))
        fprintf(stderr, "fwc: warning: the cache file could not be written (%s): %s\n",
                strerror(errno), k->path);
    else
        say(LOG_DEBUG, "cache %s: stored %zu bytes", k->path, len);
    wipe(warm_buf, sizeof(warm_buf));
}

/* --cache / FWC_CACHE: lock and load, before the first request. */
static int cache_open(struct cache *k, struct options *o)
{
    k->lock_fd = -1;
    k->path = env_or(o->cache_file, "--cache", "FWC_CACHE", NULL, &o->cache_file_from);
    if (k->path == NULL)
        return EXIT_OK;
    if (strlen(k->path) >= CACHE_PATH_MAX)
        return usage_error("the cache file's name is too long", NULL);
    say(LOG_DEBUG, "cache file from %s", o->cache_file_from);
    cache_lock(k);
    if (k->lock_fd < 0)
        return EXIT_OK; /* cold, and the file is left to the run that holds it */
    return cache_load(k);
}

static void cache_close(struct cache *k)
{
    if (k->lock_fd >= 0)
        close(k->lock_fd); /* releases the lock */
    k->lock_fd = -1;
}

static int configure_and_run(struct options *o)
{
    static struct cache cache;
    int rc;
    if (o->timeout_s > 0) {
        signal(SIGALRM, on_alarm);
        alarm((unsigned)o->timeout_s);
    }
    cache.lock_fd = -1;
    rc = configure(o);
    if (rc == EXIT_OK)
        rc = cache_open(&cache, o);
    if (rc == EXIT_OK) {
        rc = run(o);
        cache_store(&cache); /* whatever the command's outcome: a fresh token is worth keeping */
    }
    cache_close(&cache);
    fwc_client_close(&client);
    wipe(secret, sizeof(secret));
    wipe_proxy();
    return rc;
}

/* Everything printed must reach stdout: on a full disk or a closed pipe a
 * script would go on without the token, the API answer or the asset URL.
 * A run that failed otherwise keeps its exit code. */
static int close_stdout(int rc)
{
    bool failed = fflush(stdout) != 0 || ferror(stdout);

    if (failed && out_errno == 0)
        out_errno = errno;
    if (fclose(stdout) != 0 && !failed) {
        failed = true;
        out_errno = errno;
    }
    wipe(out_buf, sizeof(out_buf)); /* it held the token; stdio is done with it */
    if (!failed)
        return rc;
    fprintf(stderr, "fwc: cannot write the output to stdout: %s\n", strerror(out_errno));
    return rc == EXIT_OK ? EXIT_WRITE : rc;
}

int main(int argc, char **argv)
{
    static struct options o;
    int rc;

    /* Line by line on a terminal, as stdio would; before any output. */
    setvbuf(stdout, out_buf, isatty(STDOUT_FILENO) ? _IOLBF : _IOFBF, sizeof(out_buf));
    rc = parse_args(argc, argv, &o);
    /* The tool tells each failure itself, so the library's log is silent
     * by default: -v shows its warnings and info, -v -v debug too. */
    fwc_port_posix_log_level(o.verbose == 0 ? 0 : o.verbose == 1 ? 3 : 4);
    if (rc < 0)
        rc = EXIT_OK; /* --help or --version answered */
    else if (rc == EXIT_OK && o.command == NULL)
        rc = usage_error("no command", NULL);
    else if (rc == EXIT_OK && strcmp(o.command, "help") == 0)
        rc = cmd_help(&o);
    else if (rc == EXIT_OK && (rc = check_command(&o)) == EXIT_OK)
        rc = configure_and_run(&o);
    return close_stdout(rc);
}
