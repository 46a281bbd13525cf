#!/usr/bin/env node
'use strict';
/*
 * Builds the prebuilt Node-API binaries that the npm package ships, in
 * prebuildify's layout, where node-gyp-build finds them
 * (src/binding/native.ts at run time, scripts/install.js at install time):
 *
 *   prebuilds/linux-x64/node.napi.glibc.node
 *   prebuilds/linux-arm64/node.napi.glibc.node
 *
 * ("napi": one binary for every Node.js with Node-API 8; "glibc": not for
 * musl, where node-gyp-build skips it and the install builds from source.)
 *
 * Each one is a cmake-js build with -DVNET_PREBUILD=ON (libstdc++ linked
 * in, stripped: see CMakeLists.txt) in build/prebuild/linux-<arch>/, so
 * rebuilds are incremental.  The architecture that is not this machine's
 * is cross-compiled with Debian's cross toolchain (cmake/<triple>.cmake;
 * bash scripts/setup-prebuild.sh installs it).  Every binary is checked to
 * be an ELF shared object for its architecture before it is copied.
 * Runs before `npm pack` (package.json "prepack").
 *
 *   node scripts/prebuild.js [ARCH...]     ARCH: x64, arm64 (default: both)
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');

/** What each target needs: its GNU triple and ELF e_machine. */
const TARGETS = {
  x64: { triple: 'x86_64-linux-gnu', machine: 62 /* EM_X86_64 */ },
  arm64: { triple: 'aarch64-linux-gnu', machine: 183 /* EM_AARCH64 */ },
};

/** The file node-gyp-build loads for linux-<arch> (glibc). */
function prebuildPath(arch, root = ROOT) {
  return path.join(root, 'prebuilds', `linux-${arch}`, 'node.napi.glibc.node');
}

/** e_machine of a 64-bit little-endian ELF shared object; throws otherwise. */
function elfMachine(file) {
  const h = Buffer.alloc(20);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, h, 0, 20, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (h.readUInt32BE(0) !== 0x7f454c46) throw new Error(`${file}: not an ELF file`);
  if (h[4] !== 2 || h[5] !== 1) throw new Error(`${file}: not a 64-bit little-endian ELF file`);
  if (h.readUInt16LE(16) !== 3 /* ET_DYN */) throw new Error(`${file}: not a shared object`);
  return h.readUInt16LE(18);
}

function onPath(cmd) {
  return (process.env.PATH || '')
    .split(':')
    .filter(Boolean)
    .some((d) => {
      try {
        fs.accessSync(path.join(d, cmd), fs.constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
}

function build(arch, required) {
  const t = TARGETS[arch];
  if (!t) throw new Error(`prebuild: unknown architecture '${arch}' (known: ${Object.keys(TARGETS).join(', ')})`);
  const out = path.join(ROOT, 'build', 'prebuild', `linux-${arch}`);
  const args = [require.resolve('cmake-js/bin/cmake-js'), 'compile', '--out', out, '--CDVNET_PREBUILD=ON'];
  if (arch !== process.arch) {
    const cxx = `${t.triple}-g++`;
    if (!onPath(cxx)) {
      const msg =
        `prebuild: ${cxx} not found: the linux-${arch} binary is cross-compiled with Debian's ` +
        `toolchain (bash scripts/setup-prebuild.sh, or apt-get install g++-${t.triple.replace(/_/g, '-')})`;
      if (required) throw new Error(msg);
      console.error(`${msg}; the package will have no linux-${arch} binary`);
      fs.rmSync(path.dirname(prebuildPath(arch)), { recursive: true, force: true });
      return;
    }
    args.push(`--CDCMAKE_TOOLCHAIN_FILE=${path.join(ROOT, 'cmake', `${t.triple}.cmake`)}`);
  }
  console.error(`prebuild: linux-${arch}${arch === process.arch ? '' : ` (cross, ${t.triple})`}`);
  const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 2, 2] });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`prebuild: the linux-${arch} build failed (exit ${r.status})`);

  const built = path.join(out, 'Release', 'vnet.node');
  const machine = elfMachine(built);
  if (machine !== t.machine) {
    throw new Error(`prebuild: ${built} is for ELF machine ${machine}, not ${t.machine} (linux-${arch})`);
  }
  const dest = prebuildPath(arch);
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.copyFileSync(built, dest);
  console.error(`prebuild: ${path.relative(ROOT, dest)} (${fs.statSync(dest).size} bytes)`);
}

function main() {
  const archs = process.argv.slice(2);
  for (const arch of archs.length ? archs : Object.keys(TARGETS)) build(arch, archs.length > 0);
}

if (require.main === module) {
  try {
    main();
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    process.exitCode = 1;
  }
}
module.exports = { TARGETS, prebuildPath, elfMachine };
