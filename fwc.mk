# SPDX-License-Identifier: MIT
# fwc's sources, include directories and port choice, for any build: the
# Makefile and CMakeLists.txt read this file, and a build that is neither
# Make nor CMake (SCons, Bazel, an IDE project, a vendor SDK's scripts) can
# take the lists as they stand, replacing $(FWC_DIR) with the path to fwc.
# Plain assignments only, one file a line, so that any tool can read it.
#
#   include path/to/fwc/fwc.mk          (FWC_PORT=posix|lwip|lwip_nosys|template first)
#   sources:       $(FWC_SRCS) $(FWC_PORT_SRCS)
#   include dirs:  $(FWC_INCLUDE_DIRS) (public) $(FWC_PRIVATE_INCLUDE_DIRS) (fwc's own files)
#                  $(FWC_PORT_INCLUDE_DIRS) (the port's header, for the board)
#   needs:         mbedTLS 2.28 or 3.6 (unless CONFIG_FWC_TLS_MBEDTLS=0), jsmn.h
#
# A new file in src/ or a port goes on its list here: the Makefile stops
# with the file's name until it does, so the list cannot fall behind.

FWC_DIR ?= $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))
FWC_PORT ?= posix

# The library: every file in src/, whatever the port.
FWC_SRCS := \
	$(FWC_DIR)/src/bufwriter.c \
	$(FWC_DIR)/src/client.c \
	$(FWC_DIR)/src/encode.c \
	$(FWC_DIR)/src/error.c \
	$(FWC_DIR)/src/http.c \
	$(FWC_DIR)/src/http_parse.c \
	$(FWC_DIR)/src/http_write.c \
	$(FWC_DIR)/src/json.c \
	$(FWC_DIR)/src/json_check.c \
	$(FWC_DIR)/src/json_write.c \
	$(FWC_DIR)/src/log.c \
	$(FWC_DIR)/src/multipart.c \
	$(FWC_DIR)/src/oauth.c \
	$(FWC_DIR)/src/proxy.c \
	$(FWC_DIR)/src/random.c \
	$(FWC_DIR)/src/request.c \
	$(FWC_DIR)/src/retry_after.c \
	$(FWC_DIR)/src/tcp_plain.c \
	$(FWC_DIR)/src/tls_mbedtls.c \
	$(FWC_DIR)/src/token_response.c \
	$(FWC_DIR)/src/upload.c \
	$(FWC_DIR)/src/upload_answer.c \
	$(FWC_DIR)/src/url.c \
	$(FWC_DIR)/src/version.c \
	$(FWC_DIR)/src/warm.c \
	$(FWC_DIR)/src/wipe.c

# Only with CONFIG_FWC_SECRET_BUILD (the secret masked into a generated
# header, fwc_secrets.h, by src/secret/gen_header.py).
FWC_SECRET_BUILD_SRCS := $(FWC_DIR)/src/secret/secret_build.c

# Public headers (include/fwc/*.h, with internal/*.h, which client.h
# includes for struct fwc_client's layout) and fwc's own.
FWC_INCLUDE_DIRS := $(FWC_DIR)/include
FWC_PRIVATE_INCLUDE_DIRS := $(FWC_DIR)/src

# The ports: one is linked (include/fwc/port.h is the contract).
FWC_PORT_SRCS_posix := \
	$(FWC_DIR)/port/posix/clock.c \
	$(FWC_DIR)/port/posix/entropy.c \
	$(FWC_DIR)/port/posix/lock.c \
	$(FWC_DIR)/port/posix/log.c \
	$(FWC_DIR)/port/posix/net.c
FWC_PORT_SRCS_lwip := \
	$(FWC_DIR)/port/lwip/board.c \
	$(FWC_DIR)/port/lwip/net.c \
	$(FWC_DIR)/port/lwip/sys.c
FWC_PORT_SRCS_lwip_nosys := \
	$(FWC_DIR)/port/lwip_nosys/net.c \
	$(FWC_DIR)/port/lwip_nosys/sys.c
FWC_PORT_SRCS_template := \
	$(FWC_DIR)/port/template/port_template.c
FWC_PORT_SRCS := $(FWC_PORT_SRCS_$(FWC_PORT))
FWC_PORT_INCLUDE_DIRS := $(FWC_DIR)/port/$(FWC_PORT)

# mbedTLS for small targets (TLS 1.2, 4 KiB records):
#   -I$(FWC_DIR)/port/mbedtls -DMBEDTLS_CONFIG_FILE='<fwc_mbedtls_config.h>'
FWC_MBEDTLS_CONFIG_DIR := $(FWC_DIR)/port/mbedtls
# With that config's static arena (FWC_MBEDTLS_ARENA), mbedTLS's gmtime
# must not come from a C library that allocates: this one does not.
FWC_MBEDTLS_SRCS := $(FWC_DIR)/port/mbedtls/fwc_mbedtls_gmtime.c
