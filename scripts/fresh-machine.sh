#!/usr/bin/env bash
# Proves the README's two commands on a machine with nothing installed by hand: a Debian bookworm chroot made
# with debootstrap (git and certificates only), this machine's Node.js copied in, a fresh clone of the
# repository, then `npm ci && npm test` inside it. Needs root and Debian's debootstrap.
#
#   scripts/fresh-machine.sh [chroot dir, default /tmp/ocop-fresh]
#
# The chroot shares this machine's network, so a Redis already listening on 127.0.0.1:6379 would be found and
# used; stop it first (redis-cli shutdown nosave) to prove that `npm test` installs and starts its own.
set -euo pipefail

root="${1:-/tmp/ocop-fresh}"
repo="$(cd "$(dirname "$0")/.." && pwd)"

if [ ! -x "$root/bin/bash" ]; then
  command -v debootstrap >/dev/null || apt-get install -y -qq debootstrap
  debootstrap --variant=minbase --include=git,ca-certificates,procps bookworm "$root" http://deb.debian.org/debian
fi

# Node.js as this machine has it (a fresh machine of this kind comes with it).
cp /usr/bin/node "$root/usr/bin/node"
mkdir -p "$root/usr/lib/node_modules"
rm -rf "$root/usr/lib/node_modules/npm"
cp -a /usr/lib/node_modules/npm "$root/usr/lib/node_modules/npm"
ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/bin/npm"
ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/bin/npx"
cp /etc/resolv.conf "$root/etc/resolv.conf"
# The machine's own trust set-up (a registry reached through a TLS-inspecting egress needs its CA), as a new
# machine of this kind has it: extra CA certificates, npm's cafile settings, NODE_EXTRA_CA_CERTS.
if ls /usr/local/share/ca-certificates/*.crt >/dev/null 2>&1; then
  mkdir -p "$root/usr/local/share/ca-certificates"
  cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
  chroot "$root" update-ca-certificates >/dev/null
fi
for f in /etc/npmrc /usr/etc/npmrc; do
  [ -f "$f" ] && mkdir -p "$root$(dirname "$f")" && cp "$f" "$root$f"
done

for m in proc sys dev dev/pts; do
  mountpoint -q "$root/$m" || mount --bind "/$m" "$root/$m"
done
cleanup() {
  for m in dev/pts dev sys proc; do umount "$root/$m" 2>/dev/null || true; done
}
trap cleanup EXIT

rm -rf "$root/src/ocop-bot"
mkdir -p "$root/src"
git clone -q "$repo" "$root/src/ocop-bot"

chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin LANG=C.UTF-8 \
  ${NODE_EXTRA_CA_CERTS:+NODE_EXTRA_CA_CERTS=$NODE_EXTRA_CA_CERTS} \
  bash -c 'cd /src/ocop-bot && node --version && npm ci --no-audit --no-fund && npm test'
