#!/bin/sh
# One-shot (the temporal-init service, temporalio/admin-tools): waits for the namespace that auto-setup
# creates, then registers every name in SEARCH_ATTRIBUTES as a Keyword search attribute, skipping those that
# exist, and checks they are all listed. Exit 0 when all are registered; 1 otherwise.
set -eu

ns=${NAMESPACE:-default}
names=${SEARCH_ATTRIBUTES:?SEARCH_ATTRIBUTES must list the attribute names}
deadline=$(( $(date +%s) + ${WAIT_SECONDS:-180} ))

until temporal operator namespace describe --namespace "$ns" >/dev/null 2>&1; do
  if [ "$(date +%s)" -ge "$deadline" ]; then
    echo "temporal-init: namespace $ns did not appear at $TEMPORAL_ADDRESS" >&2
    exit 1
  fi
  sleep 2
done

listed() { temporal operator search-attribute list --namespace "$ns" --output json; }

existing=$(listed)
for name in $names; do
  if printf '%s' "$existing" | grep -q "\"$name\""; then
    echo "temporal-init: $name already registered"
  else
    temporal operator search-attribute create --namespace "$ns" --name "$name" --type Keyword
    echo "temporal-init: $name registered as Keyword"
  fi
done

existing=$(listed)
for name in $names; do
  printf '%s' "$existing" | grep -q "\"$name\"" || { echo "temporal-init: $name is not listed after create" >&2; exit 1; }
done
