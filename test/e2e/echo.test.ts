/*
 * vnet-echo against the kernel's vnet_nl family: replies, summary, -c,
 * -i, -s up to VNET_ECHO_MSG_MAX, -j.
 */
import { expectCode, expectExit, reloadVnet, runMany } from './helpers';

const REPLY = (bytes: number, seq: number, text: string): RegExp =>
  new RegExp(`^${bytes} bytes from vnet_nl: seq=${seq} time=\\d+\\.\\d{3} ms ${text}$`);

beforeAll(() => reloadVnet());

test('vnet-echo: one reply for "hello, vnet", the ping-like summary, exit 0', () => {
  const r = expectExit(['vnet-echo'], 0);
  const lines = r.stdout.split('\n');
  expect(lines[0]).toMatch(REPLY(11, 1, '"hello, vnet"'));
  expect(lines.slice(1, 4)).toEqual(['', '--- vnet_nl echo statistics ---', '1 sent, 1 received, 0% loss']);
  expect(lines[4]).toMatch(/^rtt min\/avg\/max\/mdev = [0-9.]+\/[0-9.]+\/[0-9.]+\/[0-9.]+ ms$/);
  expect(lines.length).toBe(6);
  expect(r.stderr).toBe('');
});

test('-c 3 -i 0.3 MESSAGE...: three replies in sequence, paced by -i, words joined by spaces', () => {
  const r = expectExit(['vnet-echo', '-c', '3', '-i', '0.3', 'hello', 'kernel'], 0);
  const lines = r.stdout.split('\n');
  for (let seq = 1; seq <= 3; seq++) expect(lines[seq - 1]).toMatch(REPLY(12, seq, '"hello kernel"'));
  expect(lines[5]).toBe('3 sent, 3 received, 0% loss');
  expect(r.ms).toBeGreaterThanOrEqual(600); // two intervals
});

test('-s 4096 (VNET_ECHO_MSG_MAX) -c 2 -i 0: full-size echoes come back intact', () => {
  const r = expectExit(['vnet-echo', '-s', '4096', '-c', '2', '-i', '0'], 0);
  const lines = r.stdout.split('\n');
  // the printable pattern from '!', cut after 40 characters, the rest counted
  const shown = JSON.stringify(Array.from({ length: 40 }, (_, i) => String.fromCharCode(0x21 + i)).join(''));
  const esc = shown.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  expect(lines[0]).toMatch(REPLY(4096, 1, `${esc}\\.\\.\\. \\(4056 more bytes\\)`));
  expect(lines[1]).toMatch(REPLY(4096, 2, '.*'));
  expect(lines[4]).toBe('2 sent, 2 received, 0% loss');
});

test('-s with a MESSAGE repeats it to the size; -j prints one JSON line', async () => {
  const [s, j] = await runMany([
    ['vnet-echo', '-s', '10', 'abc'],
    ['vnet-echo', '-j', '-c', '2', '-i', '0', 'hi'],
  ]);
  expectCode(['vnet-echo', '-s', '10', 'abc'], s, 0);
  expect(s.stdout.split('\n')[0]).toMatch(REPLY(10, 1, '"abcabcabca"'));
  expectCode(['vnet-echo', '-j'], j, 0);
  expect(j.stdout.split('\n').length).toBe(2);
  const o = JSON.parse(j.stdout);
  expect(o).toMatchObject({
    family: 'vnet_nl',
    sent: 2,
    received: 2,
    loss_percent: 0,
    replies: [
      { seq: 1, bytes: 2 },
      { seq: 2, bytes: 2 },
    ],
  });
  for (const k of ['min', 'avg', 'max', 'mdev']) expect(typeof o.rtt[k]).toBe('number');
  expect(o.rtt.min).toBeLessThanOrEqual(o.rtt.max);
  expect(typeof o.replies[0].time_ms).toBe('number');
});

test('-s 4097: usage error (exit 2) naming the limit, nothing printed on stdout', () => {
  const r = expectExit(['vnet-echo', '-s', '4097', '-c', '3'], 2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(/^vnet-echo: .*4096/);
});

test('-f -c 2000 -q: a pipelined flood, every echo back, only the summary', () => {
  const r = expectExit(['vnet-echo', '-f', '-c', '2000', '-q', 'flood'], 0);
  expect(r.stdout).toMatch(/^\n--- vnet_nl echo statistics ---\n2000 sent, 2000 received, 0% loss\nrtt /);
  expect(r.stderr).toBe('');
});

test('-f without -q: a dot per request, a backspace per reply', () => {
  const r = expectExit(['vnet-echo', '-f', '-c', '50'], 0);
  const marks = r.stdout.split('\n')[0];
  expect(marks.split('.').length - 1).toBe(50);
  expect(marks.split('\b').length - 1).toBe(50);
});

test('-w 2.5 without -c: one a second until the deadline, exit 0; -c 9 -w 1.2: too few replies, exit 1', async () => {
  const [a, b] = await runMany([
    ['vnet-echo', '-q', '-w', '2.5'],
    ['vnet-echo', '-q', '-c', '9', '-w', '1.2'],
  ]);
  expectCode(['vnet-echo', '-w', '2.5'], a, 0);
  expect(a.stdout).toContain('3 sent, 3 received, 0% loss');
  expectCode(['vnet-echo', '-c', '9', '-w', '1.2'], b, 1);
  expect(b.stdout).toContain('2 sent, 2 received, 0% loss');
});
