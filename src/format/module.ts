/*
 * vnet-module's output: steps as the shell commands they amount to (what
 * --dry-run prints and what a run echoes on stderr), and its status.
 */
import type { DkmsEntry, ModuleStatus, Step } from '../module/dkms';
import type { Style } from '../style';
import type { Json } from './json';

/** A word quoted for sh when it needs to be. */
export function shellQuote(w: string): string {
  return /^[A-Za-z0-9_./:=+,@%-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`;
}

/** One step as a shell command line. */
export function formatStep(s: Step): string {
  switch (s.kind) {
    case 'run':
      return s.argv.map(shellQuote).join(' ');
    case 'remove':
      return `rm -rf ${shellQuote(s.path)}`;
    case 'copy':
      return `mkdir -p ${shellQuote(s.to)} && (cd ${shellQuote(s.from)} && cp --parents ${s.files.map(shellQuote).join(' ')} ${shellQuote(s.to)}/)`;
  }
}

function dkmsLine(e: DkmsEntry): string {
  return e.kernel ? `vnet/${e.version}, ${e.kernel}, ${e.arch}: ${e.state}` : `vnet/${e.version}: ${e.state}`;
}

/** `vnet-module status`, aligned like insanely's show. */
export function formatStatus(st: ModuleStatus, style: Style): string[] {
  const row = (k: string, v: string) => `${`${k}:`.padEnd(10)}${v}`;
  const lines = [
    row('package', `vnet ${st.version}, module sources in ${st.sources}`),
    row(
      'kernel',
      `${st.kernel}, ${st.headers ? `headers in ${st.headers}` : style.red(`no headers (apt-get install linux-headers-${st.kernel})`)}`,
    ),
  ];
  if (!st.dkms) lines.push(row('dkms', 'not installed (apt-get install dkms)'));
  else if (st.dkms.length === 0) lines.push(row('dkms', 'vnet is not added'));
  else st.dkms.forEach((e, i) => lines.push(i === 0 ? row('dkms', dkmsLine(e)) : `${' '.repeat(10)}${dkmsLine(e)}`));
  lines.push(
    row(
      'module',
      st.module ? `${st.module.file}${st.module.version ? ` (version ${st.module.version})` : ''}` : 'none for this kernel',
    ),
  );
  lines.push(row('loaded', st.loaded ? `yes${st.loaded.version ? `, version ${st.loaded.version}` : ''}` : 'no'));
  return lines;
}

export function statusJson(st: ModuleStatus): Json {
  return {
    version: st.version,
    sources: st.sources,
    kernel: st.kernel,
    headers: st.headers ?? null,
    dkms: st.dkms ? st.dkms.map((e) => ({ version: e.version, kernel: e.kernel, arch: e.arch, state: e.state })) : null,
    module: st.module ? { file: st.module.file, version: st.module.version } : null,
    loaded: st.loaded ? { version: st.loaded.version } : null,
  };
}
