# SPDX-License-Identifier: MIT
# fwc_read_source_list(FILE DIR PREFIX): reads fwc.mk's plain assignments
# (NAME := words, continued with backslashes) into PREFIX_NAME lists, with
# $(FWC_DIR) replaced by DIR. Only literal lists are read: a line that
# refers to another variable ($(FWC_PORT)...) is left for Make.
function(fwc_read_source_list file dir prefix)
  file(READ "${file}" _text)
  string(REGEX REPLACE "\\\\\n" " " _text "${_text}")
  string(REPLACE "$(FWC_DIR)" "${dir}" _text "${_text}")
  string(REPLACE ";" "" _text "${_text}")
  string(REPLACE "\n" ";" _lines "${_text}")
  foreach(_line IN LISTS _lines)
    if(_line MATCHES "^(FWC_[A-Za-z0-9_]+)[ \t]*:=[ \t]*(.*)$")
      set(_name "${CMAKE_MATCH_1}")
      set(_value "${CMAKE_MATCH_2}")
      if(NOT _value MATCHES "\\$\\(")
        separate_arguments(_value UNIX_COMMAND "${_value}")
        set(${prefix}_${_name} "${_value}" PARENT_SCOPE)
      endif()
    endif()
  endforeach()
endfunction()
