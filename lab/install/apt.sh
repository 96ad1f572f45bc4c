#!/usr/bin/env bash
# Debian packages the lab and the tests need: sshd for the hosts, iptables for isolation,
# tmux for the terminal tests, chromium for the audit page screenshot.
set -euo pipefail
pkgs=(openssh-server openssh-client iptables tmux chromium procps)
missing=()
for p in "${pkgs[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
echo "Debian packages present: ${pkgs[*]}"
