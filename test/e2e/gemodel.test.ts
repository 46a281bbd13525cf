/*
 * Burst loss (insanely SLAVE gemodel P R) on the real module, over 20 000
 * frames: pktgen hands numbered frames to vnet0's transmit, vnet0 relays
 * them to veth0 through the Gilbert-Elliott chain, tcpdump in the peer
 * namespace records what arrives, and the missing sequence numbers are the
 * losses, in the order the chain made them.
 *
 *   pktgen -> vnet0 (gemodel) -> veth0  <->  netns peer: veth1 (tcpdump)
 *
 * P = 1 %, R = 20 %, 1-H = 100 %, 1-K = 0 (insanely gemodel 1 20):
 *   expected loss P/(P+R) = 4.762 %, mean burst 1/R = 5 frames.
 * Bounds, 4 standard deviations (a false alarm about once in 15 000 runs;
 * with the fixed seed the outcome is in fact the same every run):
 *   - lost frames: a two-state chain's count of bad-state frames has
 *     variance N pi (1 - pi) (1 + lambda) / (1 - lambda), lambda = 1 - P - R
 *     = 0.79 its memory: 20000 * 0.0476 * 0.9524 * 8.52 = 7730, sd 88
 *     frames, so 952 +- 352: [600, 1304] (3.0 % .. 6.5 %).
 *   - bursts: about N pi R = 190, geometric lengths (mean 5, sd
 *     sqrt(1 - R)/R = 4.47); their mean has sd 4.47/sqrt(190) = 0.33, so
 *     5 +- 1.3: [3.7, 6.3].
 */
import * as fs from 'node:fs';
import { ethtoolStats, expectExit, IP, MODPROBE, sys, trySys, vethPeer, waitFor } from './helpers';
import { live, Live, sleep } from './live';

const PEER = 'peer';
const N = 20000;
const PG = '/proc/net/pktgen';
const PCAP = '/tmp/vnet-e2e-gemodel.pcap';
const PKTGEN_MAGIC = 0xbe9be955;

let peerMac = '';

function pg(file: string, cmd: string): void {
  fs.writeFileSync(`${PG}/${file}`, `${cmd}\n`);
}

/** The pktgen sequence numbers of the frames in a pcap file (Ethernet, IPv4, UDP, pktgen header). */
function capturedSeqs(file: string): number[] {
  const b = fs.readFileSync(file);
  if (b.readUInt32LE(0) !== 0xa1b2c3d4) throw new Error('not a little-endian pcap file');
  if (b.readUInt32LE(20) !== 1) throw new Error('not an Ethernet capture');
  const seqs: number[] = [];
  for (let off = 24; off + 16 <= b.length; ) {
    const incl = b.readUInt32LE(off + 8);
    const f = b.subarray(off + 16, off + 16 + incl);
    off += 16 + incl;
    // IPv4, UDP, then struct pktgen_hdr { magic, seq_num, ... } after the 8-byte UDP header
    if (f.length >= 50 && f.readUInt16BE(12) === 0x0800 && f[23] === 17) {
      const udp = 14 + (f[14] & 0x0f) * 4;
      if (f.readUInt32BE(udp + 8) === PKTGEN_MAGIC) seqs.push(f.readUInt32BE(udp + 12));
    }
  }
  return seqs;
}

interface Run {
  lost: number[];
  bursts: number[];
  stats: Record<string, bigint>;
}

/** N frames from pktgen through vnet0, captured in the peer: which were lost, in which bursts. */
async function flood(): Promise<Run> {
  expectExit(['vnet-reset-stats', '-q', 'vnet0'], 0);
  fs.rmSync(PCAP, { force: true });
  const cap: Live = live([IP, 'netns', 'exec', PEER, '/usr/bin/tcpdump', '-i', 'veth1', '-nn', '-s', '96', '-B', '32768', '-w', PCAP, 'udp', 'port', '9']);
  // tcpdump says "listening on" once its socket is bound
  for (let i = 0; i < 150 && !/listening on/.test(cap.err()); i++) await sleep(100);
  expect(cap.err()).toMatch(/listening on veth1/);
  for (const t of fs.readdirSync(PG).filter((f) => f.startsWith('kpktgend_'))) pg(t, 'rem_device_all');
  pg('kpktgend_0', 'add_device vnet0');
  for (const c of [`count ${N}`, 'pkt_size 60', 'clone_skb 0', 'delay 50000', 'dst 10.0.0.250', `dst_mac ${peerMac}`]) pg('vnet0', c);
  pg('pgctrl', 'start'); // returns when the run is over
  const seqNum = Number(/seq_num: (\d+)/.exec(fs.readFileSync(`${PG}/vnet0`, 'utf8'))?.[1]);
  expect(seqNum).toBe(N + 1); // frames 1..N
  const stats = ethtoolStats('vnet0');
  // let the last frames reach the capture, then stop it
  expect(waitFor(() => fs.existsSync(PCAP) && fs.statSync(PCAP).size > 0, 5000)).toBe(true);
  await sleep(1500);
  cap.child.kill('SIGINT');
  const r = await cap.done;
  expect(r.stderr).toMatch(/\b0 packets dropped by kernel/);
  const got = new Set(capturedSeqs(PCAP));
  const lost: number[] = [];
  const bursts: number[] = [];
  let run = 0;
  for (let s = 1; s <= N; s++) {
    if (got.has(s)) {
      if (run > 0) bursts.push(run);
      run = 0;
    } else {
      lost.push(s);
      run++;
    }
  }
  if (run > 0) bursts.push(run);
  expect(got.size).toBe(Number(stats.tx_packets));
  return { lost, bursts, stats };
}

beforeAll(() => {
  peerMac = vethPeer(PEER, [], []);
  sys([MODPROBE, 'pktgen']);
  // vnet0 up with no address: nothing but pktgen's frames goes through it
  expectExit(['insanely', 'veth0', 'pass'], 0);
  expectExit(['vnet-up', '-q', 'vnet0'], 0);
});

afterAll(() => {
  try {
    for (const t of fs.readdirSync(PG).filter((f) => f.startsWith('kpktgend_'))) pg(t, 'rem_device_all');
  } catch {
    /* pktgen gone */
  }
  fs.rmSync(PCAP, { force: true });
  trySys([IP, 'netns', 'del', PEER]);
  trySys([IP, 'link', 'del', 'veth0']);
});

describe('gemodel on real traffic', () => {
  let first: Run;

  test('insanely states the expected loss and mean burst; the kernel has the probabilities in ppm', () => {
    const r = expectExit(['insanely', '--seed', '2024', 'veth0', 'gemodel', '1', '20'], 0);
    expect(r.stdout).toBe(
      'vnet0: relaying to veth0 with burst loss (gemodel p 1%, r 20%, 1-h 100%, 1-k 0%): expected loss 4.76%, mean burst 5 frames (seed 2024)\n',
    );
    const j = JSON.parse(expectExit(['insanely', '-j'], 0).stdout);
    expect(j).toMatchObject({ mode: 'gemodel', arg1: 10000, arg2: 200000, arg3: 1000000, arg4: 0, seed: 2024, expected_loss: 0.047619, mean_burst: 5 });
  });

  test(`${N} frames: loss ~4.76 % and bursts of mean ~5 frames, within 4 standard deviations; every drop counted`, async () => {
    first = await flood();
    const { lost, bursts, stats } = first;
    const mean = lost.length / bursts.length;
    console.log(`gemodel 1 20 over ${N} frames: ${lost.length} lost (${((100 * lost.length) / N).toFixed(2)} %), ${bursts.length} bursts, mean ${mean.toFixed(2)}`);
    expect(lost.length).toBeGreaterThanOrEqual(600);
    expect(lost.length).toBeLessThanOrEqual(1304);
    expect(mean).toBeGreaterThanOrEqual(3.7);
    expect(mean).toBeLessThanOrEqual(6.3);
    // the kernel's counters: every frame relayed or dropped by the chain, nothing else
    expect(stats.tx_drop_gemodel).toBe(BigInt(lost.length));
    expect(stats.tx_packets + stats.tx_drop_gemodel).toBe(BigInt(N));
    expect(stats.tx_dropped).toBe(stats.tx_drop_gemodel);
    const d = expectExit(['vnetconfig', '-d', 'vnet0'], 0).stdout;
    expect(d).toContain(`        TX drops ${stats.tx_dropped}  percent 0  time 0  gemodel ${stats.tx_drop_gemodel}  no_slave 0  slave 0\n`);
  }, 300000);

  test('--force with the same seed: the same frames lost', async () => {
    expect(expectExit(['insanely', '--force', '--seed', '2024', 'veth0', 'gemodel', '1', '20'], 0).stdout).toMatch(/\(seed 2024\)\n$/);
    const again = await flood();
    expect(again.lost).toEqual(first.lost);
  }, 300000);
});
