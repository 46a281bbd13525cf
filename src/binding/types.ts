/*
 * The typed interface to the native addon (addon/), and to its fake for
 * unit tests (test/fake-binding.ts). Everything above this file talks to
 * the kernel only through `VnetBinding`.
 *
 * Numbers that come from the uapi header (kernel/include/uapi/linux/vnet.h)
 * are never written here: they are exported by the addon as `constants`
 * and mirrored for TypeScript in src/abi.ts, generated from the header.
 *
 * Every method throws a `VnetSystemError` (src/binding/errors.ts) on
 * failure; none returns an error value.  Every error has a `code`.
 *
 * Synchronous and asynchronous: anything that waits for the kernel over
 * netlink has an asynchronous form returning a Promise (`...Async`: the
 * work runs on a worker thread, each request on a socket of its own, and
 * the Promise rejects with the same VnetSystemError the synchronous form
 * throws; argument errors reject too, nothing is thrown), and events come
 * to a listener through `GenlSocket.watch()`.  A GenlSocket has at most 8
 * requests in the kernel at once; the others wait their turn in order.
 * Their sockets are opened on the calling thread, in its network namespace
 * (see enterNetns()).  The synchronous forms stay
 * for the commands, where they are simpler.  The interface ioctls never
 * wait for I/O and are synchronous only.
 *
 * Signals: a synchronous call waiting for the kernel that is interrupted
 * by a signal throws VnetSystemError code 'EINTR' at once (it is not
 * retried), so that a JS signal handler (process.on('SIGINT')) can run;
 * the late answer is discarded by the socket's next request.
 */

/** 64-bit counters are exact: bigint, never number. */
export type Counter = bigint;

/**
 * Rubini's struct insane_userinfo (struct vnet_relay_info), 28 bytes: the
 * transmit policy only (the receive policy and gemodel's arg3/arg4 are
 * netlink's).
 */
export interface RelayInfo {
  /** slave interface; "" = none (loopback mode) */
  slave: string;
  /** enum vnet_mode: 0 pass, 1 percent, 2 time, 3 gemodel */
  mode: number;
  /** percent: share PASSED 0..100; time: relay window in ms; gemodel: p in ppm */
  arg1: number;
  /** time: drop window in ms; gemodel: r in ppm */
  arg2: number;
}

/** enum vnet_stats_attr, keyed by the ethtool -S names. */
export interface VnetStats {
  rx_packets: Counter;
  rx_bytes: Counter;
  tx_packets: Counter;
  tx_bytes: Counter;
  rx_dropped: Counter;
  tx_dropped: Counter;
  tx_drop_percent: Counter;
  tx_drop_time: Counter;
  tx_drop_no_slave: Counter;
  tx_drop_slave: Counter;
  slave_lost: Counter;
  tx_drop_gemodel: Counter;
  rx_drop_delivery: Counter;
  rx_drop_percent: Counter;
  rx_drop_time: Counter;
  rx_drop_gemodel: Counter;
}

/**
 * One direction's drop policy (enum vnet_mode and its arguments, see the
 * uapi header): the transmit policy is VnetState's own members, the
 * receive policy VnetState.rx.
 */
export interface VnetPolicy {
  /** enum vnet_mode: 0 pass, 1 percent, 2 time, 3 gemodel */
  mode: number;
  /** percent: share PASSED 0..100; time: relay window (ms); gemodel: p (ppm) */
  arg1: number;
  /** time: drop window (ms); gemodel: r (ppm) */
  arg2: number;
  /** gemodel: 1-h, the loss probability in the bad state (ppm) */
  arg3: number;
  /** gemodel: 1-k, the loss probability in the good state (ppm) */
  arg4: number;
  /** the seed of the SET that set this direction */
  seed: bigint;
  /** milliseconds until the kernel sets this direction back to pass;
   * present only while an auto-revert is pending */
  revertMs?: number;
}

/**
 * The device state a VNET_CMD_GET / SET / RESET_STATS reply carries; its
 * VnetPolicy members are the transmit policy.
 */
export interface VnetState extends VnetPolicy {
  ifindex: number;
  ifname: string;
  /** the receive policy; absent from kernels that have none (before
   * VNET_ATTR_RX_POLICY) */
  rx?: VnetPolicy;
  /** 0 when no slave is attached */
  slaveIfindex: number;
  /** "" when no slave is attached */
  slaveName: string;
  /** the slave's effective IPv4 rp_filter (0 off, 1 strict, 2 loose);
   * absent when no slave is attached */
  slaveRpFilter?: number;
  stats: VnetStats;
  /**
   * The kernel's extended-ack text on success: a warning about the request
   * (it was applied).  Only on the state set() / resetStats() return, and
   * only when the kernel had something to say (`ip` prints it as
   * "Warning: ...").
   */
  warning?: string;
}

/**
 * A VNET_CMD_SET request: one direction's policy (or both) and the slave,
 * at once.  The optional members are sent only when present, so a request
 * without them works on kernels that predate them (their policies refuse
 * unknown attributes).
 */
export interface RelaySetRequest {
  /** the vnet device (name or ifindex) */
  dev: string | number;
  mode: number;
  arg1: number;
  arg2: number;
  /** gemodel's 1-h (ppm); absent: 100% for gemodel, 0 otherwise */
  arg3?: number;
  /** gemodel's 1-k (ppm); absent: 0 */
  arg4?: number;
  /** absent: the kernel picks a random seed */
  seed?: bigint;
  /** enum vnet_direction: 0 transmit (absent), 1 receive, 2 both */
  direction?: number;
  /** the kernel sets the direction(s) back to pass this many ms later
   * (VNET_EVENT_REVERTED); absent or 0: never */
  revertMs?: number;
  /** "" detaches; absent keeps the current slave */
  slave?: string;
}

/** A VNET_CMD_EVENT multicast message. */
export interface VnetEvent {
  /** enum vnet_event */
  event: number;
  /** enum vnet_direction: the policy that went back to pass
   * (VNET_EVENT_REVERTED only) */
  direction?: number;
  state: VnetState;
  /**
   * Present when events were lost just before this one: how many times
   * the socket's receive queue overran (ENOBUFS: the kernel dropped one
   * or more events each time) since the previous event delivered.  A
   * consumer that keeps state should re-read it (dump()).
   */
  lostBefore?: number;
}

/** GenlSocket.watch(): events delivered to a listener as they come. */
export interface EventSubscription {
  /**
   * Stops the subscription (idempotent): its socket is closed and no
   * listener call happens after stop() returns.
   */
  stop(): void;
  /** false once stopped (by stop(), close() or a fatal socket error) */
  readonly active: boolean;
  /** times events were lost (receive-queue overruns), as GenlSocket.eventsLost */
  readonly eventsLost: number;
  /** An active subscription keeps the process alive (like a server) unless unref()'d. */
  ref(): this;
  unref(): this;
}

/** What SIOCGIF* ioctls report about an interface (ifconfig's view). */
export interface InterfaceInfo {
  name: string;
  ifindex: number;
  /** IFF_* flags, all 32 bits as `ip link` has them (rtnetlink ifi_flags:
   * SIOCGIFFLAGS' 16 plus LOWER_UP, DORMANT, ECHO) */
  flags: number;
  mtu: number;
  /** "aa:bb:cc:dd:ee:ff" */
  mac: string;
  txqueuelen: number;
  /** absent when the interface has no IPv4 address */
  ipv4?: { address: string; netmask: string; broadcast?: string };
}

/**
 * The kernel's view of an interface's counters (dev_get_stats: the
 * driver's plus the core's), as `ip -s link` and ifconfig show them.
 */
export interface LinkStats {
  rx_packets: Counter;
  rx_bytes: Counter;
  rx_errors: Counter;
  rx_dropped: Counter;
  rx_fifo_errors: Counter;
  rx_frame_errors: Counter;
  rx_over_errors: Counter;
  multicast: Counter;
  tx_packets: Counter;
  tx_bytes: Counter;
  tx_errors: Counter;
  tx_dropped: Counter;
  tx_fifo_errors: Counter;
  tx_carrier_errors: Counter;
  collisions: Counter;
}

/** One interface from an RTM_GETLINK dump (`ip -s -d link`'s view). */
export interface LinkInfo {
  ifindex: number;
  /** the name as text: when it is not valid UTF-8 (or has control
   * characters), each offending byte is written \xNN and nameEscaped is set */
  name: string;
  nameEscaped: boolean;
  /** IFLA_INFO_KIND: "vnet" for ours, "" for devices without rtnl_link_ops */
  kind: string;
  /** ARPHRD_*: 1 is Ethernet */
  type: number;
  /** IFF_* flags, all 32 bits */
  flags: number;
  mtu: number;
  /** "aa:bb:cc:dd:ee:ff", "" when the link has no 6-byte address */
  mac: string;
  txqueuelen: number;
  stats: LinkStats;
}

/** One address from an RTM_GETADDR dump (`ip addr`'s view). */
export interface AddressInfo {
  ifindex: number;
  family: 'inet' | 'inet6';
  local: string;
  prefixlen: number;
  broadcast?: string;
  /** RT_SCOPE_*: 0 global, 200 site, 253 link, 254 host */
  scope: number;
  /** IFA_F_*: 0x01 secondary (IPv4) / temporary (IPv6), 0x80 permanent... */
  flags: number;
  label?: string;
}

/** An address to add or delete (rtnetlink RTM_NEWADDR / RTM_DELADDR). */
export interface AddressSpec {
  family: 'inet' | 'inet6';
  local: string;
  prefixlen: number;
  /** IPv4 only, add only */
  broadcast?: string;
}

/** One reply to an EchoSocket request. */
export interface EchoReply {
  /** the request's sequence number, as send() returned it */
  seq: number;
  /** the text the kernel sent back */
  message?: string;
  /** the kernel refused that request */
  error?: Error;
}

/**
 * VNET_CMD_ECHO with several requests in flight (vnet-echo, -f).  The
 * caller waits: receive() gives control back on timeout (null) and when a
 * signal interrupts the wait (a VnetSystemError with code 'EINTR'), so
 * that signal handlers can run.
 */
export interface EchoSocket {
  /** Sends one request without waiting; returns its sequence number. */
  send(message: string): number;
  /**
   * Sends COUNT (1 to 16) requests for MESSAGE in one datagram without
   * waiting (one system call; the kernel answers each, in order); returns
   * their sequence numbers.
   */
  sendMany(message: string, count: number): number[];
  /** The next reply, waiting up to timeoutMs; null on timeout. */
  receive(timeoutMs: number): EchoReply | null;
  /**
   * One step of a flood (vnet-echo -f), done in the addon so that a round
   * trip costs JS nothing: until `maxReplies` requests ended (answered,
   * refused or given up), `maxMs` passed, the budget is spent with none in
   * flight, or a signal interrupted a wait, it refills the window (one
   * datagram), takes every reply queued, and waits only when none was.
   * Requests in flight carry over to the next step; they are numbered from
   * 1 among this socket's flood requests.
   */
  flood(message: string, options: FloodOptions): FloodStep;
  close(): void;
}

export interface FloodOptions {
  /** requests in flight at most, 1 to 16 */
  window: number;
  /** new requests this step may send (0: only take replies) */
  budget: number;
  /** end the step after this many requests ended */
  maxReplies: number;
  /** ... or after this long */
  maxMs: number;
  /** a request is given up after this long (integer ms, ≥ 1) */
  timeoutMs: number;
  /** return `replies`: each good reply's number and round-trip time */
  details?: boolean;
}

export interface FloodStep {
  /** requests sent in this step, numbered firstSeq, firstSeq + 1, ... */
  sent: number;
  firstSeq: number;
  /** good replies (the text sent came back) */
  received: number;
  /** requests given up: no reply within the timeout */
  expired: number;
  /** requests still waited for */
  inflight: number;
  /** round-trip times of the good replies, in ns */
  rtt: { count: number; sum: number; sumSq: number; min: number; max: number };
  /** requests the kernel refused (error) or answered with other text (message) */
  failures: { seq: number; message?: string; error?: Error }[];
  /** a signal ended a wait: the event loop should get a turn */
  interrupted: boolean;
  /** with `details`: seq, rtt (ns), seq, rtt, ... of the good replies */
  replies?: Float64Array;
}

/** One generic-netlink socket bound to the vnet_nl family. */
export interface GenlSocket {
  readonly familyId: number;
  /**
   * How many times events for this socket were lost since it opened: the
   * kernel's ENOBUFS (the receive queue overran; one or more events were
   * dropped each time), an event too large for the receive buffer, or the
   * local queue of unread events (4096) overflowing.  An overrun never
   * fails a request: its reply is still read (a reply the kernel dropped
   * in the overrun fails with ENOBUFS at once).
   */
  readonly eventsLost: number;
  /** VNET_CMD_ECHO: returns the string the kernel sent back. */
  echo(message: string): string;
  /** VNET_CMD_GET doit. */
  get(dev: string | number): VnetState;
  /**
   * VNET_CMD_GET dumpit: every vnet device in this network namespace.  A
   * dump the kernel marks inconsistent (NLM_F_DUMP_INTR: devices changed
   * while it ran) is repeated, up to 3 attempts, then fails with EAGAIN.
   */
  dump(): VnetState[];
  /** VNET_CMD_SET; returns the new state. */
  set(req: RelaySetRequest): VnetState;
  /** VNET_CMD_RESET_STATS; returns the state after the reset. */
  resetStats(dev: string | number): VnetState;
  /** Joins the "events" group; then nextEvent() blocks up to timeoutMs. */
  subscribe(): void;
  /** The next event, or null after timeoutMs; a signal ends the wait with
   * a VnetSystemError whose code is 'EINTR'. */
  nextEvent(timeoutMs: number): VnetEvent | null;

  /* The same requests, asynchronous (see the top of this file). */
  echoAsync(message: string): Promise<string>;
  getAsync(dev: string | number): Promise<VnetState>;
  dumpAsync(): Promise<VnetState[]>;
  setAsync(req: RelaySetRequest): Promise<VnetState>;
  resetStatsAsync(dev: string | number): Promise<VnetState>;
  /**
   * Subscribes `listener` to the "events" group on a socket of its own.
   * Errors go to `onError` (without one, they are thrown as an uncaught
   * exception, like an EventEmitter's 'error'): a malformed event, or a
   * socket failure, which also ends the subscription.
   */
  watch(listener: (ev: VnetEvent) => void, onError?: (err: Error) => void): EventSubscription;
  /**
   * Closes the socket and stops its watch() subscriptions; requests in
   * flight finish, new ones fail with EBADF.
   */
  close(): void;
}

export interface VnetBinding {
  /** Every constant of the uapi header, as compiled into the addon. */
  readonly constants: Readonly<Record<string, number | string>>;

  /* Standard interface ioctls, as ifconfig issues them. */
  getInterface(ifname: string): InterfaceInfo;
  /** Interface names in the current network namespace (if_nameindex). */
  listInterfaces(): string[];
  setAddress(ifname: string, address: string): void; /* SIOCSIFADDR */
  setNetmask(ifname: string, netmask: string): void; /* SIOCSIFNETMASK */
  setMtu(ifname: string, mtu: number): void; /* SIOCSIFMTU */
  /** SIOCGIFFLAGS then SIOCSIFFLAGS; returns the flags now set. */
  changeFlags(ifname: string, set: number, clear: number): number;
  /** SIOCETHTOOL ETHTOOL_GDRVINFO: the driver's name ("vnet" for ours). */
  driverName(ifname: string): string;
  /** dev_get_stats() counters (e.g. from /sys/class/net/IF/statistics). */
  linkStats(ifname: string): LinkStats;
  linkStatsAsync(ifname: string): Promise<LinkStats>;
  setBroadcast(ifname: string, address: string): void; /* SIOCSIFBRDADDR */
  setTxqueuelen(ifname: string, txqueuelen: number): void; /* SIOCSIFTXQLEN */
  setHwAddress(ifname: string, mac: string): void; /* SIOCSIFHWADDR */
  /** RTM_NEWADDR (exclusive: EEXIST when present). */
  addAddress(ifname: string, addr: AddressSpec): void;
  /** RTM_DELADDR (EADDRNOTAVAIL when absent). */
  delAddress(ifname: string, addr: AddressSpec): void;

  /*
   * rtnetlink dumps: one consistent snapshot each.  dumpLinks(KIND): only
   * the links of that kind, filtered by the kernel -- when that kind's
   * driver is loaded, and from 4.19; otherwise all of them: check each
   * link's kind.
   */
  dumpLinks(kind?: string): LinkInfo[];
  /**
   * dumpAddresses(IFINDEX): that device's addresses only, filtered by the
   * kernel (NETLINK_GET_STRICT_CHK, 4.20+; by the addon before); ENODEV
   * when there is no such device.
   */
  dumpAddresses(ifindex?: number): AddressInfo[];

  /**
   * setns(2) into a network namespace (/run/netns/NAME, or an absolute
   * path) on the calling thread, like `ip -n NAME`: sockets opened from
   * then on belong to it, the asynchronous requests' included.  Call it
   * before anything else: a GenlSocket opened before stays in the old
   * namespace, and its asynchronous methods and watch() fail with EXDEV.
   */
  enterNetns(name: string): void;

  /* SIOCDEVPRIVATE ioctls on a vnet device. */
  resetStats(ifname: string): void;
  setRelay(ifname: string, info: RelayInfo): void;
  getRelay(ifname: string): RelayInfo;

  /* Generic netlink: throws ENOENT (syscall "genl_ctrl_resolve") when the
   * vnet_nl family is not registered, i.e. the module is not loaded. */
  openGenl(): GenlSocket;
  openGenlAsync(): Promise<GenlSocket>;
  /** Like openGenl(), for pipelined VNET_CMD_ECHO. */
  openEcho(): EchoSocket;
}
