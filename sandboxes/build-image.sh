#!/usr/bin/env bash
# Builds the sandbox image offline from Debian packages (no image registry needed):
# a minimal bookworm with python3 (not python3-minimal, which lacks json and most of the stdlib),
# imported as the tag in sandboxes/IMAGE. The test runner (sandboxes/runner/harness.py) is not baked
# in: the driver mounts it read-only, so editing it needs no rebuild.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tag=$(cat "$here/IMAGE")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mmdebstrap --quiet --variant=apt --include=python3 bookworm "$work/rootfs.tar"
docker import --change 'USER 65534:65534' --change 'WORKDIR /tmp' "$work/rootfs.tar" "$tag" >/dev/null
docker run --rm --network none "$tag" /usr/bin/python3 -c 'import json, decimal, ctypes; print("sandbox image ok")'
