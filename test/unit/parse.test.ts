import { UsageError } from '../../src/errors';
import {
  netmaskToPrefix,
  parseDuration,
  parseIfname,
  parseIPv4,
  parseMtu,
  parseNetmask,
  parsePercent,
  parseSeed,
  prefixToNetmask,
} from '../../src/parse';

describe('tick and unit conversions for time mode', () => {
  test("bare numbers are Rubini's 10 ms ticks", () => {
    expect(parseDuration('50', 'on')).toBe(500);
    expect(parseDuration('100', 'off')).toBe(1000);
    expect(parseDuration('1', 'on')).toBe(10);
    expect(parseDuration('1.5', 'on')).toBe(15);
  });

  test('ms and s suffixes, exactly (no float rounding)', () => {
    expect(parseDuration('500ms', 'on')).toBe(500);
    expect(parseDuration('1.5s', 'on')).toBe(1500);
    expect(parseDuration('1.005s', 'on')).toBe(1005);
    expect(parseDuration('.25s', 'on')).toBe(250);
    expect(parseDuration('1ms', 'on')).toBe(1);
  });

  test.each([
    ['0', /at least 1 ms/],
    ['0ms', /at least 1 ms/],
    ['0.05', /whole number of milliseconds/],
    ['1.5ms', /whole number of milliseconds/],
    ['-5', /not a duration/],
    ['abc', /not a duration/],
    ['5m', /not a duration/],
    ['', /not a duration/],
    ['3000000000ms', /too long/],
  ])('%p is refused', (text, msg) => {
    expect(() => parseDuration(text, 'relay time')).toThrow(UsageError);
    expect(() => parseDuration(text, 'relay time')).toThrow(msg);
  });
});

describe('values', () => {
  test('interface names: at most 15 bytes, no slash, colon or space', () => {
    expect(parseIfname('vnet0')).toBe('vnet0');
    expect(parseIfname('a'.repeat(15))).toBe('a'.repeat(15));
    expect(() => parseIfname('a'.repeat(16))).toThrow(/too long \(16 bytes; at most 15\)/);
    expect(() => parseIfname('é'.repeat(8))).toThrow(/too long/); // 16 bytes in UTF-8
    for (const bad of ['', '.', '..', 'a/b', 'a:1', 'a b']) expect(() => parseIfname(bad)).toThrow(UsageError);
  });

  test('percent is a whole number 0-100', () => {
    expect(parsePercent('0')).toBe(0);
    expect(parsePercent('100')).toBe(100);
    expect(() => parsePercent('101')).toThrow(/from 0 to 100/);
    expect(() => parsePercent('-1')).toThrow(/whole number/);
    expect(() => parsePercent('12.5')).toThrow(/whole number/);
    expect(() => parsePercent('ten')).toThrow(/not a number/);
  });

  test('IPv4, netmask, prefix', () => {
    expect(parseIPv4('10.0.0.2')).toBe('10.0.0.2');
    for (const bad of ['10.0.0', '10.0.0.256', '10.0.0.01', 'a.b.c.d', '10.0.0.2.1']) {
      expect(() => parseIPv4(bad)).toThrow(UsageError);
    }
    expect(parseNetmask('255.255.255.0')).toBe('255.255.255.0');
    expect(() => parseNetmask('255.0.255.0')).toThrow(/contiguous/);
    expect(prefixToNetmask(24)).toBe('255.255.255.0');
    expect(prefixToNetmask(0)).toBe('0.0.0.0');
    expect(prefixToNetmask(32)).toBe('255.255.255.255');
    expect(netmaskToPrefix('255.255.240.0')).toBe(20);
  });

  test('MTU', () => {
    expect(parseMtu('1400')).toBe(1400);
    expect(() => parseMtu('67')).toThrow(/from 68 to 65535/);
    expect(() => parseMtu('1e3')).toThrow(UsageError);
  });

  test('seed is a u64, decimal or hex', () => {
    expect(parseSeed('18446744073709551615')).toBe(18446744073709551615n);
    expect(parseSeed('0x10')).toBe(16n);
    expect(() => parseSeed('18446744073709551616')).toThrow(/64 bits/);
    expect(() => parseSeed('-1')).toThrow(UsageError);
  });
});
