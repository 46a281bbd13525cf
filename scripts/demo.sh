#!/usr/bin/env bash
# scripts/demo.sh (npm run demo): a newcomer's first command.  Installs
# what is missing (Debian packages for the lab and for packaging,
# node_modules with npm ci, the build), installs the package as a user
# would (test/e2e/install.sh: npm pack + npm install -g into
# build/e2e-prefix, with no compiler on PATH), then boots the lab VM with
# vnet.ko loaded and runs the narrated session scripts/demo-guest.sh in it.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
t0=$SECONDS

echo "demo: checking the lab's packages (lab/setup)" >&2
bash lab/setup
bash scripts/setup-prebuild.sh
if [[ ! -d node_modules ]]; then
	echo "demo: installing node_modules (npm ci)" >&2
	npm ci --no-audit --no-fund
fi
bindir=$(bash test/e2e/install.sh | tail -n 1)

echo "demo: booting the lab VM (Linux 6.1 under qemu, vnet.ko loaded)..." >&2
guest_path="$bindir:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
rc=0
lab/run -- /usr/bin/env PATH="$guest_path" /bin/sh scripts/demo-guest.sh || rc=$?
if ((rc != 0)); then
	echo "demo: FAILED (exit $rc) after $((SECONDS - t0)) s" >&2
	exit "$rc"
fi
echo "demo: finished in $((SECONDS - t0)) s" >&2
