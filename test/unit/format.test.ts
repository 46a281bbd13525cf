import { formatFlags, formatIfconfig, humanBytes } from '../../src/format/ifconfig';
import { flagsArray, linkJson, toJson } from '../../src/format/json';
import { describeRelay, formatMs, insanelyLines } from '../../src/format/relay';
import { addRtt } from '../../src/echo-loop';
import { emptyRttStats, lossPercent, ms3, preview, rttSummary } from '../../src/format/echo';
import { zeroLinkStats as zeroLink } from './harness';

describe('net-tools 2.10 ifconfig layout', () => {
  test('flags line names the flags in ife_print_long order', () => {
    expect(formatFlags(4163)).toBe('flags=4163<UP,BROADCAST,RUNNING,MULTICAST>');
    expect(formatFlags(4098)).toBe('flags=4098<BROADCAST,MULTICAST>');
    expect(formatFlags(0x1003 | 0x100)).toBe('flags=4355<UP,BROADCAST,PROMISC,MULTICAST>');
  });

  test("flags with no named bit keep net-tools' truncation quirk", () => {
    expect(formatFlags(0)).toBe('flags=0<');
  });

  test('flags above bit 15 are not shown: net-tools reads 16-bit SIOCGIFFLAGS', () => {
    expect(formatFlags(0x10000)).toBe('flags=0<');
    expect(formatFlags(0x11043)).toBe('flags=4163<UP,BROADCAST,RUNNING,MULTICAST>');
  });

  test('byte units are 1024-based with one truncated decimal', () => {
    expect(humanBytes(0n)).toBe('0.0 B');
    expect(humanBytes(1024n)).toBe('1024.0 B'); // "> 1024", not ">="
    expect(humanBytes(1234n)).toBe('1.2 KiB');
    expect(humanBytes(1535n)).toBe('1.4 KiB'); // 1.499 truncated, not rounded
    expect(humanBytes(5n * 1024n * 1024n + 1n)).toBe('5.0 MiB');
    expect(humanBytes(3n << 30n)).toBe('3.0 GiB');
    expect(humanBytes((1n << 40n) * 2n)).toBe('2.0 TiB');
    expect(humanBytes((1n << 50n) * 7n)).toBe('7.0 PiB');
    expect(humanBytes((1n << 64n) - 1n)).toBe('16.0 EiB');
  });

  test('a full block, byte for byte', () => {
    const stats = {
      ...zeroLink(),
      rx_packets: 12n,
      rx_bytes: 1234n,
      tx_packets: 8n,
      tx_bytes: 656n,
      tx_dropped: 2n,
      rx_fifo_errors: 3n,
      tx_fifo_errors: 4n,
      collisions: 5n,
    };
    const out = formatIfconfig(
      {
        name: 'vnet0',
        ifindex: 5,
        flags: 4163,
        mtu: 1500,
        mac: '02:00:00:00:00:01',
        txqueuelen: 1000,
        ipv4: { address: '10.0.0.2', netmask: '255.255.255.0', broadcast: '10.0.0.255' },
      },
      stats,
      { extra: ['relay mode pass  arguments 0 0  no slave (loopback)  seed 7'] },
    );
    expect(out).toBe(
      'vnet0: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500\n' +
        '        inet 10.0.0.2  netmask 255.255.255.0  broadcast 10.0.0.255\n' +
        '        ether 02:00:00:00:00:01  txqueuelen 1000  (Ethernet)\n' +
        '        relay mode pass  arguments 0 0  no slave (loopback)  seed 7\n' +
        '        RX packets 12  bytes 1234 (1.2 KiB)\n' +
        '        RX errors 0  dropped 0  overruns 3  frame 0\n' +
        '        TX packets 8  bytes 656 (656.0 B)\n' +
        '        TX errors 0  dropped 2 overruns 4  carrier 0  collisions 5\n' +
        '\n',
    );
  });

  test('no inet line without an address; no broadcast without IFF_BROADCAST', () => {
    const base = { name: 'vnet1', ifindex: 6, flags: 0x1002, mtu: 1500, mac: '02:00:00:00:00:02', txqueuelen: 1000 };
    expect(formatIfconfig(base, undefined)).toBe(
      'vnet1: flags=4098<BROADCAST,MULTICAST>  mtu 1500\n' +
        '        ether 02:00:00:00:00:02  txqueuelen 1000  (Ethernet)\n\n',
    );
    const p2p = formatIfconfig(
      { ...base, flags: 0x1, ipv4: { address: '10.1.1.1', netmask: '255.0.0.0' } },
      undefined,
    );
    expect(p2p).toContain('        inet 10.1.1.1  netmask 255.0.0.0\n');
  });
});

describe('JSON', () => {
  test('64-bit counters are written exactly, not through a float', () => {
    const big = 18446744073709551615n;
    expect(toJson({ a: big, b: [1n, 9007199254740993n] })).toBe(
      '{"a":18446744073709551615,"b":[1,9007199254740993]}',
    );
    // and it is still JSON
    expect(() => JSON.parse(toJson({ a: big }))).not.toThrow();
  });

  test('undefined members are left out, strings are escaped, output is compact', () => {
    expect(toJson({ a: undefined, b: 'x"\n', c: null, d: true, e: 1.5 })).toBe('{"b":"x\\"\\n","c":null,"d":true,"e":1.5}');
  });

  test('flags follow iproute2 (NO-CARRIER when up without RUNNING)', () => {
    expect(flagsArray(0x1043)).toEqual(['BROADCAST', 'MULTICAST', 'UP']);
    expect(flagsArray(0x1003)).toEqual(['NO-CARRIER', 'BROADCAST', 'MULTICAST', 'UP']);
    expect(flagsArray(0x11043)).toEqual(['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP']);
  });

  test('a link has ip -j key names and stats64 shape', () => {
    const j = JSON.parse(
      toJson(
        linkJson(
          {
            name: 'vnet0',
            ifindex: 5,
            flags: 0x1043,
            mtu: 1400,
            mac: '02:00:00:00:00:01',
            txqueuelen: 1000,
            ipv4: { address: '10.0.0.2', netmask: '255.255.255.0', broadcast: '10.0.0.255' },
          },
          { ...zeroLink(), rx_bytes: 10n, tx_carrier_errors: 3n },
        ),
      ),
    );
    expect(j).toMatchObject({
      ifindex: 5,
      ifname: 'vnet0',
      mtu: 1400,
      address: '02:00:00:00:00:01',
      addr_info: [{ family: 'inet', local: '10.0.0.2', prefixlen: 24, broadcast: '10.0.0.255' }],
      stats64: {
        rx: { bytes: 10, packets: 0, errors: 0, dropped: 0, over_errors: 0, multicast: 0 },
        tx: { bytes: 0, packets: 0, errors: 0, dropped: 0, carrier_errors: 3, collisions: 0 },
      },
    });
  });
});

describe('relay words', () => {
  test('durations in plain units', () => {
    expect(formatMs(1)).toBe('1 ms');
    expect(formatMs(500)).toBe('500 ms');
    expect(formatMs(1000)).toBe('1 s');
    expect(formatMs(1500)).toBe('1.5 s');
    expect(formatMs(1234)).toBe('1.234 s');
    expect(formatMs(90000)).toBe('90 s');
  });

  test("Rubini's three lines and the sentence", () => {
    const info = { slave: 'eth0', mode: 1, arg1: 80, arg2: 0 };
    // aligned as Rubini's original printed them, then the seed when known
    expect(insanelyLines(info)).toEqual(['slave:     eth0', 'mode:      percent', 'arguments: 80 0']);
    expect(insanelyLines(info, 42n)).toEqual(['slave:     eth0', 'mode:      percent', 'arguments: 80 0', 'seed:      42']);
    expect(describeRelay('vnet0', info)).toBe('vnet0 relays 80% of packets to eth0 (drops 20%)');
    expect(describeRelay('vnet0', { slave: 'eth0', mode: 0, arg1: 0, arg2: 0 })).toBe(
      'vnet0 relays everything to eth0',
    );
    expect(describeRelay('vnet0', { slave: 'eth0', mode: 2, arg1: 500, arg2: 1000 })).toBe(
      'vnet0 relays to eth0 for 500 ms, then drops for 1 s, repeating',
    );
    expect(describeRelay('vnet0', { slave: '', mode: 1, arg1: 50, arg2: 0 })).toBe(
      'vnet0 has no slave: it loops packets back (loopback mode)',
    );
    expect(insanelyLines({ slave: '', mode: 0, arg1: 0, arg2: 0 })[0]).toBe('slave:     (none)');
  });
});

describe('echo lines', () => {
  test('round-trip times in ms with three decimals', () => {
    expect(ms3(45_123n)).toBe('0.045');
    expect(ms3(1_500_000n)).toBe('1.500');
    expect(ms3(12_345_678_901n)).toBe('12345.679');
  });

  test('long echoes are cut with the rest counted', () => {
    expect(preview('hi')).toBe('"hi"');
    const long = 'x'.repeat(100);
    expect(preview(long)).toBe(`"${'x'.repeat(40)}"... (60 more bytes)`);
  });

  test("ping's mdev and %g loss", () => {
    const stats = emptyRttStats();
    expect(rttSummary(stats)).toBeUndefined();
    for (const t of [3_000_000n, 1_000_000n]) addRtt(stats, t);
    expect(rttSummary(stats)).toEqual({ min: '1.000', avg: '2.000', max: '3.000', mdev: '1.000' });
    addRtt(stats, 2_000_000n);
    expect(rttSummary(stats)).toEqual({ min: '1.000', avg: '2.000', max: '3.000', mdev: '0.816' });
    expect(lossPercent(3, 2)).toBe('33.3333');
    expect(lossPercent(4, 4)).toBe('0');
    expect(lossPercent(2, 0)).toBe('100');
  });
});
