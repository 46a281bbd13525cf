/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR MIT) */
/*
 * vnet - a virtual Ethernet interface that either loops its own traffic
 * back (loopback mode) or relays it to a slave interface through a drop
 * policy (relay mode, Rubini's "insane"), while receiving its own IPv4/ARP
 * traffic from that slave (Tsiliuric's "virt").
 *
 * This header is the single source of truth for the user-space ABI: the
 * kernel module, the Node addon and the command-line tools all build from
 * it.  Everything here is append-only.
 *
 * Two ways in:
 *
 * 1. SIOCDEVPRIVATE ioctls on any socket (socket(AF_INET, SOCK_DGRAM, 0)),
 *    with ifr_name naming a vnet device and ifr_data pointing to the
 *    argument (struct vnet_relay_info for SET/GET).  Mutating commands
 *    need CAP_NET_ADMIN over the device's network namespace.
 *
 * 2. The generic netlink family VNET_GENL_NAME (see enum vnet_cmd).
 *    Mutating commands need CAP_NET_ADMIN over the network namespace of
 *    the requesting socket, which is where the device is looked up.
 *    Every error carries an extended-ack message.
 *
 * Errors (ioctl return value / netlink error), the same on both paths:
 *   -EINVAL     bad mode or argument; slave is not an Ethernet device, or
 *               its MTU is below 68; name not NUL-terminated
 *   -ENODEV     the named slave (or device) does not exist, or the
 *               netlink target is not a vnet device
 *   -ELOOP      slave is the device itself, another vnet device, or a
 *               device stacked on this one (a macvlan or VLAN on it, a
 *               bridge or bond it is a port of): relaying would loop
 *   -EBUSY      slave already has another driver's rx_handler (bridge,
 *               bond, macvlan); vnet devices share a slave
 *   -EOPNOTSUPP slave takes no rx_handler (ipvlan, VRF); netconsole uses
 *               the device and the slave does not support netpoll;
 *               unknown SIOCDEVPRIVATE command
 *   -EPERM      the caller lacks CAP_NET_ADMIN for a mutating command
 *   -EFAULT     bad user pointer in ifr_data
 *
 * The slave is the device's lower device (sysfs upper_* and lower_*
 * links), so the kernel refuses any later topology that would loop.
 * While a slave is attached, the device cannot move to another network
 * namespace (EINVAL from the core, which has no extack text for it):
 * detach first.
 */
#ifndef _UAPI_LINUX_VNET_H
#define _UAPI_LINUX_VNET_H

#include <linux/types.h>
#include <linux/sockios.h>

/* Interface name size, equal to the kernel's IFNAMSIZ. */
#define VNET_IFNAMSIZ		16

/* ------------------------------------------------------------------ */
/* SIOCDEVPRIVATE ioctls                                               */
/* ------------------------------------------------------------------ */

/* Reset the device's statistics; ifr_data is ignored.  CAP_NET_ADMIN. */
#define VNET_IOCTL_RESET_STATS	(SIOCDEVPRIVATE + 0)
/* Set the relay configuration from a struct vnet_relay_info.  CAP_NET_ADMIN. */
#define VNET_IOCTL_SET_RELAY	(SIOCDEVPRIVATE + 1)
/* Get the relay configuration into a struct vnet_relay_info.  Unprivileged. */
#define VNET_IOCTL_GET_RELAY	(SIOCDEVPRIVATE + 2)

/*
 * Policy modes.  A device has a transmit policy (what it relays to its
 * slave; the ioctl's, and netlink's top-level attributes) and a receive
 * policy (what the slave's receive hook delivers to it; netlink only,
 * VNET_ATTR_RX_POLICY).  Every SET of a direction restarts its time
 * phase, its Markov chain and its draws (netlink: from VNET_ATTR_SEED
 * when given; otherwise, and always for the ioctl, from a random seed).
 *
 * VNET_MODE_PASS     let every packet through; the arguments are ignored
 *                    (read back as 0).
 * VNET_MODE_PERCENT  let arg1 percent of packets through (0..100) and
 *                    drop the rest, at random: arg1 is the share PASSED
 *                    (Rubini's meaning, the opposite of netem's "loss").
 *                    arg2..arg4 are ignored (read back as 0).
 * VNET_MODE_TIME     let packets through for arg1 milliseconds, then drop
 *                    for arg2 milliseconds, repeating; both >= 1.
 *                    Measured on the monotonic clock from the SET, never
 *                    in jiffies.  arg3, arg4 ignored.
 * VNET_MODE_GEMODEL  burst loss, netem's "loss gemodel": a two-state
 *                    Markov chain (Gilbert-Elliott), moved once per
 *                    packet.  arg1 = p, the probability of going from
 *                    the good state to the bad one; arg2 = r, from bad
 *                    to good; arg3 = 1-h, the loss probability in the bad
 *                    state; arg4 = 1-k, the loss probability in the good
 *                    state.  All four in parts per million (0..1000000:
 *                    1% = 10000).  The chain starts in the good state.
 *                    Expected loss (1-k)*r/(p+r) + (1-h)*p/(p+r); with
 *                    1-h = 100% and 1-k = 0, mean burst 1/r packets.  The
 *                    ioctl sets arg1 and arg2 (1-h = 100%, 1-k = 0).
 *
 * Dropped packets are counted in tx_dropped (rx_dropped for the receive
 * policy) and in the per-reason counters (VNET_STATS_TX_DROP_*,
 * VNET_STATS_RX_DROP_*), never in tx_packets (rx_packets).
 */
enum vnet_mode {
	VNET_MODE_PASS = 0,
	VNET_MODE_PERCENT = 1,
	VNET_MODE_TIME = 2,
	VNET_MODE_GEMODEL = 3,

	__VNET_MODE_MAX
};

/* Gilbert-Elliott probabilities are parts per million. */
#define VNET_PPM		1000000

/* Which policy a SET sets (VNET_ATTR_DIRECTION). */
enum vnet_direction {
	VNET_DIR_TX = 0,	/* the transmit policy (default; the ioctl's) */
	VNET_DIR_RX = 1,	/* the receive policy */
	VNET_DIR_BOTH = 2,	/* both, to the same policy, each its own draws */

	__VNET_DIR_MAX
};

#define VNET_DIR_MAX (__VNET_DIR_MAX - 1)

/* Longest auto-revert VNET_ATTR_REVERT_MS accepts: 7 days. */
#define VNET_REVERT_MS_MAX	(7U * 24 * 3600 * 1000)

#define VNET_MODE_MAX (__VNET_MODE_MAX - 1)

/*
 * Argument of VNET_IOCTL_SET_RELAY and VNET_IOCTL_GET_RELAY: Rubini's
 * struct insane_userinfo with fixed-width types, exactly 28 bytes and no
 * padding.
 *
 * name  the slave interface, NUL-terminated; "" on SET detaches the slave
 *       (back to loopback mode), "" on GET means no slave.  The slave is
 *       looked up in the device's network namespace.
 * mode  enum vnet_mode.
 * arg1  see enum vnet_mode.
 * arg2  see enum vnet_mode.
 */
struct vnet_relay_info {
	char	name[VNET_IFNAMSIZ];
	__s32	mode;
	__s32	arg1;
	__s32	arg2;
};

/* ------------------------------------------------------------------ */
/* Generic netlink                                                     */
/* ------------------------------------------------------------------ */

#define VNET_GENL_NAME		"vnet_nl"
#define VNET_GENL_VERSION	1
/* Multicast group announcing enum vnet_event messages (VNET_CMD_EVENT). */
#define VNET_GENL_MCGRP_EVENTS	"events"

/* Longest VNET_ATTR_MSG string ECHO accepts, not counting the final NUL. */
#define VNET_ECHO_MSG_MAX	4096

/*
 * Commands.  A device is named by VNET_ATTR_IFINDEX or VNET_ATTR_IFNAME
 * (the index wins when both are given), looked up in the requester's
 * network namespace; -ENODEV (with extack text saying which) when it
 * does not exist or is not a vnet device.
 *
 * VNET_CMD_ECHO         request: VNET_ATTR_MSG (required).  Reply: a
 *                       VNET_CMD_ECHO message with the same sequence
 *                       number carrying the same VNET_ATTR_MSG.
 *                       Unprivileged.
 * VNET_CMD_GET          doit: a device (required); reply: the device's
 *                       state (see "Device state" below).  dumpit: every
 *                       vnet device in the requester's namespace, one
 *                       message each.  Unprivileged.
 * VNET_CMD_SET          a device (required) and VNET_ATTR_MODE (required),
 *                       VNET_ATTR_ARG1..ARG4 (absent = 0, except arg3 of
 *                       gemodel, 1-h: absent = 100%), VNET_ATTR_SEED
 *                       (absent = random), VNET_ATTR_DIRECTION (absent =
 *                       transmit), VNET_ATTR_REVERT_MS (absent = 0 =
 *                       never: else the kernel sets the direction(s)
 *                       back to pass that many milliseconds later, raising
 *                       VNET_EVENT_REVERTED; any later SET of the
 *                       direction cancels it), and the slave as
 *                       VNET_ATTR_SLAVE_IFINDEX or VNET_ATTR_SLAVE_NAME
 *                       (0 or "" = detach; both absent = keep the current
 *                       slave).  Validated as a whole and applied
 *                       atomically: on error nothing changed.  Reply: the
 *                       device's new state.  CAP_NET_ADMIN.
 * VNET_CMD_RESET_STATS  a device (required); zeroes every counter the
 *                       driver owns.  Reply: the device's state.
 *                       CAP_NET_ADMIN.
 * VNET_CMD_EVENT        never a request: sent to the VNET_GENL_MCGRP_EVENTS
 *                       group in the device's network namespace with
 *                       VNET_ATTR_EVENT and the device's state;
 *                       VNET_EVENT_REVERTED also carries the
 *                       VNET_ATTR_DIRECTION that went back to pass.
 *
 * Device state: VNET_ATTR_IFINDEX, VNET_ATTR_IFNAME; the transmit policy
 * as VNET_ATTR_MODE, VNET_ATTR_ARG1..ARG4, VNET_ATTR_SEED and
 * VNET_ATTR_REVERT_MS (milliseconds left, only while a revert is
 * pending); the receive policy, the same attributes nested in
 * VNET_ATTR_RX_POLICY; VNET_ATTR_SLAVE_IFINDEX, VNET_ATTR_SLAVE_NAME and
 * VNET_ATTR_SLAVE_RP_FILTER (only while a slave is attached);
 * VNET_ATTR_STATS.
 *
 * Several vnet devices may share one slave: each receives the traffic for
 * its own addresses and has its own policies.
 *
 * VNET_ATTR_SLAVE_RP_FILTER is the IPv4 reverse-path filter the kernel
 * applies to frames arriving on the slave: the larger of the slave's and
 * "all"'s net.ipv4.conf.*.rp_filter (0 off, 1 strict, 2 loose).  With 1,
 * replies from a host routed through vnet arrive on the slave, fail the
 * strict check and are dropped; tools warn about it.
 */
enum vnet_cmd {
	VNET_CMD_UNSPEC,
	VNET_CMD_ECHO,
	VNET_CMD_GET,
	VNET_CMD_SET,
	VNET_CMD_RESET_STATS,
	VNET_CMD_EVENT,

	__VNET_CMD_MAX
};

#define VNET_CMD_MAX (__VNET_CMD_MAX - 1)

enum vnet_attr {
	VNET_ATTR_UNSPEC,
	VNET_ATTR_MSG,			/* string, NUL-terminated (ECHO) */
	VNET_ATTR_IFINDEX,		/* u32 */
	VNET_ATTR_IFNAME,		/* string, < VNET_IFNAMSIZ */
	VNET_ATTR_MODE,			/* u32, enum vnet_mode */
	VNET_ATTR_ARG1,			/* s32, see enum vnet_mode */
	VNET_ATTR_ARG2,			/* s32, see enum vnet_mode */
	VNET_ATTR_SEED,			/* u64, PRNG seed of the current SET */
	VNET_ATTR_SLAVE_IFINDEX,	/* u32, 0 = none */
	VNET_ATTR_SLAVE_NAME,		/* string, < VNET_IFNAMSIZ, "" = none */
	VNET_ATTR_STATS,		/* nested, enum vnet_stats_attr */
	VNET_ATTR_EVENT,		/* u32, enum vnet_event */
	VNET_ATTR_PAD,
	VNET_ATTR_SLAVE_RP_FILTER,	/* u32, 0 off, 1 strict, 2 loose */
	VNET_ATTR_ARG3,			/* s32, see enum vnet_mode */
	VNET_ATTR_ARG4,			/* s32, see enum vnet_mode */
	VNET_ATTR_DIRECTION,		/* u32, enum vnet_direction (SET) */
	VNET_ATTR_REVERT_MS,		/* u32, see VNET_CMD_SET */
	VNET_ATTR_RX_POLICY,		/* nested: MODE, ARG1..4, SEED, REVERT_MS */

	__VNET_ATTR_MAX
};

#define VNET_ATTR_MAX (__VNET_ATTR_MAX - 1)

/*
 * Counters, all u64, nested in VNET_ATTR_STATS and listed in the same
 * order by "ethtool -S" (with the names in the comments).  They count
 * since the device was created or its statistics were last reset.
 * ndo_get_stats64 ("ip -s link", /proc/net/dev) reports the same values;
 * the core adds its own drop counters on top (not reset).
 */
enum vnet_stats_attr {
	VNET_STATS_UNSPEC,
	VNET_STATS_PAD,
	VNET_STATS_RX_PACKETS,		/* rx_packets */
	VNET_STATS_RX_BYTES,		/* rx_bytes */
	VNET_STATS_TX_PACKETS,		/* tx_packets */
	VNET_STATS_TX_BYTES,		/* tx_bytes */
	VNET_STATS_RX_DROPPED,		/* rx_dropped: sum of the rx_drop_* */
	VNET_STATS_TX_DROPPED,		/* tx_dropped: sum of the tx_drop_* */
	VNET_STATS_TX_DROP_PERCENT,	/* tx_drop_percent: percent mode */
	VNET_STATS_TX_DROP_TIME,	/* tx_drop_time: time mode, drop window */
	VNET_STATS_TX_DROP_NO_SLAVE,	/* tx_drop_no_slave: slave gone or no carrier */
	VNET_STATS_TX_DROP_SLAVE,	/* tx_drop_slave: the slave refused it */
	VNET_STATS_SLAVE_LOST,		/* slave_lost: slaves detached on unregister */
	VNET_STATS_TX_DROP_GEMODEL,	/* tx_drop_gemodel: gemodel mode */
	/* rx_drop_delivery: loopback queue full or purged, short frame, no memory */
	VNET_STATS_RX_DROP_DELIVERY,
	VNET_STATS_RX_DROP_PERCENT,	/* rx_drop_percent: receive policy */
	VNET_STATS_RX_DROP_TIME,	/* rx_drop_time: receive policy */
	VNET_STATS_RX_DROP_GEMODEL,	/* rx_drop_gemodel: receive policy */

	__VNET_STATS_MAX
};

#define VNET_STATS_MAX (__VNET_STATS_MAX - 1)

/* Why a VNET_CMD_EVENT was sent. */
enum vnet_event {
	VNET_EVENT_UNSPEC,
	VNET_EVENT_CONFIG,		/* relay configuration changed (SET) */
	VNET_EVENT_SLAVE_LOST,		/* slave unregistered: back to loopback */
	VNET_EVENT_STATS_RESET,		/* statistics reset */
	VNET_EVENT_REVERTED,		/* an auto-revert set a policy to pass */

	__VNET_EVENT_MAX
};

#define VNET_EVENT_MAX (__VNET_EVENT_MAX - 1)

/* ------------------------------------------------------------------ */
/* rtnetlink: IFLA_INFO_DATA of "ip link add NAME [link DEV] type vnet" */
/* ------------------------------------------------------------------ */

#define VNET_LINK_KIND		"vnet"

/*
 * Optional on RTM_NEWLINK (the slave is IFLA_LINK); always reported by
 * RTM_GETLINK.  Same meaning and validation as on VNET_CMD_SET.
 */
enum {
	IFLA_VNET_UNSPEC,
	IFLA_VNET_MODE,			/* u32, enum vnet_mode */
	IFLA_VNET_ARG1,			/* s32 */
	IFLA_VNET_ARG2,			/* s32 */
	IFLA_VNET_SEED,			/* u64 */
	IFLA_VNET_PAD,
	IFLA_VNET_ARG3,			/* s32 */
	IFLA_VNET_ARG4,			/* s32 */

	__IFLA_VNET_MAX
};

#define IFLA_VNET_MAX (__IFLA_VNET_MAX - 1)

#endif /* _UAPI_LINUX_VNET_H */
