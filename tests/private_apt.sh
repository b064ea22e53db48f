# SPDX-License-Identifier: MIT
# Sourced by the scripts that bring Debian packages into build/ without
# touching the system's apt sources or dpkg architectures (mbedTLS 3.6 from
# trixie, armhf libraries for the 32-bit tests, mbedTLS source packages):
#
#   . tests/private_apt.sh
#   private_apt DIR "deb [arch=armhf] bookworm main"   # sets APT_OPTS, runs update
#   apt-get "${APT_OPTS[@]}" -qq download PKG ...
#
# The one sources line names no host: the mirror is the one this machine's
# apt sources already use, and the archive keyring checks what it serves.

# The Debian mirror this machine is configured with (deb822 or one-line).
debian_mirror() {
  local m
  m=$(
    { cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '/^URIs:/ {print $2}';
      cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
        sed -E 's/\[[^]]*\]//' | awk '/^deb / {print $2}'; } |
    grep -E '/debian/?$' | head -n 1 || true)
  [ -n "$m" ] || { echo "no Debian mirror found in the apt sources" >&2; return 1; }
  echo "$m"
}

# private_apt DIR "TYPE [OPTIONS] SUITE COMPONENT" [ARCH]: a private apt
# configuration under DIR whose one source is the mirror with that suite;
# ARCH (optional) is the only architecture it knows.
private_apt() {
  local dir=$1 spec=$2 arch=${3:-} mirror type opts suite rest
  mirror=$(debian_mirror) || return 1
  mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial"
  type=${spec%% *}
  rest=${spec#* }
  opts=""
  case "$rest" in \[*) opts=${rest%%]*}; opts=${opts#[}; rest=${rest#*] } ;; esac
  suite=$rest
  echo "$type [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg${opts:+ $opts}] $mirror $suite" \
    > "$dir/sources.list"
  APT_OPTS=(-o "Dir::Etc::sourcelist=$dir/sources.list" -o "Dir::Etc::sourceparts=-"
            -o "Dir::State::lists=$dir/lists" -o "Dir::Cache=$dir/cache"
            -o "APT::Sandbox::User=root" -o "Debug::NoLocking=1")
  [ -z "$arch" ] || APT_OPTS+=(-o "APT::Architecture=$arch" -o "APT::Architectures=$arch")
  apt-get "${APT_OPTS[@]}" -qq update
}
