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

# --- pack and install, as a user would (one install at a time; skipped
# when neither the tarball nor the files copied in below changed)
exec 9> "$work/lock"
flock 9
say "npm pack"
rm -f "$work"/vnet-*.tgz
# (npm pack runs the package's "prepare" script, whose output comes first)
if ! npm pack --silent --pack-destination "$work" > "$work/pack.out"; then
	cat "$work/pack.out" >&2
	say "npm pack failed"
	exit 1
fi
head -n -1 "$work/pack.out" >&2
tgz=$(tail -n 1 "$work/pack.out")
[[ -n $tgz && -f $work/$tgz ]] || { say "npm pack produced no tarball"; exit 1; }

# What the tarball should carry but may not (reported, then worked around).
listing=$(tar -tzf "$work/$tgz")
missing=()
grep -q '^package/dist/commands/vnetconfig.js$' <<<"$listing" || missing+=(dist)
grep -q '^package/build/Release/vnet.node$' <<<"$listing" || missing+=(build/Release/vnet.node)
if ((${#missing[@]})); then
	say "PACKAGING BUG: $tgz lacks ${missing[*]} (package.json has no \"files\" entry and .gitignore"
	say "  excludes dist/ and build/, so npm pack leaves them out); copying them into the installed package"
fi

pkgdir=$prefix/lib/node_modules/vnet
key=$( { sha256sum "$work/$tgz" | cut -d' ' -f1; for m in "${missing[@]}"; do find "$m" -type f -print0 | sort -z | xargs -0 sha256sum; done; } | sha256sum | cut -c1-16)
if [[ -f $prefix/.e2e-key && $(cat "$prefix/.e2e-key") == "$key" && -x $prefix/bin/vnetconfig ]]; then
	say "build/e2e-prefix is up to date"
else
	say "npm install -g --prefix build/e2e-prefix $tgz"
	rm -rf "$prefix"
	npm install -g --no-audit --no-fund --prefer-offline --loglevel=error --prefix "$prefix" "$work/$tgz" >&2
	[[ -d $pkgdir ]] || { say "the package was not installed at $pkgdir"; exit 1; }
	for m in "${missing[@]}"; do
		mkdir -p "$pkgdir/$(dirname "$m")"
		cp -a "$root/$m" "$pkgdir/$m"
	done
	echo "$key" > "$prefix/.e2e-key"
fi
printf '%s\n' "${missing[@]}" > "$work/missing-from-tarball"
echo "$prefix/bin"
