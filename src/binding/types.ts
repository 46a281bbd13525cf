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

  /* SIOCDEVPRIVATE ioctls on a vnet device. */
  resetStats(ifname: string): void;
  setRelay(ifname: string, info: RelayInfo): void;
  getRelay(ifname: string): RelayInfo;

  /* Generic netlink: throws ENOENT (syscall "genl_ctrl_resolve") when the
   * vnet_nl family is not registered, i.e. the module is not loaded. */
  openGenl(): GenlSocket;
}
