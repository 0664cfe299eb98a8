#!/usr/bin/env bash
# Makes sure the services `npm test` needs are there before it runs (npm runs this as `pretest`, and .ci/run
# through `npm test`, so CI checks exactly what a newcomer runs):
#   - Redis at TEST_REDIS_URL (default redis://127.0.0.1:6379): started if none answers on this machine,
#     installed first from Debian's packages when running as root on Debian;
#   - Chromium at CHROMIUM_PATH (default /usr/bin/chromium), for the web chat and console tests: installed
#     from Debian's packages when running as root on Debian.
# Otherwise it stops and says exactly what to install. SKIP_TEST_SERVICES=1 skips the check.
set -euo pipefail

[ "${SKIP_TEST_SERVICES:-}" = "1" ] && exit 0

say() { printf 'test services: %s\n' "$*" >&2; }

can_install() {
  [ "$(id -u)" = "0" ] && [ -f /etc/debian_version ] && command -v apt-get >/dev/null
}

apt_updated=""
apt_install() {
  if [ -z "$apt_updated" ]; then
    say "apt-get update"
    apt-get update -qq
    apt_updated=1
  fi
  say "installing $* from Debian's packages"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# --- Redis ---
url="${TEST_REDIS_URL:-redis://127.0.0.1:6379}"
hostport="${url#redis://}"
hostport="${hostport#*@}"
hostport="${hostport%%/*}"
host="${hostport%%:*}"
port="${hostport##*:}"
[ "$port" = "$hostport" ] && port=6379

redis_answers() {
  # A PING over bash's /dev/tcp, so no redis-cli is needed to find out.
  (
    exec 3<>"/dev/tcp/$host/$port" || exit 1
    printf 'PING\r\n' >&3
    IFS= read -r -t 2 line <&3 || exit 1
    [[ "$line" == +PONG* || "$line" == -NOAUTH* ]]
  ) 2>/dev/null
}

if ! redis_answers; then
  if [ "$host" != "127.0.0.1" ] && [ "$host" != "localhost" ]; then
    say "no Redis answers at $host:$port (TEST_REDIS_URL). Start it, or unset TEST_REDIS_URL to use a local one."
    exit 1
  fi
  if ! command -v redis-server >/dev/null; then
    if can_install; then
      apt_install redis-server
    else
      say "the tests need Redis at 127.0.0.1:$port and none answers. Install it (Debian/Ubuntu:"
      say "  sudo apt-get install redis-server; macOS: brew install redis), start it, or set TEST_REDIS_URL."
      exit 1
    fi
  fi
  dir="${TMPDIR:-/tmp}/ocop-bot-test-redis"
  mkdir -p "$dir"
  say "starting redis-server on 127.0.0.1:$port (data in $dir, nothing kept)"
  redis-server --daemonize yes --bind 127.0.0.1 --port "$port" --save "" --appendonly no \
    --dir "$dir" --logfile "$dir/redis.log"
  for _ in $(seq 1 100); do redis_answers && break; sleep 0.1; done
  if ! redis_answers; then
    say "redis-server did not answer on 127.0.0.1:$port; see $dir/redis.log"
    exit 1
  fi
fi

# --- Chromium ---
chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  if [ -z "${CHROMIUM_PATH:-}" ] && can_install; then
    apt_install chromium
  else
    say "the web chat and console tests drive Chromium at $chromium, which is missing. Install it"
    say "  (Debian: sudo apt-get install chromium; Ubuntu: a chromium .deb or Google Chrome) or set CHROMIUM_PATH."
    exit 1
  fi
fi

say "Redis at $host:$port and Chromium at $chromium are ready"
