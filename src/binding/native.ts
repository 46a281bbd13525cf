/*
 * Loads the native addon (addon/, built to vnet.node) and hands it out as
 * the typed `VnetBinding`.  The addon is found at, in order:
 *
 *   $VNET_ADDON                            (an explicit path, if set)
 *   <root>/build/Release/vnet.node         (cmake-js, the primary build)
 *   <root>/build/Debug/vnet.node           (cmake-js -D)
 *   <root>/build/gyp/build/Release/vnet.node  (node-gyp, scripts/build-gyp.js)
 *
 * where <root> is the project root: this file lives in src/binding/ (ts-jest)
 * or dist/binding/ (tsc), two levels below it either way.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { VnetSystemError } from './errors';
import type { VnetBinding } from './types';

/** What the .node file exports before it is typed. */
interface RawAddon {
  setErrorClass(ctor: typeof VnetSystemError): void;
  constants: unknown;
  openGenlAsync?: unknown;
  linkStatsAsync?: unknown;
}

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

/** The candidate paths, in search order. */
export function addonCandidates(root: string = PROJECT_ROOT): string[] {
  const list: string[] = [];
  if (process.env.VNET_ADDON) list.push(path.resolve(process.env.VNET_ADDON));
  list.push(
    path.join(root, 'build', 'Release', 'vnet.node'),
    path.join(root, 'build', 'Debug', 'vnet.node'),
    path.join(root, 'build', 'gyp', 'build', 'Release', 'vnet.node'),
  );
  return list;
}

/** Thrown when no candidate loads; lists every path tried and why. */
export class AddonLoadError extends Error {
  readonly code = 'ERR_VNET_ADDON_NOT_FOUND';
  constructor(readonly tried: { path: string; reason: string }[]) {
    super(
      'vnet: cannot load the native addon (build it with `npm run build:addon`); tried:\n' +
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
  for (const file of addonCandidates()) {
    if (!fs.existsSync(file)) {
      tried.push({ path: file, reason: 'not found' });
      continue;
    }
    try {
      cached = loadAddonFrom(file);
      return cached;
    } catch (e) {
      tried.push({ path: file, reason: e instanceof Error ? e.message : String(e) });
    }
  }
  throw new AddonLoadError(tried);
}

/** The path a binding would be loaded from (for diagnostics), or undefined. */
export function findAddon(): string | undefined {
  return addonCandidates().find((f) => fs.existsSync(f));
}
