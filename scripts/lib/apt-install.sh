# Shared by scripts/ensure-*.sh: installs Debian packages with apt-get, as root or with
# passwordless sudo, waiting for the dpkg lock instead of failing when another apt run holds it.
# Usage (sourced): apt_install <tool> <what is missing> <package>...
#   exits 1 with a message when there is no apt-get or no way to become root.
apt_install() {
  local tool=$1 missing=$2
  shift 2
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "$tool: $missing is missing and there is no apt-get; install it by hand (Debian packages: $*)" >&2
    exit 1
  fi
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      sudo=(sudo -n)
    else
      echo "$tool: $missing is missing; run as root (or: sudo apt-get install $*)" >&2
      exit 1
    fi
  fi
  echo "$tool: installing Debian's $*"
  local apt=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300)
  "${apt[@]}" update -qq
  "${apt[@]}" install -y -qq "$@"
}
