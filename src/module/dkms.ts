/*
 * vnet-module's logic: the kernel sources the package ships, what DKMS and
 * the system know about vnet, and the steps that install or remove it.
 * Nothing here changes the machine: src/commands/vnet-module.ts runs the
 * steps (or prints them with --dry-run).
 *
 * Layout, as DKMS wants it: the sources in /usr/src/vnet-<version>/ (with
 * kernel/dkms.conf), registered with `dkms add`, built and installed for a
 * kernel with `dkms install -k <release>`, rebuilt by DKMS itself on kernel
 * upgrades (AUTOINSTALL).
 */
import { join } from 'node:path';

import { CliError } from '../errors';
import { EXIT_NOT_FOUND } from '../exit';
import { depEntry, isPlainModule, modinfoFields } from './modinfo';
import type { ModuleSystem } from './system';

export const SRC_TREE = '/usr/src';
export const DKMS_TREE = '/var/lib/dkms';
export const MODULES_DIR = '/lib/modules';
export const SYS_MODULE = '/sys/module/vnet';
export const MODULE = 'vnet';

export type Step =
  | { kind: 'run'; argv: string[] }
  | { kind: 'copy'; from: string; files: string[]; to: string }
  | { kind: 'remove'; path: string };

/** The kernel module's sources as shipped in the package (kernel/). */
export interface Sources {
  dir: string;
  /** dkms.conf's PACKAGE_VERSION */
  version: string;
}

function walk(sys: ModuleSystem, dir: string, rel = ''): string[] {
  return sys.readdir(join(dir, rel)).flatMap((name) => {
    const r = rel ? `${rel}/${name}` : name;
    return sys.isDirectory(join(dir, r)) ? walk(sys, dir, r) : [r];
  });
}

function isSource(rel: string): boolean {
  if (['Kbuild', 'Makefile', 'dkms.conf'].includes(rel)) return true;
  // not kbuild's generated files
  if (/^[^/]+\.[ch]$/.test(rel)) return !rel.endsWith('.mod.c') && rel !== 'compat-autoconf.h';
  // the feature probes Kbuild compiles into compat-autoconf.h
  if (/^probes\/[^/]+\.(c|sh)$/.test(rel)) return true;
  return /^include\/.+\.h$/.test(rel);
}

export function packageSources(sys: ModuleSystem, dir: string): Sources {
  const conf = sys.readFile(join(dir, 'dkms.conf'));
  const version = conf && /^PACKAGE_VERSION="?([^"\s]+)"?$/m.exec(conf)?.[1];
  if (!version) throw new CliError(EXIT_NOT_FOUND, `no kernel sources with a dkms.conf in ${dir}`);
  return { dir, version };
}

/**
 * The files DKMS gets, relative to the sources' directory: Kbuild,
 * Makefile, dkms.conf, *.c, *.h, probes/*, include/**.h (only install
 * walks the tree: status needs none of it).
 */
export function sourceFiles(sys: ModuleSystem, src: Sources): string[] {
  return walk(sys, src.dir).filter(isSource).sort();
}

export const srcDir = (version: string): string => join(SRC_TREE, `${MODULE}-${version}`);
export const headersDir = (kernel: string): string => join(MODULES_DIR, kernel, 'build');

/** One line of `dkms status`. */
export interface DkmsEntry {
  version: string;
  kernel?: string;
  arch?: string;
  /** added, built, installed, ... */
  state: string;
}

/**
 * Parses `dkms status` for vnet: "vnet/0.1.0, 6.1.0-57-cloud-amd64, x86_64:
 * installed" (dkms 3), "vnet, 0.1.0, 6.1.0-57-cloud-amd64, x86_64:
 * installed" (dkms 2), "vnet/0.1.0: added".
 */
export function parseDkmsStatus(text: string): DkmsEntry[] {
  const out: DkmsEntry[] = [];
  for (const line of text.split('\n')) {
    const m = /^vnet(?:\/|,\s*)([^,:\s]+)(?:,\s*([^,]+?),\s*([^:]+?))?:\s*(\w+)/.exec(line.trim());
    if (m) out.push({ version: m[1], kernel: m[2], arch: m[3], state: m[4] });
  }
  return out;
}

/**
 * modinfo's "field:   value" lines (the first of each field; parm and
 * alias come many times and are not needed here).
 */
export function parseModinfo(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^(\w+):\s*(.*?)\s*$/.exec(line);
    if (m && !(m[1] in out)) out[m[1]] = m[2];
  }
  return out;
}

/** The vnet versions registered in the DKMS tree. */
export function registeredVersions(sys: ModuleSystem): string[] {
  const dir = join(DKMS_TREE, MODULE);
  return sys.readdir(dir).filter((v) => !v.startsWith('kernel-') && sys.isDirectory(join(dir, v)));
}

/** /usr/src/vnet-* directories that hold vnet's dkms.conf. */
function vnetSourceDirs(sys: ModuleSystem): string[] {
  return sys
    .readdir(SRC_TREE)
    .filter((d) => d.startsWith(`${MODULE}-`))
    .map((d) => join(SRC_TREE, d))
    .filter((d) => /^PACKAGE_NAME="?vnet"?$/m.test(sys.readFile(join(d, 'dkms.conf')) ?? ''));
}

function requireDkms(sys: ModuleSystem): void {
  if (!sys.which('dkms')) {
    throw new CliError(EXIT_NOT_FOUND, 'dkms is not installed', ['(Debian, Ubuntu: apt-get install dkms)']);
  }
}

export interface InstallPlan {
  steps: Step[];
  /** the same sources are installed for that kernel already */
  unchanged: boolean;
}

/** The steps that build and install `src` for `kernel` with DKMS. */
export function planInstall(sys: ModuleSystem, src: Sources, kernel: string, force: boolean): InstallPlan {
  requireDkms(sys);
  if (!sys.exists(headersDir(kernel))) {
    throw new CliError(EXIT_NOT_FOUND, `no headers for Linux ${kernel} in ${headersDir(kernel)}`, [
      `(Debian, Ubuntu: apt-get install linux-headers-${kernel})`,
    ]);
  }
  const target = srcDir(src.version);
  const registered = registeredVersions(sys);
  const installed =
    registered.includes(src.version) &&
    parseDkmsStatus(sys.capture(['dkms', 'status', '-m', MODULE, '-v', src.version, '-k', kernel]).stdout).some(
      (e) => e.kernel === kernel && e.state === 'installed',
    );
  const files = sourceFiles(sys, src);
  const same = files.every((f) => {
    const ours = sys.readFile(join(src.dir, f));
    return ours !== undefined && ours === sys.readFile(join(target, f));
  });
  if (installed && same && !force) return { steps: [], unchanged: true };

  const steps: Step[] = [];
  // an upgrade: other versions go first (DKMS would keep building them)
  for (const v of registered.filter((v) => v !== src.version)) {
    steps.push({ kind: 'run', argv: ['dkms', 'remove', '-m', MODULE, '-v', v, '--all'] });
  }
  for (const d of vnetSourceDirs(sys).filter((d) => d !== target)) steps.push({ kind: 'remove', path: d });
  if (sys.exists(target)) steps.push({ kind: 'remove', path: target });
  steps.push({ kind: 'copy', from: src.dir, files, to: target });
  if (!registered.includes(src.version)) {
    steps.push({ kind: 'run', argv: ['dkms', 'add', '-m', MODULE, '-v', src.version] });
  }
  // --force: build from the sources just copied even if this version was built before
  steps.push({ kind: 'run', argv: ['dkms', 'install', '-m', MODULE, '-v', src.version, '-k', kernel, '--force'] });
  return { steps, unchanged: false };
}

/** The steps that take every vnet version out of DKMS and /usr/src. */
export function planUninstall(sys: ModuleSystem): Step[] {
  const registered = registeredVersions(sys);
  if (registered.length > 0) requireDkms(sys);
  return [
    ...registered.map((v): Step => ({ kind: 'run', argv: ['dkms', 'remove', '-m', MODULE, '-v', v, '--all'] })),
    ...vnetSourceDirs(sys).map((d): Step => ({ kind: 'remove', path: d })),
  ];
}

export interface ModuleStatus {
  /** the package's module version and where its sources are */
  version: string;
  sources: string;
  kernel: string;
  /** the kernel's build headers, if installed */
  headers?: string;
  /** undefined: dkms is not installed */
  dkms?: DkmsEntry[];
  /** the vnet.ko modprobe would load for that kernel */
  module?: { file: string; version?: string };
  /** the loaded module, if any (the running kernel only) */
  loaded?: { version?: string };
}

/**
 * The vnet.ko modprobe would load for KERNEL, as `modinfo -k KERNEL vnet`
 * finds it: from modules.dep and the file's .modinfo section here
 * (src/module/modinfo.ts), from modinfo itself for a compressed module.
 */
function installedModule(sys: ModuleSystem, kernel: string): ModuleStatus['module'] {
  const dir = join(MODULES_DIR, kernel);
  const dep = sys.readFile(join(dir, 'modules.dep'));
  const entry = dep === undefined ? undefined : depEntry(dep, MODULE);
  // depmod has not listed vnet for that kernel: modprobe (and modinfo) would not find it
  if (dep !== undefined && entry === undefined) return undefined;
  const module = (file: string, version?: string) => ({ file, ...(version ? { version } : {}) });
  if (entry !== undefined && isPlainModule(entry)) {
    const file = entry.startsWith('/') ? entry : join(dir, entry);
    const fields = sys.withFile(file, modinfoFields);
    if (fields) return module(file, fields.version);
  }
  if (!sys.which('modinfo')) return undefined;
  // one modinfo for both fields (-F takes one): a process less to start
  const info = sys.capture(['modinfo', '-k', kernel, MODULE]);
  const f = info.status === 0 ? parseModinfo(info.stdout) : {};
  return f.filename ? module(f.filename, f.version) : undefined;
}

export function moduleStatus(sys: ModuleSystem, src: Sources, kernel: string): ModuleStatus {
  const st: ModuleStatus = { version: src.version, sources: src.dir, kernel };
  if (sys.exists(headersDir(kernel))) st.headers = headersDir(kernel);
  if (sys.which('dkms')) st.dkms = parseDkmsStatus(sys.capture(['dkms', 'status', '-m', MODULE]).stdout);
  const module = installedModule(sys, kernel);
  if (module) st.module = module;
  if (kernel === sys.release() && sys.exists(SYS_MODULE)) {
    const version = sys.readFile(join(SYS_MODULE, 'version'))?.trim();
    st.loaded = version ? { version } : {};
  }
  return st;
}
