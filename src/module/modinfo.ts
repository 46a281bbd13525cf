/*
 * What `modinfo -k KERNEL vnet` tells vnet-module status (the vnet.ko
 * modprobe would load for that kernel, and its version), read in this
 * process: the module's line in the kernel's modules.dep, then the
 * .modinfo section of its ELF file, reading only the ELF header, the
 * section headers, their names and that section, as modinfo does (a
 * module built with debug information is megabytes).  Starting modinfo
 * cost the command about 130 of its 600 ms in the lab guest: loading
 * node:child_process and the process itself (issue 9,
 * docs/performance.md).  Plain string operations, not regular
 * expressions, go through modules.dep's thousands of lines: under qemu
 * TCG V8 compiles a regular expression to machine code on its second
 * use, at a few milliseconds each.
 *
 * A compressed module (.ko.xz, .ko.zst, .ko.gz: Node 20 reads none of
 * xz and zstd) or a file this does not parse is left to modinfo itself.
 */

/** Reads LENGTH bytes at OFFSET of a file (fewer at its end); undefined when it cannot. */
export type ReadAt = (offset: number, length: number) => Buffer | undefined;

/** A ReadAt over bytes in memory. */
export const bufferReader =
  (buf: Buffer): ReadAt =>
  (offset, length) =>
    buf.subarray(offset, offset + length);

/** A module's name as kmod compares them: its file name without .ko and compression, '-' as '_'. */
export function moduleName(file: string): string {
  const base = file.slice(file.lastIndexOf('/') + 1);
  const ko = base.lastIndexOf('.ko');
  const stem = ko > 0 && (ko + 3 === base.length || base[ko + 3] === '.') ? base.slice(0, ko) : base;
  return stem.includes('-') ? stem.split('-').join('_') : stem;
}

/**
 * NAME's path in a modules.dep text (as written there: relative to the
 * kernel's module directory, or absolute).  Every spelling of a name ('-'
 * or '_' at each '_') ends in the part after its last '_', so only the
 * places where that part and ".ko" occur are looked at (indexOf), not each
 * of modules.dep's thousands of lines.
 */
export function depEntry(depText: string, name: string): string | undefined {
  const want = moduleName(`${name}.ko`);
  const needle = `${want.slice(want.lastIndexOf('_') + 1)}.ko`;
  for (let at = depText.indexOf(needle); at >= 0; at = depText.indexOf(needle, at + 1)) {
    const start = depText.lastIndexOf('\n', at) + 1;
    const colon = depText.indexOf(':', start);
    const end = depText.indexOf('\n', at);
    // in a line's list of dependencies, or on a line without a colon
    if (colon < at || (end >= 0 && colon > end)) continue;
    const entry = depText.slice(start, colon);
    if (moduleName(entry) === want) return entry;
  }
  return undefined;
}

/** Is this path a module file that modinfoFields() can read (not compressed)? */
export const isPlainModule = (file: string): boolean => file.endsWith('.ko');

/** ELF header fields, by class: offsets of e_shoff, e_shentsize, e_shnum, e_shstrndx and the size of e_shoff. */
const ELF_CLASS = {
  1: { shoff: 0x20, shentsize: 0x2e, shnum: 0x30, shstrndx: 0x32, word: 4, shOffset: 16, shSize: 20 },
  2: { shoff: 0x28, shentsize: 0x3a, shnum: 0x3c, shstrndx: 0x3e, word: 8, shOffset: 24, shSize: 32 },
} as const;

/**
 * The key=value strings of an ELF module's .modinfo section, the first of
 * each key (parm, alias and depends come many times); undefined when the
 * file is not ELF, has no such section, or points outside itself.
 */
export function modinfoFields(read: ReadAt): Record<string, string> | undefined {
  const exact = (offset: number, length: number) => {
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) return undefined;
    const b = read(offset, length);
    return b && b.length === length ? b : undefined;
  };
  const ehdr = exact(0, 0x40);
  if (!ehdr || ehdr.readUInt32BE(0) !== 0x7f454c46) return undefined;
  const cls = ELF_CLASS[ehdr[4] as 1 | 2];
  const le = ehdr[5] === 1;
  if (!cls || (ehdr[5] !== 1 && ehdr[5] !== 2)) return undefined;
  const u16 = (b: Buffer, o: number) => (le ? b.readUInt16LE(o) : b.readUInt16BE(o));
  const u32 = (b: Buffer, o: number) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
  const word = (b: Buffer, o: number) =>
    cls.word === 4 ? u32(b, o) : Number(le ? b.readBigUInt64LE(o) : b.readBigUInt64BE(o));

  const shoff = word(ehdr, cls.shoff);
  const entsize = u16(ehdr, cls.shentsize);
  const shnum = u16(ehdr, cls.shnum);
  const shstrndx = u16(ehdr, cls.shstrndx);
  // shnum 0 and SHN_XINDEX are the extended forms of more than 65279 sections: not a module's
  if (shnum === 0 || shstrndx >= shnum || entsize < cls.shSize + cls.word) return undefined;
  const table = exact(shoff, shnum * entsize);
  if (!table) return undefined;
  const section = (i: number) => {
    const h = i * entsize;
    return { name: u32(table, h), offset: word(table, h + cls.shOffset), size: word(table, h + cls.shSize) };
  };
  const names = exact(section(shstrndx).offset, section(shstrndx).size);
  if (!names) return undefined;
  for (let i = 0; i < shnum; i++) {
    const s = section(i);
    if (names.toString('latin1', s.name, s.name + 9) !== '.modinfo\0') continue;
    const data = exact(s.offset, s.size);
    if (!data) return undefined;
    const out: Record<string, string> = {};
    for (const entry of data.toString('utf8').split('\0')) {
      const eq = entry.indexOf('=');
      if (eq > 0 && !Object.hasOwn(out, entry.slice(0, eq))) out[entry.slice(0, eq)] = entry.slice(eq + 1);
    }
    return out;
  }
  return undefined;
}
