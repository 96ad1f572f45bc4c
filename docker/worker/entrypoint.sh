#!/bin/sh
# Copies the mounted SSH client key and known_hosts (REKINDLE_KEYS_SOURCE, from docker/gen-keys.sh) to
# REKINDLE_KEYS_DIR, owned by `node` with mode 0600, since a bind mount keeps the host's owner; then runs the
# command as `node`. The inventory (inventories/compose.yaml) names the copies: /keys/id_ed25519, /keys/known_hosts.
set -eu

src=${REKINDLE_KEYS_SOURCE:-/run/rekindle/keys}
dst=${REKINDLE_KEYS_DIR:-/keys}
for f in id_ed25519 known_hosts; do
  if [ ! -f "$src/$f" ]; then
    echo "worker: $src/$f is missing; run docker/gen-keys.sh before docker compose up" >&2
    exit 1
  fi
done
install -d -o node -g node -m 700 "$dst"
install -o node -g node -m 600 "$src/id_ed25519" "$dst/id_ed25519"
install -o node -g node -m 644 "$src/known_hosts" "$dst/known_hosts"
if [ -n "${REKINDLE_BACKUP_STORE:-}" ]; then
  mkdir -p "$REKINDLE_BACKUP_STORE"
  chown node:node "$REKINDLE_BACKUP_STORE"
fi

exec env HOME=/home/node setpriv --reuid=node --regid=node --init-groups -- "$@"
