/*
 * What `modinfo -k KERNEL vnet` tells vnet-module status (the vnet.ko
 * modprobe would load for that kernel, and its version), read in this
 * process: the module's line in the kernel's modules.dep, then the
 * .modinfo section of its ELF file.  Starting modinfo cost the command
 * about 100 of its 600 ms in the lab guest: loading node:child_process
 * and the process itself (issue 9, docs/performance.md).
 *
 * A compressed module (.ko.xz, .ko.zst, .ko.gz: Node 20 reads none of
 * xz and zstd) or a file this does not parse is left to modinfo itself.
 */

/** A module's name as kmod compares them: its file name without .ko and compression, '-' as '_'. */
export function moduleName(file: string): string {
  const base = file.slice(file.lastIndexOf('/') + 1);
  return base.replace(/\.ko(\.[a-z]+)?$/, '').replace(/-/g, '_');
}

/** NAME's path in a modules.dep text (as written there: relative to the kernel's module directory, or absolute). */
export function depEntry(depText: string, name: string): string | undefined {
  const want = name.replace(/-/g, '_');
  for (const line of depText.split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0 && moduleName(line.slice(0, colon)) === want) return line.slice(0, colon);
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
 * bytes are not an ELF file with such a section, or point outside it.
 */
export function modinfoFields(elf: Buffer): Record<string, string> | undefined {
  if (elf.length < 0x40 || elf.readUInt32BE(0) !== 0x7f454c46) return undefined;
  const cls = ELF_CLASS[elf[4] as 1 | 2];
  const le = elf[5] === 1;
  if (!cls || (elf[5] !== 1 && elf[5] !== 2)) return undefined;
  const u16 = (o: number) => (le ? elf.readUInt16LE(o) : elf.readUInt16BE(o));
  const u32 = (o: number) => (le ? elf.readUInt32LE(o) : elf.readUInt32BE(o));
  const word = (o: number) => (cls.word === 4 ? u32(o) : Number(le ? elf.readBigUInt64LE(o) : elf.readBigUInt64BE(o)));
  const inside = (off: number, len: number) => Number.isSafeInteger(off) && Number.isSafeInteger(len) && off + len <= elf.length;

  const shoff = word(cls.shoff);
  const entsize = u16(cls.shentsize);
  const shnum = u16(cls.shnum);
  const shstrndx = u16(cls.shstrndx);
  // shnum 0 and SHN_XINDEX are the extended forms of more than 65279 sections: not a module's
  if (shnum === 0 || shstrndx >= shnum || entsize < cls.shSize + cls.word || !inside(shoff, shnum * entsize)) return undefined;
  const section = (i: number) => {
    const h = shoff + i * entsize;
    return { name: u32(h), offset: word(h + cls.shOffset), size: word(h + cls.shSize) };
  };
  const strtab = section(shstrndx);
  if (!inside(strtab.offset, strtab.size)) return undefined;
  for (let i = 0; i < shnum; i++) {
    const s = section(i);
    const at = strtab.offset + s.name;
    if (s.name >= strtab.size || elf.toString('latin1', at, at + 9) !== '.modinfo\0') continue;
    if (!inside(s.offset, s.size)) return undefined;
    const out: Record<string, string> = {};
    for (const entry of elf.toString('utf8', s.offset, s.offset + s.size).split('\0')) {
      const eq = entry.indexOf('=');
      if (eq > 0 && !Object.hasOwn(out, entry.slice(0, eq))) out[entry.slice(0, eq)] = entry.slice(eq + 1);
    }
    return out;
  }
  return undefined;
}
