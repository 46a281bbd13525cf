#!/usr/bin/env bash
# test/e2e/install.sh: build what is missing or stale, then install the
# package the way a user would (npm pack, npm install -g) into
# build/e2e-prefix, inside the project tree so that the lab guest sees it
# at the same path, with no compiler on PATH (build/e2e/nocc-bin; the
# install's output is kept in build/e2e/npm-install.log).  Shared by
# test/e2e/run-lab.sh, scripts/demo.sh and test/package.
#
#   bash test/e2e/install.sh        # prints the installed bin dir last
#
# Progress goes to stderr; the one line on stdout is the bin directory.
# Environment: VNET_E2E_NO_BUILD=1 skips the build step.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
work=$root/build/e2e
prefix=$root/build/e2e-prefix
stamp=$work/build.stamp
mkdir -p "$work"

say() { echo "e2e-install: $*" >&2; }

if [[ ! -d node_modules ]]; then
	say "npm ci"
	npm ci --no-audit --no-fund >&2
fi

# --- build, when an output is missing or an input is newer than the last build
need_build=0
[[ -d dist/commands && -f build/Release/vnet.node ]] || need_build=1
if ((!need_build)); then
	if [[ ! -f $stamp ]]; then
		# first run: compare with the outputs themselves
		ref=dist/commands/vnetconfig.js
		[[ build/Release/vnet.node -ot $ref ]] && ref=build/Release/vnet.node
	else
		ref=$stamp
	fi
	if [[ -n $(find src addon kernel/include CMakeLists.txt tsconfig.json package.json scripts/gen-abi.js \
		-type f -newer "$ref" -print -quit 2>/dev/null) ]]; then
		need_build=1
	fi
fi
if ((need_build)) && [[ -z ${VNET_E2E_NO_BUILD:-} ]]; then
	say "building (npm run build)"
	touch "$stamp.new"
	npm run --silent build >&2
	mv -f "$stamp.new" "$stamp"
fi
[[ -d dist/commands && -f build/Release/vnet.node ]] || { say "no build output (dist/, build/Release/vnet.node)"; exit 1; }

# --- pack and install, as a user would (one install at a time; skipped
# when the tarball did not change)
exec 9> "$work/lock"
flock 9
say "npm pack"
rm -f "$work"/vnet-*.tgz
# (npm pack runs "prepack", which builds prebuilds/, and "prepare"; their
# output goes to stderr)
if ! npm pack --silent --pack-destination "$work" > "$work/pack.out"; then
	cat "$work/pack.out" >&2
	say "npm pack failed"
	exit 1
fi
tgz=$(tail -n 1 "$work/pack.out")
[[ -n $tgz && -f $work/$tgz ]] || { say "npm pack produced no tarball"; exit 1; }

# A tarball without its JavaScript or this machine's prebuilt binary is a
# packaging bug: nothing is patched up here.
arch=$(node -p process.arch)
listing=$(tar -tzf "$work/$tgz")
for f in dist/commands/vnetconfig.js "prebuilds/linux-$arch/node.napi.glibc.node"; do
	grep -qxF "package/$f" <<<"$listing" || { say "PACKAGING BUG: $tgz lacks $f"; exit 1; }
done

# The install runs with no compiler on PATH (node, npm and sh only), as on
# a machine without a toolchain: the prebuilt binary must do.
nocc=$work/nocc-bin
rm -rf "$nocc"
mkdir -p "$nocc"
ln -s "$(command -v node)" "$nocc/node"
ln -s "$(command -v npm)" "$nocc/npm"
ln -s /bin/sh "$nocc/sh"
for t in cc gcc g++ c++ clang cmake make ninja; do
	if PATH=$nocc command -v "$t" > /dev/null; then say "$t is on the compiler-free PATH"; exit 1; fi
done

pkgdir=$prefix/lib/node_modules/vnet
key=$(sha256sum "$work/$tgz" | cut -c1-16)
if [[ -f $prefix/.e2e-key && $(cat "$prefix/.e2e-key") == "$key" && -x $prefix/bin/vnetconfig ]]; then
	say "build/e2e-prefix is up to date"
else
	say "npm install -g --prefix build/e2e-prefix $tgz (PATH: node, npm, sh)"
	rm -rf "$prefix"
	if ! PATH=$nocc npm install -g --no-audit --no-fund --prefer-offline --foreground-scripts \
		--loglevel=error --prefix "$prefix" "$work/$tgz" > "$work/npm-install.log" 2>&1; then
		cat "$work/npm-install.log" >&2
		say "npm install -g failed"
		exit 1
	fi
	grep -v '^npm warn install-scripts' "$work/npm-install.log" >&2 || true
	[[ -d $pkgdir ]] || { say "the package was not installed at $pkgdir"; exit 1; }
	echo "$key" > "$prefix/.e2e-key"
fi
echo "$prefix/bin"
