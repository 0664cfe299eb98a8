#!/usr/bin/env bash
# Nightly backup of ocop-bot's data: the embedded SQLite database (DATA_DIR/ocop.db, used when REDIS_URL is
# not set) and/or Redis (used when it is). Keeps KEEP_DAYS days of copies. See docs/huong-dan-van-hanh.md.
#
# Run as root (it reads /var/lib/redis and runs the app's command as the service user), e.g. from
# /etc/cron.d/ocop-bot:
#   30 2 * * * root /opt/ocop-bot/deploy/backup.sh >>/var/log/ocop-bot-backup.log 2>&1
#
# Every variable below may be overridden from the environment: BACKUP_DIR=/mnt/nas/ocop KEEP_DAYS=30 ./backup.sh
# Exit status: 0 when every backup that applies was written, 1 otherwise (cron mails the output to root).
set -euo pipefail

APP_DIR="${APP_DIR:-/opt/ocop-bot}"           # the checkout
APP_USER="${APP_USER:-ocop}"                  # the service user (owns DATA_DIR)
DATA_DIR="${DATA_DIR:-/var/lib/ocop-bot}"     # same as the service's DATA_DIR
BACKUP_DIR="${BACKUP_DIR:-/var/backups/ocop-bot}"
KEEP_DAYS="${KEEP_DAYS:-14}"
# The app's CLI; `backup <file>` writes an online copy of DATA_DIR/ocop.db (safe while the service runs).
OCOP_BOT="${OCOP_BOT:-node $APP_DIR/bin/ocop-bot.mjs}"
# Redis: "auto" backs it up when it answers, "yes" fails when it does not, "no" skips it. The password is read from REDIS_CONF's
# requirepass line unless REDIS_PASSWORD is set; it is passed through REDISCLI_AUTH, never on the command line.
REDIS_BACKUP="${REDIS_BACKUP:-auto}"
REDIS_HOST="${REDIS_HOST:-127.0.0.1}"
REDIS_PORT="${REDIS_PORT:-6379}"
REDIS_CONF="${REDIS_CONF:-/etc/redis/ocop.conf}"
REDIS_DATA_DIR="${REDIS_DATA_DIR:-/var/lib/redis}"
REDIS_SAVE_TIMEOUT="${REDIS_SAVE_TIMEOUT:-300}"  # seconds to wait for BGSAVE

stamp="$(date +%Y%m%d-%H%M%S)"
failed=0
log() { printf '%s backup: %s\n' "$(date -Is)" "$*"; }

# Copies are private: they hold names and phone numbers of producers.
umask 077
install -d -m 700 "$BACKUP_DIR"

# Runs the app's CLI as the service user when we are root, else as ourselves.
as_app() {
  if [ "$(id -u)" = 0 ] && id "$APP_USER" >/dev/null 2>&1 && [ "$(id -un)" != "$APP_USER" ]; then
    runuser -u "$APP_USER" -- "$@"
  else
    "$@"
  fi
}

# --- SQLite (DATA_DIR/ocop.db) ---
if [ -f "$DATA_DIR/ocop.db" ]; then
  target="$BACKUP_DIR/ocop-$stamp.db"
  # The service user writes into a scratch directory it owns; the finished copy is then moved here.
  scratch="$(mktemp -d)"
  chmod 700 "$scratch"
  if [ "$(id -u)" = 0 ] && id "$APP_USER" >/dev/null 2>&1; then chown "$APP_USER" "$scratch"; fi
  # shellcheck disable=SC2086 # OCOP_BOT is a command with its arguments
  if (cd "$APP_DIR" && as_app env DATA_DIR="$DATA_DIR" $OCOP_BOT backup "$scratch/ocop.db") >/dev/null; then
    mv "$scratch/ocop.db" "$target"
    # A copy that cannot be opened is no backup.
    if command -v sqlite3 >/dev/null && [ "$(sqlite3 "$target" 'PRAGMA integrity_check;')" != ok ]; then
      log "SQLite copy $target FAILS its integrity check"
      failed=1
    else
      gzip -9 "$target"
      log "SQLite: $target.gz ($(du -h "$target.gz" | cut -f1))"
    fi
  else
    log "SQLite: 'ocop-bot backup' failed"
    failed=1
  fi
  rm -rf "$scratch"
else
  log "SQLite: no $DATA_DIR/ocop.db (REDIS_URL in use, or DATA_DIR elsewhere): skipped"
fi

# --- Redis (dump.rdb after a fresh BGSAVE, and the AOF directory) ---
if [ "$REDIS_BACKUP" != no ] && command -v redis-cli >/dev/null; then
  if [ -z "${REDIS_PASSWORD:-}" ] && [ -r "$REDIS_CONF" ]; then
    REDIS_PASSWORD="$(awk '$1 == "requirepass" { print $2 }' "$REDIS_CONF" | tail -n 1)"
  fi
  export REDISCLI_AUTH="${REDIS_PASSWORD:-}"
  rcli() { redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" --no-auth-warning "$@"; }
  pong="$(rcli PING 2>&1 || true)"
  if [ "$pong" = PONG ]; then
    # LASTSAVE (in seconds) changes when the snapshot is on disk. A save within the current second would
    # leave it unchanged, so first let the clock pass the last save.
    before="$(rcli LASTSAVE)"
    while [ "$(date +%s)" -le "$before" ]; do sleep 1; done
    rcli BGSAVE >/dev/null
    waited=0
    saved=yes
    while [ "$(rcli LASTSAVE)" = "$before" ]; do
      if [ "$waited" -ge "$REDIS_SAVE_TIMEOUT" ]; then
        log "Redis: BGSAVE did not finish within ${REDIS_SAVE_TIMEOUT}s"
        failed=1
        saved=no
        break
      fi
      sleep 1
      waited=$((waited + 1))
    done
    if [ "$saved" = yes ] && ! rcli INFO persistence | grep -q '^rdb_last_bgsave_status:ok'; then
      log "Redis: BGSAVE failed (see the Redis log)"
      failed=1
      saved=no
    fi
    if [ "$saved" = yes ]; then
      rdb_dir="$(rcli CONFIG GET dir | sed -n 2p)"
      rdb_file="$(rcli CONFIG GET dbfilename | sed -n 2p)"
      aof_dir="$(rcli CONFIG GET appenddirname | sed -n 2p)"
      rdb_dir="${rdb_dir:-$REDIS_DATA_DIR}"
      cp "$rdb_dir/${rdb_file:-dump.rdb}" "$BACKUP_DIR/redis-$stamp.rdb"
      gzip -9 "$BACKUP_DIR/redis-$stamp.rdb"
      log "Redis: $BACKUP_DIR/redis-$stamp.rdb.gz"
      if [ -n "$aof_dir" ] && [ -d "$rdb_dir/$aof_dir" ]; then
        tar -C "$rdb_dir" -czf "$BACKUP_DIR/redis-aof-$stamp.tar.gz" "$aof_dir"
        log "Redis: $BACKUP_DIR/redis-aof-$stamp.tar.gz"
      fi
    fi
  elif printf '%s' "$pong" | grep -qE 'NOAUTH|WRONGPASS|AUTH'; then
    log "Redis: the password was refused (REDIS_PASSWORD or requirepass in $REDIS_CONF)"
    failed=1
  elif [ "$REDIS_BACKUP" = yes ]; then
    log "Redis: no answer at $REDIS_HOST:$REDIS_PORT"
    failed=1
  else
    log "Redis: not running at $REDIS_HOST:$REDIS_PORT: skipped"
  fi
fi

# --- Retention ---
find "$BACKUP_DIR" -maxdepth 1 -type f \( -name 'ocop-*.db.gz' -o -name 'redis-*.rdb.gz' -o -name 'redis-aof-*.tar.gz' \) \
  -mtime +"$KEEP_DAYS" -print -delete | sed "s/^/$(date -Is) backup: removed old /"

exit "$failed"
