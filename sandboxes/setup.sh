#!/usr/bin/env bash
# `npm run sandbox:setup` (root, Debian): idempotent. Installs docker.io and mmdebstrap when missing,
# starts dockerd when no engine answers, builds the sandbox image when absent.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tag=$(cat "$here/IMAGE")

missing=()
# A docker client alone (as on some machines) is not an engine: the daemon binary decides.
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
command -v mmdebstrap >/dev/null 2>&1 || missing+=(mmdebstrap)
if [ ${#missing[@]} -gt 0 ]; then
  echo "sandbox:setup: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! docker info >/dev/null 2>&1; then
  echo "sandbox:setup: starting dockerd"
  nohup dockerd >/var/log/baton-dockerd.log 2>&1 &
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    sleep 1
  done
  docker info >/dev/null 2>&1 || { echo "sandbox:setup: dockerd did not start (see /var/log/baton-dockerd.log)"; exit 1; }
fi

if docker image inspect "$tag" >/dev/null 2>&1; then
  echo "sandbox:setup: image $tag present"
else
  echo "sandbox:setup: building $tag (mmdebstrap, about a minute)"
  bash "$here/build-image.sh"
fi
