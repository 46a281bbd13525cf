/*
 * src/module/modinfo.ts: modules.dep lookup and the .modinfo section of
 * ELF files built here in both classes and byte orders, and what it must
 * refuse.  test/e2e/package.test.ts checks it against kmod's modinfo on
 * the lab's real vnet.ko.
 */
import { bufferReader, depEntry, isPlainModule, modinfoFields as fieldsOf, moduleName } from '../../src/module/modinfo';
import { buildElf, modinfoSection } from './elf-fixture';

const FIELDS = ['version=0.1.0', 'license=GPL', 'parm=numdevs:number of devices', 'parm=link:parent', 'name=vnet', 'vermagic=6.1.0 SMP mod_unload'];
const vnetKo = (opts?: Parameters<typeof buildElf>[1]) =>
  buildElf(
    [
      { name: '.text', data: Buffer.alloc(32, 0x90) },
      { name: '.modinfo', data: modinfoSection(FIELDS) },
      { name: '.data', data: Buffer.alloc(8) },
    ],
    opts,
  );

/** modinfoFields over bytes in memory */
const modinfoFields = (buf: Buffer) => fieldsOf(bufferReader(buf));

describe('modinfoFields', () => {
  test.each([
    ['64-bit little-endian', { bits: 64 as const }],
    ['64-bit big-endian', { bits: 64 as const, bigEndian: true }],
    ['32-bit little-endian', { bits: 32 as const }],
    ['32-bit big-endian', { bits: 32 as const, bigEndian: true }],
  ])('%s: every key, the first value of a repeated one', (_, opts) => {
    expect(modinfoFields(vnetKo(opts))).toEqual({
      version: '0.1.0',
      license: 'GPL',
      parm: 'numdevs:number of devices',
      name: 'vnet',
      vermagic: '6.1.0 SMP mod_unload',
    });
  });

  test('reads the header, the section table, their names and .modinfo, not the rest (a module with debug information is megabytes)', () => {
    const elf = buildElf([
      { name: '.debug_info', data: Buffer.alloc(4 << 20, 1) },
      { name: '.modinfo', data: modinfoSection(FIELDS) },
      { name: '.debug_str', data: Buffer.alloc(1 << 20, 2) },
    ]);
    const reads: number[] = [];
    const fields = fieldsOf((offset, length) => {
      reads.push(length);
      return elf.subarray(offset, offset + length);
    });
    expect(fields?.version).toBe('0.1.0');
    expect(reads).toHaveLength(4);
    expect(reads.reduce((a, b) => a + b, 0)).toBeLessThan(1024);
  });

  test('a short read (the file shrank, or is cut) is refused, not parsed', () => {
    const elf = vnetKo();
    expect(fieldsOf((offset, length) => elf.subarray(offset, offset + Math.max(0, length - 1)))).toBeUndefined();
    expect(fieldsOf(() => undefined)).toBeUndefined();
  });

  test('a module without a version field: the others', () => {
    const elf = buildElf([{ name: '.modinfo', data: modinfoSection(['license=GPL', 'constructor=x']) }]);
    expect(modinfoFields(elf)).toEqual({ license: 'GPL', constructor: 'x' });
  });

  test('no .modinfo section (a section named like it does not count): undefined', () => {
    expect(modinfoFields(buildElf([{ name: '.modinfo.old', data: modinfoSection(['version=9']) }]))).toBeUndefined();
    expect(modinfoFields(buildElf([{ name: '.text', data: Buffer.alloc(4) }]))).toBeUndefined();
  });

  test('not ELF, truncated, or pointing outside the file: undefined, never a throw', () => {
    const good = vnetKo();
    expect(modinfoFields(Buffer.from('vnet.ko 0.1.0'))).toBeUndefined();
    expect(modinfoFields(Buffer.concat([Buffer.from('\x7fELF', 'latin1'), Buffer.alloc(100)]))).toBeUndefined();
    expect(modinfoFields(good.subarray(0, good.length - 10))).toBeUndefined();
    for (let cut = 0; cut < good.length; cut += 7) expect(() => modinfoFields(good.subarray(0, cut))).not.toThrow();
    const badClass = Buffer.from(good);
    badClass[4] = 3;
    expect(modinfoFields(badClass)).toBeUndefined();
    const farSection = Buffer.from(good);
    farSection.writeBigUInt64LE(BigInt(good.length * 4), 0x28); // e_shoff past the end
    expect(modinfoFields(farSection)).toBeUndefined();
  });
});

describe('modules.dep', () => {
  const DEP = [
    'kernel/drivers/net/dummy.ko:',
    'kernel/net/uses/vnet-user.ko: extra/vnet.ko',
    'kernel/net/myvnet.ko:',
    'kernel/drivers/net/vnet-test.ko.xz: kernel/net/core/x.ko',
    'updates/dkms/vnet.ko: kernel/drivers/net/veth.ko',
    'extra/vnet.ko:',
    '',
  ].join('\n');

  test('the first line for the module, as depmod wrote it (modprobe takes that one)', () => {
    expect(depEntry(DEP, 'vnet')).toBe('updates/dkms/vnet.ko');
    expect(depEntry(DEP, 'vnet_test')).toBe('kernel/drivers/net/vnet-test.ko.xz');
    expect(depEntry(DEP, 'vnet-test')).toBe('kernel/drivers/net/vnet-test.ko.xz');
    expect(depEntry(DEP, 'veth')).toBeUndefined(); // only a dependency here
    expect(depEntry('', 'vnet')).toBeUndefined();
    expect(depEntry('/opt/mods/vnet.ko:\n', 'vnet')).toBe('/opt/mods/vnet.ko');
    expect(depEntry('/opt/mods/vnet.ko:', 'vnet')).toBe('/opt/mods/vnet.ko'); // no final newline
    expect(depEntry('kernel/a.ko: extra/vnet.ko\n', 'vnet')).toBeUndefined();
    expect(depEntry('extra/vnet.ko\nkernel/b.ko:\n', 'vnet')).toBeUndefined(); // no colon on its line
    expect(depEntry('extra/vnet.ko\nkernel/b.ko:\n', 'b')).toBe('kernel/b.ko');
    expect(depEntry(DEP, 'myvnet')).toBe('kernel/net/myvnet.ko');
    expect(depEntry(DEP, 'vnet_user')).toBe('kernel/net/uses/vnet-user.ko');
  });

  test('names and compression as kmod sees them', () => {
    expect(moduleName('kernel/drivers/net/vnet.ko.zst')).toBe('vnet');
    expect(moduleName('snd-hda-intel.ko')).toBe('snd_hda_intel');
    expect(isPlainModule('extra/vnet.ko')).toBe(true);
    expect(isPlainModule('extra/vnet.ko.xz')).toBe(false);
  });
});
