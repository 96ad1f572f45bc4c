#!/usr/bin/env bash
# Runs under tini in every host container: sshd, the client-port relay, and the host's service, started
# through the same control command the runbooks call over SSH (/opt/rekindle/svc, a copy of lab/bin/svc).
#
# The relay: svc isolates a host by rejecting its PORT on the loopback interface (`-i lo`), as in the lab.
# Here clients arrive on eth0, so the service listens on 127.0.0.1:PORT and socat forwards the public
# PUBLIC_PORT to it over loopback. An isolated host therefore resets client connections (new and existing)
# while sshd and the brokers' INTERNAL listener, which bind eth0 directly, keep working.
set -euo pipefail

hostdir=/opt/rekindle/host
svc=/opt/rekindle/svc
keys=/run/rekindle/ssh
# shellcheck source=/dev/null
source "$hostdir/service.env"
: "${HOST:?service.env must set HOST}" "${PORT:?service.env must set PORT}"
: "${PUBLIC_PORT:?service.env must set PUBLIC_PORT}" "${LOG:?service.env must set LOG}"

for f in ssh_host_ed25519_key authorized_keys; do
  if [[ ! -f "$keys/$f" ]]; then
    echo "$HOST: $keys/$f is missing; run docker/gen-keys.sh before docker compose up" >&2
    exit 1
  fi
done
# Copied, not used in place: sshd wants root-owned 0600 files, whatever the bind mount's owner is.
install -m 600 "$keys/ssh_host_ed25519_key" /etc/ssh/ssh_host_ed25519_key
install -d -m 700 /root/.ssh
install -m 600 "$keys/authorized_keys" /root/.ssh/authorized_keys
mkdir -p /run/sshd "$(dirname "$LOG")"
touch "$LOG"

for d in ${DATA_DIRS:-}; do mkdir -p "$d"; done
if [[ -n "${MYID_FILE:-}" && ! -f "$MYID_FILE" ]]; then echo "${MYID:?service.env sets MYID_FILE without MYID}" >"$MYID_FILE"; fi

# A fresh container runs no service yet; a pid file left by the previous run names nothing of ours.
rm -f "$hostdir/service.pid"

/usr/sbin/sshd -D -e -f /etc/ssh/sshd_config -o "SetEnv=REKINDLE_LAB_HOST=$HOST" &
sshd_pid=$!

(
  while :; do
    socat "TCP-LISTEN:$PUBLIC_PORT,fork,reuseaddr" "TCP:127.0.0.1:$PORT" || true
    sleep 1
  done
) &

"$svc" "$hostdir" start
# The service's output goes to LOG (svc's choice); follow it so `docker compose logs` shows it.
tail -n +1 -F "$LOG" &

shutdown() {
  "$svc" "$hostdir" stop || true
  kill -TERM "$sshd_pid" 2>/dev/null || true
  exit 0
}
trap shutdown TERM INT

# The container lives as long as sshd: a stopped or killed service is a state the runbooks manage.
wait "$sshd_pid"
