#!/usr/bin/env bash
# One-shot, idempotent: creates the SSH keys of the compose stack under docker/keys/ (gitignored).
#   keys/hosts/<host>/ssh_host_ed25519_key(.pub)  each host's own host key, mounted into that host only
#   keys/hosts/<host>/authorized_keys             the client's public key
#   keys/client/id_ed25519(.pub)                  the worker's client key
#   keys/client/known_hosts                       pins every host key under its compose service name
# Existing keys are kept, so the pins stay valid across rebuilds; delete docker/keys/ to rotate them all.
# Usage: bash docker/gen-keys.sh [HOST...]   (default: kafka-1 kafka-2 kafka-3 zk-1; KEYS_DIR moves the output)
set -euo pipefail

dir="${KEYS_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/keys}"
hosts=("$@")
[[ ${#hosts[@]} -gt 0 ]] || hosts=(kafka-1 kafka-2 kafka-3 zk-1)
command -v ssh-keygen >/dev/null || { echo "ssh-keygen is required (openssh-client)" >&2; exit 1; }

keygen() { # FILE COMMENT
  [[ -f "$1" ]] || ssh-keygen -q -t ed25519 -N '' -C "$2" -f "$1"
}

umask 077
mkdir -p "$dir/client"
keygen "$dir/client/id_ed25519" rekindle-compose-client

known="$dir/client/known_hosts.tmp"
: >"$known"
for h in "${hosts[@]}"; do
  mkdir -p "$dir/hosts/$h"
  keygen "$dir/hosts/$h/ssh_host_ed25519_key" "$h"
  cp "$dir/client/id_ed25519.pub" "$dir/hosts/$h/authorized_keys"
  # Port 22, so the known_hosts name is the bare host name (no [host]:port).
  echo "$h $(cut -d' ' -f1,2 "$dir/hosts/$h/ssh_host_ed25519_key.pub")" >>"$known"
done
mv "$known" "$dir/client/known_hosts"
# Public material may be world-readable; private keys stay 0600 (the containers copy them with their own owner).
chmod 644 "$dir/client/known_hosts" "$dir/client/id_ed25519.pub" "$dir"/hosts/*/authorized_keys "$dir"/hosts/*/*.pub
chmod 755 "$dir" "$dir/client" "$dir/hosts" "$dir"/hosts/*
echo "SSH keys for ${hosts[*]} are in $dir"
