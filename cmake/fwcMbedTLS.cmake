# SPDX-License-Identifier: MIT
# fwc::mbedtls: mbedTLS 2.28 or 3.x for fwc, from mbedTLS's own CMake
# package when there is one (3.x installs MbedTLSConfig.cmake), else from
# the libraries and headers found on the system (Debian's 2.28 ships no
# package). Used by fwc's build and by the installed fwcConfig.cmake.
if(NOT TARGET fwc::mbedtls)
  find_package(MbedTLS CONFIG QUIET)
  add_library(fwc::mbedtls INTERFACE IMPORTED)
  if(TARGET MbedTLS::mbedtls)
    set_property(TARGET fwc::mbedtls PROPERTY INTERFACE_LINK_LIBRARIES
      MbedTLS::mbedtls MbedTLS::mbedx509 MbedTLS::mbedcrypto)
  else()
    find_path(FWC_MBEDTLS_INCLUDE_DIR mbedtls/ssl.h)
    find_library(FWC_MBEDTLS_LIBRARY mbedtls)
    find_library(FWC_MBEDX509_LIBRARY mbedx509)
    find_library(FWC_MBEDCRYPTO_LIBRARY mbedcrypto)
    if(NOT FWC_MBEDTLS_INCLUDE_DIR OR NOT FWC_MBEDTLS_LIBRARY OR NOT FWC_MBEDX509_LIBRARY
       OR NOT FWC_MBEDCRYPTO_LIBRARY)
      message(FATAL_ERROR "mbedTLS not found (Debian: libmbedtls-dev); set CMAKE_PREFIX_PATH "
        "or FWC_MBEDTLS_INCLUDE_DIR and FWC_MBED{TLS,X509,CRYPTO}_LIBRARY")
    endif()
    set_property(TARGET fwc::mbedtls PROPERTY INTERFACE_INCLUDE_DIRECTORIES
      "${FWC_MBEDTLS_INCLUDE_DIR}")
    set_property(TARGET fwc::mbedtls PROPERTY INTERFACE_LINK_LIBRARIES
      "${FWC_MBEDTLS_LIBRARY}" "${FWC_MBEDX509_LIBRARY}" "${FWC_MBEDCRYPTO_LIBRARY}")
  endif()
endif()
