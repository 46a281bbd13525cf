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
 * failure; none returns an error value.
 */

/** 64-bit counters are exact: bigint, never number. */
export type Counter = bigint;

/** Rubini's struct insane_userinfo (struct vnet_relay_info), 28 bytes. */
export interface RelayInfo {
  /** slave interface; "" = none (loopback mode) */
  slave: string;
  /** enum vnet_mode: 0 pass, 1 percent, 2 time */
  mode: number;
  /** percent: share PASSED 0..100; time: relay window in ms */
  arg1: number;
  /** time: drop window in ms */
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
}

/** The device state a VNET_CMD_GET / SET / RESET_STATS reply carries. */
export interface VnetState {
  ifindex: number;
  ifname: string;
  mode: number;
  arg1: number;
  arg2: number;
  seed: bigint;
  /** 0 when no slave is attached */
  slaveIfindex: number;
  /** "" when no slave is attached */
  slaveName: string;
  /** the slave's effective IPv4 rp_filter (0 off, 1 strict, 2 loose);
   * absent when no slave is attached */
  slaveRpFilter?: number;
  stats: VnetStats;
}

/** A VNET_CMD_SET request: the whole relay configuration at once. */
export interface RelaySetRequest {
  /** the vnet device (name or ifindex) */
  dev: string | number;
  mode: number;
  arg1: number;
  arg2: number;
  /** absent: the kernel picks a random seed */
  seed?: bigint;
  /** "" detaches; absent keeps the current slave */
  slave?: string;
}

/** A VNET_CMD_EVENT multicast message. */
export interface VnetEvent {
  /** enum vnet_event */
  event: number;
  state: VnetState;
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
  /** The next reply, waiting up to timeoutMs; null on timeout. */
  receive(timeoutMs: number): EchoReply | null;
  close(): void;
}

/** One generic-netlink socket bound to the vnet_nl family. */
export interface GenlSocket {
  readonly familyId: number;
  /** VNET_CMD_ECHO: returns the string the kernel sent back. */
  echo(message: string): string;
  /** VNET_CMD_GET doit. */
  get(dev: string | number): VnetState;
  /** VNET_CMD_GET dumpit: every vnet device in this network namespace. */
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
  setBroadcast(ifname: string, address: string): void; /* SIOCSIFBRDADDR */
  setTxqueuelen(ifname: string, txqueuelen: number): void; /* SIOCSIFTXQLEN */
  setHwAddress(ifname: string, mac: string): void; /* SIOCSIFHWADDR */
  /** RTM_NEWADDR (exclusive: EEXIST when present). */
  addAddress(ifname: string, addr: AddressSpec): void;
  /** RTM_DELADDR (EADDRNOTAVAIL when absent). */
  delAddress(ifname: string, addr: AddressSpec): void;

  /* rtnetlink dumps: one consistent snapshot each. */
  dumpLinks(): LinkInfo[];
  dumpAddresses(): AddressInfo[];

  /**
   * setns(2) into a network namespace (/run/netns/NAME, or an absolute
   * path) on the calling thread, like `ip -n NAME`: sockets opened from
   * then on belong to it.  Call it before anything else.
   */
  enterNetns(name: string): void;

  /* SIOCDEVPRIVATE ioctls on a vnet device. */
  resetStats(ifname: string): void;
  setRelay(ifname: string, info: RelayInfo): void;
  getRelay(ifname: string): RelayInfo;

  /* Generic netlink: throws ENOENT (syscall "genl_ctrl_resolve") when the
   * vnet_nl family is not registered, i.e. the module is not loaded. */
  openGenl(): GenlSocket;
  /** Like openGenl(), for pipelined VNET_CMD_ECHO. */
  openEcho(): EchoSocket;
}
