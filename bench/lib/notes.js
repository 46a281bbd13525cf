'use strict';
/*
 * The text of docs/performance.md around the figures: how each case is
 * measured, and for a goal that a run misses, what bounds it (with that
 * run's own figures where there is one to quote).
 */
const { ratioOf, fmtRatio, median } = require('./stats');

function notes(recs, env) {
  const echo = recs.filter((r) => r.case === 'control' && r.op === 'echo').sort((a, b) => a.round - b.round);
  const ceiling = echo.length && echo[0].batch !== undefined ? fmtRatio(ratioOf(echo.map((r) => r.batch), echo.map((r) => r.c))) : null;
  const load = env.load;
  const loadText = load ? `a load average of ${load.median.toFixed(1)} (up to ${load.max.toFixed(1)}) on ${load.cores} cores during the run` : 'the rest of the machine\'s work';
  // the scaling boot's own anchor: veth direct, 1 thread against 2
  const sc = (p, th) => recs.filter((r) => r.case === 'scaling' && r.path === p && r.size === 60 && r.threads === th).sort((a, b) => a.round - b.round).map((r) => r.pps);
  const scaleOf = (p) => (sc(p, 1).length && sc(p, 2).length ? fmtRatio(ratioOf(sc(p, 2), sc(p, 1))) : null);
  const vethScale = scaleOf('veth');
  const vethOdd = sc('veth', 1).length > 0 && sc('veth', 1).every((v, i) => v < (sc('pass', 1)[i] ?? 0));
  const passScale = scaleOf('pass');
  // why the 2-thread figures scatter: the host (every scaling goal's bound)
  const scaleHost =
    'Measured in the second boot, whose vCPUs run on host threads of their own (LAB_TCG_THREAD=multi), on a 2-core host with ' +
    `${loadText}: ` +
    (load && load.median < 1.5
      ? "the host was otherwise idle, but its 2 cores carried the 2 vCPU threads and qemu's own main-loop thread (timers, the console), so two vCPUs never had two whole cores"
      : 'two vCPU threads could not get two whole cores') +
    ', and the per-round ratios scattered (see the spreads' +
    (vethScale ? `; veth direct, the anchor, gave ${vethScale} in the same boot` : '') +
    ')' +
    (vethOdd
      ? ", and there its one-thread rate stayed below the relay's one-thread rate in every round, which no cost of the paths explains: that boot's figures say more about the host than about vnet"
      : '') +
    '. Showing 1.8 reliably needs a host with more cores than vCPUs.';
  const floodOfCeiling = echo.length && echo[0].batch !== undefined ? fmtRatio(ratioOf(echo.map((r) => r.flood), echo.map((r) => r.batch))) : null;
  const t = recs.filter((r) => r.case === 'accuracy' && r.kind === 'time');
  const gaps = t.length ? Math.max(...t.map((r) => r.max_gap_us)) : null;
  const sends = t.length && t[0].max_send_us !== undefined ? Math.max(...t.map((r) => r.max_send_us)) : null;
  // the guest's fixed cost of a command: a --version, against node -e 0
  const guestCli = (name) => recs.find((r) => r.case === 'cli' && r.where === 'guest' && r.name === name);
  const gNode = guestCli('node -e 0');
  const gVersion = guestCli('vnet-monitor --version');
  const version = gNode && gVersion ? ratioOf(gVersion.ms, gNode.ms) : null;
  const versionRatio = version ? fmtRatio(version) : null;
  // what 1.3 x node -e 0 leaves a real call once a command that does nothing has started
  const headroomMs = version ? Math.round((1.3 - version.median) * median(gNode.ms)) : null;

  // the datapath's own anchors: macvlan against veth and the relay against
  // macvlan (per frame size), time against pass under hpet (64 B)
  const dp = (p, size = 60) =>
    recs.filter((r) => r.case === 'datapath' && r.path === p && r.size === size && r.threads === 1).sort((a, b) => a.round - b.round).map((r) => r.pps);
  const dpRaw = (a, b, size = 60) => (dp(a, size).length && dp(b, size).length ? ratioOf(dp(a, size), dp(b, size)) : null);
  const dpRatio = (a, b, size = 60) => {
    const r = dpRaw(a, b, size);
    return r ? fmtRatio(r) : null;
  };
  const timeHpet = dpRatio('time0_hpet', 'pass_hpet');
  const passHpet = dpRatio('pass_hpet', 'pass');
  const passBound = (size) => {
    const macvlan = dpRatio('macvlan', 'veth', size);
    const relay = dpRaw('pass', 'macvlan', size);
    const asMacvlan = relay && relay.median >= 0.97;
    return (
      'A relayed frame is transmitted twice (vnet0, then the veth), against once for veth direct: the relay adds the second `dev_queue_xmit()` and the policy; ' +
      'with no qdisc on vnet0 (IFF_NO_QUEUE) nothing else is queued twice.' +
      (macvlan
        ? ` The kernel's own macvlan, the same two transmits without a policy, measured ${macvlan}× veth direct in the same rounds` +
          (relay
            ? `, and the relay ${fmtRatio(relay)}× macvlan` +
              (asMacvlan ? ": the relay costs what the kernel's own stacked device costs (within 3 %), and the goal asks for less than that." : '.')
            : '.')
        : '')
    );
  };
  const clock = recs.find((r) => r.case === 'datapath' && r.path === 'pass')?.clocksource;

  return {
    datapathMethod:
      'pktgen in `queue_xmit` mode (frames go through `dev_queue_xmit()`, so a qdisc such as netem applies, as for any sender), ' +
      'a fresh skb per frame, to a foreign unicast MAC (every receiver drops the frame at the same early point), ' +
      `${env.counts.frames} frames per run. A rate is frames handed to the first device per second, the ones a policy drops included: ` +
      'the cost of a frame on that path. *veth direct* is pktgen into one end of a veth pair; *vnet relay* is pktgen into vnet0 relaying to ' +
      'that veth; *vnet loopback* is vnet0 with no slave, looping every frame back to itself (its anchor is the veth pair). ' +
      'Frame sizes are pktgen `pkt_size` 60 and 1514: 64 and 1518 bytes on the wire with the FCS. ' +
      'Every path runs once per round, in the same order, each time twice back to back, and the faster of the two counts: under `thread=single` qemu runs both vCPUs ' +
      'on one host thread, and a run during which the other vCPU was busy measured about 40 % slower (a bimodal spread even on an idle host); nothing makes a run faster, ' +
      'so the faster is the one less disturbed. *macvlan* (mode private, on a veth pair of its own) is the kernel\'s own stacked device: ' +
      'the same second `dev_queue_xmit()` as the relay, without a policy. ' +
      `Clocksource: ${clock ?? 'as the guest chose'}. The bench boots the guest with \`tsc=reliable\`: under TCG the kernel otherwise marks the TSC unstable ` +
      '(the vCPUs\' TSCs are not synchronised) and falls back to hpet, an emulated MMIO read per clock reading, where hardware reads the TSC. pktgen reads the ' +
      'clock for every frame it stamps and time mode once more, so the *clocksource hpet* rows switch the running guest to hpet ' +
      '(`/sys/devices/system/clocksource/clocksource0/current_clocksource`) for pass and time mode alone, and back.',
    scalingMethod:
      'The same pktgen run split over two pktgen threads (`DEV@0`, `DEV@1`, one per vCPU). Under `thread=single` (the lab default) ' +
      'qemu runs the guest\'s vCPUs in turn on one host thread, so two guest threads cannot go faster than one: that boot shows only that ' +
      'nothing serialises worse with two. The goal is measured in a second boot with `LAB_TCG_THREAD=multi`, whose vCPUs run on host threads of their own' +
      (env.scalingRounds
        ? `, in ${env.scalingRounds} rounds (its two vCPU threads compete with everything else on the host, and its per-round ratios scatter the most of any case).`
        : '.'),
    accuracyMethod:
      `Percent mode: vnet0 relays to a veth at each loss L, ${env.counts.accuracy} pktgen frames from counters reset to zero; the observed drop ratio ` +
      'against L in standard deviations of the binomial, z = (d/n - L) / sqrt(L (1 - L) / n). Random seeds (per-CPU draws), and once --seed 42 twice: ' +
      'the same seed must drop the same frames. Time mode: `bench/c/timeedge` sets the policy (the phase starts inside that ioctl) and sends a numbered frame every ' +
      '100 µs (spinning on the clock) out of vnet0, the clock read before and after each send(2); which ones came out of the veth\'s peer gives the window edges, ' +
      'each compared with where the policy puts it. The kernel judges a frame at some instant inside its send(2), and that is all the sender can know: ' +
      'a frame counts by its send interval (in the lab a vCPU can be descheduled inside the call for milliseconds, see the longest send). ' +
      'The goal is an error of at most 1 ms plus the gap between the two frames around the edge; a frame whose send interval, widened by 1 ms each side, ' +
      "lies in one phase of the policy and whose fate differs from that phase's is misplaced. The drop counter must agree with the frames that did not arrive.",
    controlMethod:
      'ECHO: `nl_echo_loop` (the seed\'s libnl calls in a loop, no auto-ack), the addon from Node in a tight loop (`test/native/bench/echo-rate.js`), ' +
      '`vnet-echo -f -q` (its rate is (N - 1) / (T(-c N) - T(-c 1)), so that its start and exit cancel out), and two raw-netlink C clients with no library ' +
      `(\`bench/c/echo_pipe\`): one request at a time (sendto, recvmmsg), and 16 requests per datagram with their replies taken by one recvmmsg, the ceiling of a pipelined client on one thread. ${env.counts.echo} round trips ` +
      `(${env.counts.flood} for vnet-echo -f). GET and SET: ${env.counts.ctl} requests, by ioctl and by generic netlink, the C client ` +
      '(`bench/c/ctl_loop`, libnl for netlink) against the addon from Node (`bench/guest/ctl-node.js`); a SET alternates between percent 50 and 60 so that ' +
      'every one builds and publishes a new policy. Each Node figure is a fresh process. In a round every client runs 3 times, in turn, and keeps its best ' +
      '(for vnet-echo -f: the fastest -c 1 and the fastest -c N): the other work on this shared host only ever slows a run down. ' +
      'The GET and SET rows have no goal; one known cost: the addon opens an AF_INET socket for each ioctl (socket, ioctl, close) where the C client keeps one, ' +
      'which a command, making one or two ioctls, pays once.',
    cliMethod:
      `Wall time as a script sees it (fork, exec, exit; stdout and stderr into pipes that are read), ${env.counts.reps} runs per command per round, ` +
      'every command in turn; a round\'s figure for a command is its fastest run (the other work on this shared host only ever adds time to a run, and the fastest ' +
      'is the one it disturbed least); the figure is the median of the per-round figures, the ratio the median of the per-round ratios. ' +
      'The commands run as installed: `bin/` shims, each loading its command\'s bundle (`dist/bundle/`, esbuild) with its V8 code cache.',
    crowdMethod:
      'One vnet device with an IPv4 address and 9 or 999 dummy interfaces, made by `ip -batch` in a namespace of their own, all up, each dummy with ' +
      'the IPv6 link-local address the kernel gives it. The link dump asks the kernel for the vnet links only (IFLA_INFO_KIND), the address dump for the ' +
      'addresses of the one vnet device (ifa_index under NETLINK_GET_STRICT_CHK; with several vnet devices to show it is one dump of every address). ' +
      'Before the address dump was filtered (2026-12-06), in a 6.1 guest, 1000 interfaces up, 12 interleaved runs each timed from the process start: ' +
      '`vnetconfig vnet9` 447 ms unfiltered against 412 filtered, `vnetconfig -a` 450 against 404, `vnet-up vnet9` 445 against 414 (medians of the ' +
      'paired differences 36 to 38 ms); `vnetconfig vnet0` in the lab\'s few interfaces 428 against 398 (paired median 15 ms, quartiles -18 and 29: ' +
      'within the spread). Before vnet-up\'s own link dump was filtered (the same day), in a 6.1 guest with the 1000 interfaces down, it took 866 ms, ' +
      'and 607 after (15 runs each, medians).',
    memoryMethod:
      `Kernel memory: ${env.counts.devices} devices created at once (\`ip -batch\`) in a fresh namespace, /proc/meminfo before and after ` +
      '(Slab + Percpu + VmallocUsed + KernelStack + PageTables, and MemFree as a cross-check), divided by their number; vnet devices against dummy devices ' +
      '(the smallest Ethernet device). Addon RSS: a fresh Node process before and after loading the addon, and after 1000 ECHOs, a vnet dump, a link dump and an address dump.',
    reproduce: [
      '```sh',
      'npm ci                     # once: dependencies and the build',
      'npm run bench              # everything: about 20 min on this 2-core machine (two boots); writes this file and docs/performance.svg',
      'npm run bench -- --rounds 5 --kernel 7 --cases datapath,control',
      'npm run bench -- --smoke   # one round, small counts, checks only (what npm test runs)',
      '```',
    ].join('\n'),

    // ---- missed goals: what bounds them
    'pass-60': passBound(60),
    'pass-1514': passBound(1514),
    percent0:
      'Percent mode draws a random number per frame (splitmix64 of the seed and a counter); at 0 % loss that draw is all it adds to pass.',
    time0:
      `Time mode reads the clock per frame (\`ktime_get()\`) and divides by the period (clocksource: ${clock ?? '?'}).` +
      (timeHpet ? ` With the guest switched to hpet, an emulated MMIO access per read, it measured ${timeHpet}× pass under hpet (and pass under hpet ${passHpet}× pass).` : '') +
      ' Tried and measured, not kept: each CPU keeping the window it is in (its end and verdict in one per-CPU word) and dividing once per window ' +
      'instead of once per frame; in one 6.1 guest on 2026-12-06, the module with and without it loaded in turn over 6 rounds (pktgen, 64 B, the faster ' +
      'of two runs), time at 0 % loss / pass measured 0.99 (0.97–1.03) with it and 0.98 (0.78–1.01) without under tsc, 0.95 and 0.95 under hpet: ' +
      'the division is not what costs, the clock read is, and time mode needs the time of every frame.',
    percentL:
      'netem with loss drops in its enqueue before the veth\'s transmit, as percent mode drops before it; the difference is vnet0\'s own transmit in front.',
    'scale-pass': scaleHost,
    'scale-percent0':
      'Percent mode at 0 % loss adds a draw per frame from a per-CPU counter: nothing is written that another CPU reads.' +
      (passScale ? ` Relay pass, the same path without the draw, gave ${passScale} in the same boot. ` : ' ') +
      scaleHost,
    'scale-percent0s':
      'With a chosen seed the draws share one atomic counter (reproducibility across CPUs needs one sequence): one write per frame shared by the CPUs.' +
      (passScale ? ` Relay pass gave ${passScale} in the same boot. ` : ' ') +
      scaleHost,
    echo: 'A request costs the addon two system calls, as it costs the C client; what is left is the N-API call and building the JS string.',
    flood:
      (ceiling ? `The ceiling of pipelining from one thread, raw netlink with 16 requests per datagram, measured ${ceiling}× the libnl client in the same rounds` : 'See the raw-netlink rows') +
      (floodOfCeiling ? `, and vnet-echo -f reached ${floodOfCeiling} of it` : '') +
      '. vnet-echo -f runs its round trips in the addon (EchoSocket.flood: one sendto for the window, one recvmmsg for the replies, each checked and timed in C++), ' +
      'and returns to JS once per 1024 requests or 20 ms for the counts, the output and the event loop (Ctrl-C): with 128 per return, as until 2026-12-06, ' +
      'it measured about 15 % slower (76k against 88k round trips/s, 4 rounds in rotating order in one 6.1 guest). Node\'s own start and exit the rate\'s ' +
      '(N - 1) / (T(-c N) - T(-c 1)) cancels. A profile of 300 000 requests in the guest (perf, cpu-clock, 128 per return) had half its samples in the kernel ' +
      '(the requests\' handling, allocating and copying the replies), a quarter in Node and V8 (the steps\' results, event-loop turns, optimising compiles, the start), ' +
      'a tenth in the addon and the rest in the C and C++ allocators: the raw C client has the kernel\'s half alone.',
    'cli-host': 'Node\'s own start (V8, the bootstrap) is the floor; a command adds its bundle (read with its code cache), commander\'s parse and the output.',
    'cli-guest':
      (versionRatio
        ? `What every command pays before doing anything shows in \`vnet-monitor --version\`: ${versionRatio}× node -e 0 in the guest against about 1.1× on the host. `
        : '') +
      'Measured apart in one 6.1 guest on 2026-12-06 with timestamps from the process start (performance.now(), 10 runs each, medians; node -e 0 ' +
      'about 300 ms there): a shim\'s first line runs when -e\'s would; requiring load.js, the first file a shim loads, takes 15 ms (Node\'s module ' +
      'loader on first use: resolving, the package scope, reading, compiling) and its own top level 6 ms (15 until named imports replaced ' +
      "TypeScript's `import * as`, whose __importStar copies fs's 105 exports as getters: 0.6 ms on the host, over 10 under TCG); reading the bundle and " +
      'its code cache 10 ms, compiling with the cache 20 ms (100 without), the top level 19 ms, commander\'s --version 16 ms. A real call ' +
      '(vnetconfig vnet0) takes about 80 ms from the command\'s start: commander\'s parse about 20, finding and loading the addon about 20 (dlopen and ' +
      'its initialisation 14), the link list and the first calls into the binding about 19, the address and generic-netlink dumps 16, the output 11. ' +
      (headroomMs === null
        ? 'About 95 ms of fixed cost before a command does anything, against 1.3 × node -e 0 allowing about 90: '
        : headroomMs > 0
          ? `With --version at ${fmtRatio(version)}× here, 1.3 × node -e 0 leaves a real call ${headroomMs} ms for its own work, less than loading the addon alone: `
          : `With --version at ${fmtRatio(version)}× here, a command that does nothing is already over 1.3 × node -e 0: `) +
      'the goal is out of reach while a command ' +
      'is a Node program started by a `#!/usr/bin/env node` shim. vnet-module status no longer starts modinfo (about 130 ms with node:child_process, ' +
      'the slowest command until 2026-12-06): it reads modules.dep and the module\'s .modinfo section itself (the ELF header, the section table and ' +
      'that section: the lab\'s vnet.ko is 4 MB with its debug information), leaves only a compressed module to modinfo, and walks the package\'s ' +
      'sources for install alone. ' +
      'Tried and measured, not kept: a bundle built from the TypeScript sources, whose modules esbuild hoists into one scope (top level 12 ms instead of 19, ' +
      'but the run after it slower by as much: 155 against 155 ms for vnetconfig vnet0, 89 against 92 for --version); V8 flags set at run time before the ' +
      'bundle compiles, with caches made under the same flags so that V8 takes them (--no-sparkplug; --regexp-interpret-all, as commander parses every option\'s ' +
      'flags with regular expressions that TCG compiles to machine code): within the spread, the second 10 to 25 ms slower; a code cache of ' +
      '--version alone or of no run: within the spread; a code cache made by real calls as well (vnetconfig vnet0, -a, -s -a and -j -d vnet0, ' +
      'vnet-up vnet0, insanely -i vnet0, made in the guest against the module: 153 to 172 KB against 139 to 144), 25 rounds in one 6.1 guest on ' +
      '2026-12-06 timed from the process start: the real calls 0 to 22 ms faster (medians of the paired differences, whose quartiles were 20 to 45 ms ' +
      'either side of zero), --version up to 10 ms slower: within the spread, and it would need a stand-in for the kernel when the package is built. Done: bundling, the code cache, the addon found by name without node-gyp-build (requiring ' +
      'it and one call of its path() took 60 ms in a fresh Node here), the shim calling the loader directly. A minified bundle (115 KB) read in 4 ms ' +
      'instead of 10 to 15 but measured no faster overall and is not used (stack traces keep their lines). A V8 startup snapshot (`node --build-snapshot` ' +
      'with the bundle in it) must be given to node when it starts (`node --snapshot-blob FILE`), before a shim runs a line, and must come from the very Node ' +
      'binary that runs it: measured anyway, it started vnetconfig in 130 ms on the host against 107 for the bin with its code cache (its 4.5 MB blob ' +
      'replaces Node\'s own start-up snapshot), and in the guest within the bin\'s spread (356 to 590 ms against 476 to 610, 4 rounds): not done.',
    crowd:
      'The link dump asks the kernel for the vnet links only (IFLA_INFO_KIND, as `ip link show type vnet`), but the kernel still walks every device of the ' +
      'namespace for it; the address dump is of the vnet device alone.',
    'drop-3sigma': 'A z beyond 3 happens about 3 times in 1000 settings by chance; a repeat shows whether it is the generator.',
    'time-edges':
      `Edges are seen only at frames: a gap between frames of up to ${gaps ?? '?'} µs was measured` +
      (sends !== null ? `, and a single send(2) took up to ${sends} µs` : '') +
      ' (the guest\'s sender is descheduled: TCG runs the vCPUs in turn, on a shared host).',
  };
}

module.exports = { notes };
