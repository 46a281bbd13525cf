/*
 * share/bash-completion: the completion functions in a real bash, with a
 * stub ip(8) on PATH that knows two vnet devices, two Ethernet slaves and
 * a network namespace (the lab's e2e suite runs them against real ones).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const DIR = path.join(ROOT, 'share', 'bash-completion', 'completions');

let stubDir: string;
beforeAll(() => {
  stubDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vnet-comp-'));
  // ip [-n NS] -o link show [type vnet] | ip netns list
  fs.writeFileSync(
    path.join(stubDir, 'ip'),
    `#!/bin/bash
ns=
if [[ $1 == -n ]]; then ns=$2; shift 2; fi
if [[ $1 == netns ]]; then echo "blue (id: 0)"; echo red; exit 0; fi
if [[ $ns == blue ]]; then
  [[ $* == *"type vnet"* ]] && { echo "5: vblue: <BROADCAST> mtu 1500 link/ether 02:00:00:00:00:05"; exit 0; }
  echo "1: lo: <LOOPBACK> mtu 65536 link/loopback 00:00:00:00:00:00"
  echo "5: vblue: <BROADCAST> mtu 1500 link/ether 02:00:00:00:00:05"
  exit 0
fi
if [[ $* == *"type vnet"* ]]; then
  echo "3: vnet0@veth0: <BROADCAST> mtu 1500 link/ether 52:54:00:00:00:01"
  echo "4: vnet1: <BROADCAST> mtu 1500 link/ether 02:00:00:00:00:02"
  exit 0
fi
echo "1: lo: <LOOPBACK> mtu 65536 link/loopback 00:00:00:00:00:00"
echo "2: veth0@if9: <BROADCAST> mtu 1500 link/ether 52:54:00:00:00:01"
echo "3: vnet0@veth0: <BROADCAST> mtu 1500 link/ether 52:54:00:00:00:01"
echo "4: vnet1: <BROADCAST> mtu 1500 link/ether 02:00:00:00:00:02"
echo "6: eth1: <BROADCAST> mtu 1500 link/ether 52:54:00:00:00:06"
echo "7: tun0: <POINTOPOINT> mtu 1500 link/none"
`,
    { mode: 0o755 },
  );
});
afterAll(() => fs.rmSync(stubDir, { recursive: true, force: true }));

/** COMPREPLY for the command line `line` (the cursor at its end), in bash without bash-completion. */
function complete(line: string): string[] {
  const script = `
    . "$DIR/$CMD"
    read -ra COMP_WORDS <<< "$LINE"
    [[ $LINE == *' ' ]] && COMP_WORDS+=("")
    COMP_CWORD=$(( \${#COMP_WORDS[@]} - 1 ))
    COMP_LINE=$LINE; COMP_POINT=\${#LINE}
    f=$(complete -p "$CMD" | sed 's/.*-F \\([^ ]*\\) .*/\\1/')
    "$f" "$CMD" "\${COMP_WORDS[COMP_CWORD]}" "\${COMP_WORDS[COMP_CWORD-1]}"
    printf '%s\\n' "\${COMPREPLY[@]}"
  `;
  const cmd = line.split(' ')[0];
  const r = spawnSync('bash', ['--norc', '--noprofile', '-c', script], {
    encoding: 'utf8',
    env: { PATH: `${stubDir}:/usr/bin:/bin`, DIR, CMD: cmd, LINE: line },
  });
  if (r.status !== 0) throw new Error(`bash failed: ${r.stderr}`);
  return r.stdout.split('\n').filter((w) => w !== '');
}

describe('bash completion', () => {
  test.each([
    ['vnetconfig ', ['vnet0', 'vnet1']],
    ['vnet-down v', ['vnet0', 'vnet1']],
    ['vnet-reset-stats vnet0 ', ['vnet0', 'vnet1']],
    ['vnet-monitor ', ['vnet0', 'vnet1']],
    ['insanely -i ', ['vnet0', 'vnet1']],
    ['insanely ', ['none', 'veth0', 'eth1']],
    ['insanely -i vnet1 ', ['none', 'veth0', 'eth1']],
    ['insanely veth0 ', ['pass', 'percent', 'loss', 'time', 'gemodel']],
    ['insanely --rx veth0 g', ['gemodel']],
    ['insanely --for ', []],
    ['insanely --for 30s ', ['none', 'veth0', 'eth1']],
    ['insanely --b', ['--both']],
    ['insanely veth0 p', ['pass', 'percent']],
    ['insanely none ', []],
    ['insanely veth0 percent ', []],
    ['insanely --seed 4', []],
    ['vnet-up ', ['vnet0', 'vnet1']],
    ['vnet-up vnet0 m', ['mtu']],
    ['vnet-up vnet0 -', ['-arp', '-promisc', '-q', '--quiet', '-j', '--json', '-h', '--help', '-V', '--version', '--color=', '-n', '--netns'].sort()],
    ['vnet-up vnet0 hw ', ['ether']],
    ['vnet-up vnet0 mtu ', []],
    ['vnet-echo -c ', []],
    ['vnet-echo --fl', ['--flood']],
    ['vnetconfig --', ['--all', '--short', '--drops', '--json', '--help', '--version', '--color=', '--netns'].sort()],
    ['vnetconfig -n ', ['blue', 'red']],
    ['vnetconfig -n blue ', ['vblue']],
    ['insanely --netns blue ', ['none']],
    ['vnet-module ', ['install', 'uninstall', 'status']],
    ['vnet-module install -', ['-k', '--kernel', '-n', '--dry-run', '-f', '--force', '-j', '--json', '-h', '--help', '-V', '--version', '--color='].sort()],
    ['vnet-module status ', []],
  ])('%j → %j', (line, want) => {
    const got = complete(line);
    if (line.endsWith('-')) expect(got.sort()).toEqual(want);
    else expect(got).toEqual(want);
  });

  test('every command has a completion', () => {
    for (const cmd of ['vnet-up', 'vnet-down', 'vnetconfig', 'insanely', 'vnet-reset-stats', 'vnet-echo', 'vnet-monitor', 'vnet-module']) {
      const r = spawnSync('bash', ['--norc', '-c', `. "${DIR}/${cmd}"; complete -p ${cmd}`], { encoding: 'utf8' });
      expect(r.stdout).toMatch(new RegExp(`^complete -F _\\w+ ${cmd}$`, 'm'));
    }
  });
});
