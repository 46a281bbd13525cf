/*
 * Minimal ELF relocatable files for the modinfo tests: a header, the
 * given sections' bytes, a .shstrtab and the section header table, in
 * either class (32/64-bit) and byte order, laid out as the ELF spec says.
 */
export interface ElfSection {
  name: string;
  data: Buffer;
}

export function buildElf(sections: ElfSection[], opts: { bits?: 32 | 64; bigEndian?: boolean } = {}): Buffer {
  const is64 = (opts.bits ?? 64) === 64;
  const le = !opts.bigEndian;
  const ehsize = is64 ? 64 : 52;
  const shentsize = is64 ? 64 : 40;
  const all = [{ name: '', data: Buffer.alloc(0) }, ...sections];
  const names = all.map((s) => s.name);
  const shstrtab = Buffer.from(`\0${names.slice(1).join('\0')}\0.shstrtab\0`, 'latin1');
  all.push({ name: '.shstrtab', data: shstrtab });
  const nameOff = (i: number) => (i === 0 ? 0 : shstrtab.indexOf(`\0${all[i].name}\0`, 0, 'latin1') + 1);

  const offsets: number[] = [];
  let at = ehsize;
  for (const s of all) {
    offsets.push(s.data.length ? at : 0);
    at += s.data.length;
  }
  const shoff = (at + 7) & ~7;
  const out = Buffer.alloc(shoff + all.length * shentsize);
  const u16 = (o: number, v: number) => (le ? out.writeUInt16LE(v, o) : out.writeUInt16BE(v, o));
  const u32 = (o: number, v: number) => (le ? out.writeUInt32LE(v, o) : out.writeUInt32BE(v, o));
  const word = (o: number, v: number) =>
    is64 ? (le ? out.writeBigUInt64LE(BigInt(v), o) : out.writeBigUInt64BE(BigInt(v), o)) : u32(o, v);

  out.write('\x7fELF', 0, 'latin1');
  out[4] = is64 ? 2 : 1;
  out[5] = le ? 1 : 2;
  out[6] = 1; // EV_CURRENT
  u16(16, 1); // ET_REL
  u16(18, is64 ? 62 : 3); // x86-64, i386
  u32(20, 1);
  word(is64 ? 0x28 : 0x20, shoff);
  u16(is64 ? 0x34 : 0x28, ehsize);
  u16(is64 ? 0x3a : 0x2e, shentsize);
  u16(is64 ? 0x3c : 0x30, all.length);
  u16(is64 ? 0x3e : 0x32, all.length - 1);
  all.forEach((s, i) => {
    s.data.copy(out, offsets[i]);
    const h = shoff + i * shentsize;
    u32(h, nameOff(i));
    u32(h + 4, i === 0 ? 0 : i === all.length - 1 ? 3 : 1); // SHT_STRTAB for .shstrtab, else PROGBITS
    word(h + (is64 ? 24 : 16), offsets[i]);
    word(h + (is64 ? 32 : 20), s.data.length);
  });
  return out;
}

/** A .modinfo section's bytes: NUL-terminated key=value strings. */
export const modinfoSection = (fields: string[]): Buffer => Buffer.from(fields.map((f) => `${f}\0`).join(''), 'utf8');
