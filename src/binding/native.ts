/*
 * Loads the native addon (addon/, built to vnet.node) and hands it out as
 * the typed `VnetBinding`.  The addon is found at, in order:
 *
 *   $VNET_ADDON                            (an explicit path, if set)
 *   the files this package itself makes, in node-gyp-build's order:
 *     build/Release/vnet.node              (cmake-js: a development build,
 *     build/Debug/vnet.node                 or the install-time fallback)
 *     prebuilds/linux-<arch>/node.napi.glibc.node   (shipped in the npm
 *                                           package, scripts/prebuild.js;
 *                                           not on musl, as node-gyp-build)
 *   node-gyp-build's pick in <root>        (the standard prebuild loader:
 *                                           its other names and tags)
 *   <root>/build/gyp/build/Release/vnet.node  (node-gyp, scripts/build-gyp.js)
 *
 * where <root> is the package root: this file lives in src/binding/ (ts-jest)
 * or dist/binding/ (tsc), two levels below it either way.
 *
 * The known files are looked at first, by name, and node-gyp-build is only
 * loaded when none of them is there: its path() reads the package.json
 * through require() and lists directories, and in the lab guest (qemu TCG)
 * loading it and calling it took 60 ms, more than the addon's dlopen, in
 * every command that talks to the kernel (issue 9, docs/performance.md).
 */
import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

import { VnetSystemError } from './errors';
import type { VnetBinding } from './types';

/** What the .node file exports before it is typed. */
interface RawAddon {
  setErrorClass(ctor: typeof VnetSystemError): void;
  constants: unknown;
  openGenlAsync?: unknown;
  linkStatsAsync?: unknown;
}

export const PROJECT_ROOT = resolve(__dirname, '..', '..');

/** node-gyp-build's choice in `root`, or why there is none. */
function standardPick(root: string): { path?: string; reason?: string } {
  try {
    // Loaded here, not at the top: most starts never need it (see above).
    // node-gyp-build ships no type declarations; this is the one function used.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const nodeGypBuild = require('node-gyp-build') as { path(dir: string): string };
    return { path: nodeGypBuild.path(root) };
  } catch (e) {
    return { reason: (e instanceof Error ? e.message : String(e)).trim().split('\n')[0] };
  }
}

/**
 * The files this package makes that exist in `root`, in node-gyp-build's
 * order (build/Release, build/Debug, then prebuilds/).  The prebuilt
 * binaries are glibc builds: on musl, node-gyp-build's test for it
 * (/etc/alpine-release) leaves them out as it does.
 */
function knownFiles(root: string): string[] {
  const list = [join(root, 'build', 'Release', 'vnet.node'), join(root, 'build', 'Debug', 'vnet.node')];
  if (process.platform === 'linux' && !existsSync('/etc/alpine-release')) {
    list.push(join(root, 'prebuilds', `linux-${process.arch}`, 'node.napi.glibc.node'));
  }
  return list.filter((f) => existsSync(f));
}

const explicitAddon = (): string[] => (process.env.VNET_ADDON ? [resolve(process.env.VNET_ADDON)] : []);
const gypFile = (root: string): string => join(root, 'build', 'gyp', 'build', 'Release', 'vnet.node');

/** The candidate paths, in search order (node-gyp-build asked only when no known file exists). */
export function addonCandidates(root: string = PROJECT_ROOT): string[] {
  const known = knownFiles(root);
  const pick = known.length ? undefined : standardPick(root).path;
  return [...explicitAddon(), ...known, ...(pick ? [pick] : []), gypFile(root)];
}

/** How to get a binary: a development checkout builds it, an installed
 * package builds from source with its install script (scripts/install.js). */
function buildHint(root: string): string {
  return basename(dirname(root)) === 'node_modules'
    ? 'none fits this machine: with cmake, make and g++ installed, ' +
        '`npm rebuild -g vnet` (without -g for a local install) builds it from source'
    : 'build it with `npm run build:addon`';
}

/** Thrown when no candidate loads; lists every path tried and why. */
export class AddonLoadError extends Error {
  readonly code = 'ERR_VNET_ADDON_NOT_FOUND';
  constructor(
    readonly tried: { path: string; reason: string }[],
    hint = buildHint(PROJECT_ROOT),
  ) {
    super(
      `vnet: cannot load the native addon (${hint}); tried:\n` +
        tried.map((t) => `  ${t.path}: ${t.reason}`).join('\n'),
    );
    this.name = 'AddonLoadError';
  }
}

function loadRaw(file: string): RawAddon {
  const mod = { exports: {} as RawAddon };
  process.dlopen(mod, file);
  return mod.exports;
}

/** Loads one specific .node file (tests load the node-gyp build this way). */
export function loadAddonFrom(file: string): VnetBinding {
  const raw = loadRaw(file);
  if (typeof raw.setErrorClass !== 'function') {
    throw new Error(`vnet: ${file} is not the vnet addon (no setErrorClass)`);
  }
  // A build older than the asynchronous API would fail later, at the first
  // await, as "not a function": say so now, and let the search go on.
  if (typeof raw.openGenlAsync !== 'function' || typeof raw.linkStatsAsync !== 'function') {
    throw new Error(`vnet: ${file} is an older build of the addon, without the asynchronous API (rebuild: npm run build:addon)`);
  }
  raw.setErrorClass(VnetSystemError);
  // The one place the untyped addon becomes a VnetBinding.
  return raw as unknown as VnetBinding;
}

let cached: VnetBinding | undefined;

/** The native binding, loaded once from the first candidate that loads. */
export function loadNativeBinding(): VnetBinding {
  if (cached) return cached;
  const tried: { path: string; reason: string }[] = [];
  const load = (file: string): VnetBinding | undefined => {
    try {
      return loadAddonFrom(file);
    } catch (e) {
      tried.push({ path: file, reason: e instanceof Error ? e.message : String(e) });
      return undefined;
    }
  };
  const loadIfThere = (file: string): VnetBinding | undefined => {
    if (existsSync(file)) return load(file);
    tried.push({ path: file, reason: 'not found' });
    return undefined;
  };
  const firstLoaded = (files: string[], how: (f: string) => VnetBinding | undefined): VnetBinding | undefined => {
    for (const f of files) {
      const b = how(f);
      if (b) return b;
    }
    return undefined;
  };
  // knownFiles() has checked that its files exist: one stat each
  cached = firstLoaded(explicitAddon(), loadIfThere) ?? firstLoaded(knownFiles(PROJECT_ROOT), load);
  if (cached) return cached;
  // None of them loaded: node-gyp-build's wider search (its pick may be a
  // known file that just failed), then node-gyp's build.
  const pick = standardPick(PROJECT_ROOT);
  if (pick.reason) tried.push({ path: join(PROJECT_ROOT, 'prebuilds'), reason: pick.reason });
  const rest = pick.path && !tried.some((t) => t.path === pick.path) ? [pick.path] : [];
  cached = firstLoaded([...rest, gypFile(PROJECT_ROOT)], loadIfThere);
  if (cached) return cached;
  throw new AddonLoadError(tried);
}

/** The path a binding would be loaded from (for diagnostics), or undefined. */
export function findAddon(): string | undefined {
  return addonCandidates().find((f) => existsSync(f));
}
