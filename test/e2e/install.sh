#!/usr/bin/env bash
# test/e2e/install.sh: build what is missing or stale, then install the
# package the way a user would (npm pack, npm install -g) into
# build/e2e-prefix, inside the project tree so that the lab guest sees it
# at the same path.  Shared by test/e2e/run-lab.sh and scripts/demo.sh.
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

# --- pack and install, as a user would
say "npm pack"
rm -f "$work"/vnet-*.tgz
tgz=$(npm pack --silent --pack-destination "$work" 2>/dev/null | tail -n 1)
[[ -f $work/$tgz ]] || { say "npm pack produced no tarball"; exit 1; }
say "npm install -g --prefix build/e2e-prefix $tgz"
rm -rf "$prefix"
npm install -g --no-audit --no-fund --prefer-offline --loglevel=error --prefix "$prefix" "$work/$tgz" >&2
pkgdir=$prefix/lib/node_modules/vnet
[[ -d $pkgdir ]] || { say "the package was not installed at $pkgdir"; exit 1; }

# --- what the tarball should carry but may not (reported, then worked around)
listing=$(tar -tzf "$work/$tgz")
missing=()
grep -q '^package/dist/commands/vnetconfig.js$' <<<"$listing" || missing+=(dist)
grep -q '^package/build/Release/vnet.node$' <<<"$listing" || missing+=(build/Release/vnet.node)
if ((${#missing[@]})); then
	say "PACKAGING BUG: $tgz lacks ${missing[*]} (package.json has no \"files\" entry and .gitignore"
	say "  excludes dist/ and build/, so npm pack leaves them out); copying them into the installed package"
	for m in "${missing[@]}"; do
		mkdir -p "$pkgdir/$(dirname "$m")"
		cp -a "$root/$m" "$pkgdir/$m"
	done
fi
printf '%s\n' "${missing[@]}" > "$work/missing-from-tarball"
echo "$prefix/bin"
