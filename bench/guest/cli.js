'use strict';
/*
 * Case 4, the commands' wall time in the guest, real calls against the
 * module (bench/lib/wall.js: alternating rounds, median of REPS runs per
 * round), next to `node -e 0` and `ip link show`; and `vnetconfig -a` in
 * a namespace with 10 interfaces against one with 1000 (1 vnet device,
 * the rest dummies, all up).
 */
const path = require('node:path');

const { wallRounds } = require('../lib/wall');
const { ROOT, sh, quiet, ipBatch, log, emit, waitFor } = require('./sys');

const bin = (c) => path.join(ROOT, 'bin', c);

/** The commands as a user calls them, and the anchors. */
function guestCommands() {
  return [
    { name: 'node -e 0', argv: [process.execPath, '-e', '0'], anchor: true },
    { name: 'ip link show', argv: ['ip', 'link', 'show'], anchor: true },
    { name: 'vnetconfig vnet0', argv: [bin('vnetconfig'), 'vnet0'] },
    { name: 'vnetconfig -a', argv: [bin('vnetconfig'), '-a'] },
    { name: 'vnetconfig -s -a', argv: [bin('vnetconfig'), '-s', '-a'] },
    { name: 'vnetconfig -j -d vnet0', argv: [bin('vnetconfig'), '-j', '-d', 'vnet0'] },
    { name: 'vnet-down vnet0', argv: [bin('vnet-down'), 'vnet0'] },
    { name: 'vnet-up vnet0', argv: [bin('vnet-up'), 'vnet0'] },
    { name: 'vnet-up vnet0 mtu 1400', argv: [bin('vnet-up'), '-q', 'vnet0', 'mtu', '1400'] },
    { name: 'insanely -i vnet0', argv: [bin('insanely'), '-i', 'vnet0'] },
    { name: 'insanely -i vnet0 veth0 pass', argv: [bin('insanely'), '-i', 'vnet0', 'veth0', 'pass'] },
    { name: 'vnet-reset-stats vnet0', argv: [bin('vnet-reset-stats'), 'vnet0'] },
    { name: 'vnet-echo', argv: [bin('vnet-echo'), '-q'] },
    { name: 'vnet-monitor --version', argv: [bin('vnet-monitor'), '--version'] },
    { name: 'vnet-module status', argv: [bin('vnet-module'), 'status'] },
  ];
}

function setup() {
  quiet('ip', 'link', 'del', 'veth0');
  sh('ip', 'link', 'add', 'veth0', 'type', 'veth', 'peer', 'name', 'veth1');
  sh('ip', 'link', 'set', 'veth0', 'up');
  sh('ip', 'link', 'set', 'veth1', 'up');
  sh(bin('insanely'), '-i', 'vnet0', 'veth0', 'pass');
  sh('ip', 'addr', 'replace', '10.0.0.2/24', 'dev', 'vnet0');
  sh('ip', 'link', 'set', 'vnet0', 'up');
  waitFor(() => sh('cat', '/sys/class/net/vnet0/operstate').trim() === 'up');
}

/**
 * A namespace NAME with `total` interfaces besides lo, all up: 1 vnet
 * device with an IPv4 address, the rest dummies, each with the IPv6
 * link-local address the kernel gives it.
 */
function crowd(name, total) {
  quiet('ip', 'netns', 'del', name);
  sh('ip', 'netns', 'add', name);
  const lines = ['link add vs0 type vnet', 'addr add 10.9.0.1/24 dev vs0', 'link set vs0 up'];
  for (let i = 1; i < total; i++) lines.push(`link add d${i} type dummy`, `link set d${i} up`);
  ipBatch(lines, name);
  const up = sh('ip', '-n', name, '-o', 'link', 'show', 'up').trim().split('\n');
  const n = up.filter((l) => !/^\d+: lo:/.test(l)).length; // lo is down in a new namespace
  if (n !== total) throw new Error(`${name}: ${n} interfaces up, wanted ${total}`);
  // dummies are NOARP: no DAD, their link-local addresses come at once
  const ll = () => sh('ip', '-n', name, '-o', '-6', 'addr', 'show', 'scope', 'link').trim().split('\n').filter(Boolean).length;
  if (!waitFor(() => ll() >= total - 1)) throw new Error(`${name}: ${ll()} IPv6 link-local addresses, wanted ${total - 1}`);
}

function cli(_b, { rounds, reps, crowdSize }) {
  setup();
  const cmds = guestCommands();
  const res = wallRounds(cmds, { rounds, reps });
  for (const r of res) {
    emit({ case: 'cli', where: 'guest', name: r.name, anchor: !!cmds.find((c) => c.name === r.name).anchor, ms: r.ms });
    log(`cli guest: ${r.name}: ${r.ms.map((x) => x.toFixed(0)).join(' ')} ms`);
  }

  sh('modprobe', 'dummy');
  crowd('nb10', 10);
  crowd('nb1000', crowdSize);
  const many = wallRounds(
    [
      { name: 'vnetconfig -a (10)', argv: [bin('vnetconfig'), '-n', 'nb10', '-a'] },
      { name: `vnetconfig -a (${crowdSize})`, argv: [bin('vnetconfig'), '-n', 'nb1000', '-a'] },
      { name: 'ip link show (10)', argv: ['ip', '-n', 'nb10', 'link', 'show'] },
      { name: `ip link show (${crowdSize})`, argv: ['ip', '-n', 'nb1000', 'link', 'show'] },
    ],
    { rounds, reps },
  );
  for (const r of many) {
    emit({ case: 'crowd', name: r.name, interfaces: /\((\d+)\)/.exec(r.name)[1] * 1, ms: r.ms });
    log(`cli crowd: ${r.name}: ${r.ms.map((x) => x.toFixed(0)).join(' ')} ms`);
  }
  quiet('ip', 'netns', 'del', 'nb10');
  quiet('ip', 'netns', 'del', 'nb1000');
}

module.exports = { cli, guestCommands };
