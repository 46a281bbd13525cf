/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vnet private header: the device's private state and the interfaces
 * between the files of the module (one file per concern):
 *
 *   main.c     module parameters, init/exit, devices created at load
 *   netdev.c   net_device ops, loopback mode (NAPI), xmit dispatch, MTU
 *   policy.c   the drop policies (pass, percent, time, gemodel), relayed
 *              transmit
 *   revert.c   auto-revert of a policy to pass
 *   slave.c    attaching, following and releasing the slave; netpoll
 *   port.c     the per-slave port several vnet devices share
 *   rx.c       the slave's rx_handler and the address table it reads
 *   notify.c   netdevice and inetaddr notifiers
 *   ioctl.c    SIOCDEVPRIVATE commands
 *   netlink.c  generic netlink family "vnet_nl"
 *   link.c     rtnl_link_ops ("ip link add ... type vnet")
 *   stats.c    per-cpu counters, reset baseline, ethtool
 */
#ifndef _VNET_PRIV_H
#define _VNET_PRIV_H

#include <linux/netdevice.h>
#include <linux/rcupdate.h>
#include <linux/rtnetlink.h>
#include <linux/skbuff.h>
#include <linux/spinlock.h>
#include <linux/u64_stats_sync.h>
#include <uapi/linux/vnet.h>

struct netpoll;

#include "compat.h"

#define VNET_DRV_NAME		"vnet"
#define VNET_DRV_VERSION	"0.1.0"

/* Loopback mode: frames queued before the TX queue is stopped. */
#define VNET_LOOP_QLEN		256
/* ... and woken again once the queue has drained to this. */
#define VNET_LOOP_WAKE		(VNET_LOOP_QLEN / 2)

/*
 * Counter indices: enum vnet_stats_attr shifted to start at 0, so that
 * the uapi header stays the one list of counters.  VNET_STAT_TX_DROPPED
 * and VNET_STAT_RX_DROPPED are never incremented: readers compute them as
 * the sums of their reasons.
 */
#define VNET_STAT(attr)		((attr) - VNET_STATS_RX_PACKETS)
#define VNET_STAT_NUM		VNET_STAT(__VNET_STATS_MAX)

struct vnet_pcpu_stats {
	u64_stats_t		cnt[VNET_STAT_NUM];
	struct u64_stats_sync	syncp;
};

/* The two policies of a device: what it relays, what it receives. */
enum vnet_dir {
	VNET_TX,
	VNET_RX,
	VNET_NDIRS
};

/*
 * A drop policy.  Immutable once published but for its draw counters and
 * gemodel's chain state: a SET builds a new one and swaps the RCU
 * pointer, so the xmit and receive paths see either the old policy or
 * the new one, never a mix.  The slave is not part of it (see
 * vnet_priv.slave), so letting the slave go never allocates.
 */
struct vnet_cfg {
	s32			mode;		/* enum vnet_mode */
	s32			arg1;
	s32			arg2;
	s32			arg3;
	s32			arg4;
	u64			seed;
	u64			on_ns;		/* time mode: relay window */
	u64			period_ns;	/* time mode: relay + drop */
	ktime_t			start;		/* time mode: phase origin */
	/*
	 * The draws of percent and gemodel modes (policy.c): the k-th draw
	 * is a hash of the seed and k, so no lock and no generator state.
	 * With a seed the user chose, k counts the policy's draws (one
	 * atomic increment per draw: the same seed and frame sequence give
	 * the same decisions on any CPU); with a random seed each CPU counts
	 * its own draws (no shared write at all).  Born with the cfg, so a
	 * SET swaps policy and sequence together.
	 */
	bool			shared_draws;
	atomic64_t		draws;
	u64 __percpu		*cpu_draws;
	/* gemodel: the chain's state; ge_lock protects ge_bad. */
	spinlock_t		ge_lock;
	bool			ge_bad;
	struct rcu_head		rcu;
};

/*
 * An auto-revert of one direction to pass (revert.c).  The work holds a
 * reference on the device while it is pending.  RTNL.
 */
struct vnet_revert {
	struct delayed_work	work;
	struct vnet_priv	*priv;
	enum vnet_dir		dir;
	u64			deadline_ns;	/* ktime_get_ns(); 0: none */
	netdevice_tracker	tracker;
};

/*
 * The port of a slave: one rx_handler (its rx_handler_data) shared by
 * every vnet device that relays to the slave, as macvlan and ipvlan share
 * theirs.  Gone with the last of them.  RTNL writes, RCU reads.
 */
struct vnet_port {
	struct net_device	*slave;
	struct list_head	vnets;		/* vnet_priv.port_node */
	struct rcu_head		rcu;
};

/*
 * The device's IPv4 addresses for the rx_handler, rebuilt under RTNL by
 * the inetaddr notifier (for the device and for its slave) and on every
 * change of slave.  An address the slave has too is "shared": the slave
 * keeps its traffic (see rx.c).
 */
struct vnet_addr {
	__be32			addr;
	bool			shared;
};

struct vnet_addrs {
	struct rcu_head		rcu;
	unsigned int		count;
	struct vnet_addr	a[];
};

struct vnet_priv {
	struct net_device	*dev;

	/* Written under RTNL, read under RCU (xmit, rx_handler). */
	struct vnet_cfg __rcu	*cfg[VNET_NDIRS];
	struct net_device __rcu	*slave;		/* NULL: loopback mode */
	struct vnet_addrs __rcu	*addrs;
	/* The reference the device holds on its slave.  RTNL. */
	netdevice_tracker	slave_tracker;
	/* The slave's port, and this device's place in its list.  RTNL. */
	struct vnet_port	*port;
	struct list_head	port_node;
	struct vnet_revert	revert[VNET_NDIRS];
#ifdef CONFIG_NET_POLL_CONTROLLER
	/* netpoll on the slave while netpoll (netconsole) runs on dev. */
	struct netpoll __rcu	*netpoll;
#endif

	/* Loopback mode: TX queues here, NAPI delivers it back as RX. */
	struct sk_buff_head	loopq;
	struct napi_struct	napi;

	/* The device's own MAC, restored when the slave goes. RTNL. */
	u8			own_addr[ETH_ALEN];
	/* Set while slave.c itself changes the MAC. RTNL. */
	bool			mac_internal;
	/* The MTU the admin asked for; the slave may hold it lower. RTNL. */
	unsigned int		want_mtu;
	/* Set while slave.c itself changes the MTU. RTNL. */
	bool			mtu_internal;
	/* IFF_SLAVE held for addrconf's sake (notify.c, < 6.2). RTNL. */
	bool			addrconf_guarded;

	struct vnet_pcpu_stats __percpu *stats;
	/* base_lock protects base: the counters' values at the last reset. */
	spinlock_t		base_lock;
	u64			base[VNET_STAT_NUM];
};

/* A relay configuration request, from the ioctl, netlink or rtnetlink. */
enum vnet_slave_op {
	VNET_SLAVE_KEEP,	/* leave the current slave attached */
	VNET_SLAVE_NONE,	/* detach: loopback mode */
	VNET_SLAVE_NAME,	/* attach slave_name */
	VNET_SLAVE_INDEX,	/* attach slave_ifindex */
};

struct vnet_relay_req {
	enum vnet_slave_op	slave_op;
	char			slave_name[IFNAMSIZ];
	int			slave_ifindex;
	s32			mode;
	s32			arg1;
	s32			arg2;
	s32			arg3;
	s32			arg4;
	bool			seeded;
	u64			seed;
	u32			dir;		/* enum vnet_direction */
	u32			revert_ms;	/* 0: no auto-revert */
	/* Where each field came from, for extack (NULL: not netlink). */
	const struct nlattr	*mode_attr;
	const struct nlattr	*arg1_attr;
	const struct nlattr	*arg2_attr;
	const struct nlattr	*arg3_attr;
	const struct nlattr	*arg4_attr;
	const struct nlattr	*dir_attr;
	const struct nlattr	*revert_attr;
	const struct nlattr	*slave_attr;
};

/* Fills arguments a mode does not read with its defaults (gemodel's 1-h). */
void vnet_relay_req_defaults(struct vnet_relay_req *req);

extern int vnet_debug;

#define vnet_dbg(dev, fmt, ...)						\
	do {								\
		if (unlikely(READ_ONCE(vnet_debug)))			\
			netdev_info(dev, fmt, ##__VA_ARGS__);		\
	} while (0)

/* netdev.c */
extern const struct net_device_ops vnet_netdev_ops;
void vnet_setup(struct net_device *dev);

static inline bool vnet_is_vnet(const struct net_device *dev)
{
	return dev->netdev_ops == &vnet_netdev_ops;
}

/* policy.c */
int vnet_policy_validate(const struct vnet_relay_req *req,
			 struct netlink_ext_ack *extack);
struct vnet_cfg *vnet_cfg_alloc(const struct vnet_relay_req *req);
struct vnet_cfg *vnet_cfg_alloc_default(void);
void vnet_cfg_free(struct vnet_cfg *cfg);
void vnet_cfg_replace(struct vnet_priv *priv, enum vnet_dir dir,
		      struct vnet_cfg *cfg);
unsigned int vnet_policy(struct vnet_cfg *cfg, enum vnet_dir dir);
netdev_tx_t vnet_relay_xmit(struct vnet_priv *priv, struct net_device *slave,
			    struct sk_buff *skb);

static inline struct vnet_cfg *vnet_cfg_rtnl(struct vnet_priv *priv,
					     enum vnet_dir dir)
{
	return rtnl_dereference(priv->cfg[dir]);
}

/* revert.c */
int vnet_revert_init(void);
void vnet_revert_exit(void);
void vnet_revert_setup(struct vnet_priv *priv);
void vnet_revert_arm(struct vnet_priv *priv, enum vnet_dir dir, u32 ms);
void vnet_revert_cancel(struct vnet_priv *priv, enum vnet_dir dir);
u32 vnet_revert_left_ms(const struct vnet_priv *priv, enum vnet_dir dir);

/* port.c */
struct vnet_port *vnet_port_get(struct net_device *slave,
				struct netlink_ext_ack *extack);
void vnet_port_put_unused(struct vnet_port *port);
void vnet_port_add(struct vnet_priv *priv, struct vnet_port *port);
void vnet_port_leave(struct vnet_priv *priv);

static inline struct vnet_port *vnet_port_rtnl(const struct net_device *slave)
{
	return rtnl_dereference(slave->rx_handler_data);
}

/* slave.c */
struct net_device *vnet_slave_find(struct net *net,
				   const struct vnet_relay_req *req,
				   struct netlink_ext_ack *extack);
int vnet_slave_check(struct vnet_priv *priv, struct net_device *slave,
		     const struct nlattr *attr, struct netlink_ext_ack *extack);
int vnet_relay_set(struct vnet_priv *priv, const struct vnet_relay_req *req,
		   struct netlink_ext_ack *extack);
void vnet_relay_detach(struct vnet_priv *priv);
void vnet_slave_lost(struct vnet_priv *priv, struct net_device *slave);
void vnet_slave_follow_mtu(struct vnet_priv *priv, struct net_device *slave);
void vnet_slave_follow_mac(struct vnet_priv *priv, struct net_device *slave);
void vnet_sync_carrier(struct vnet_priv *priv, struct net_device *slave);
int vnet_netpoll_setup(struct net_device *dev);
void vnet_netpoll_cleanup(struct net_device *dev);

static inline struct net_device *vnet_slave_rtnl(struct vnet_priv *priv)
{
	return rtnl_dereference(priv->slave);
}

/* rx.c */
rx_handler_result_t vnet_handle_frame(struct sk_buff **pskb);
void vnet_addrs_update(struct vnet_priv *priv);
u32 vnet_slave_rp_filter(struct net_device *slave);

static inline bool vnet_is_slave(const struct net_device *dev)
{
	return rcu_access_pointer(dev->rx_handler) == &vnet_handle_frame;
}

/* notify.c */
int vnet_notifiers_register(void);
void vnet_notifiers_unregister(void);

/* ioctl.c */
int vnet_siocdevprivate(struct net_device *dev, struct ifreq *ifr,
			void __user *data, int cmd);

/* netlink.c */
int vnet_genl_register(void);
void vnet_genl_unregister(void);
void vnet_genl_notify(struct vnet_priv *priv, u32 event);
void vnet_genl_notify_dir(struct vnet_priv *priv, u32 event, u32 dir);

/* link.c */
extern struct rtnl_link_ops vnet_link_ops;

/* stats.c */
extern const struct ethtool_ops vnet_ethtool_ops;
int vnet_stats_init(struct vnet_priv *priv);
void vnet_stats_free(struct vnet_priv *priv);
void vnet_stats_read(struct vnet_priv *priv, u64 out[VNET_STAT_NUM]);
void vnet_stats_reset(struct vnet_priv *priv);
void vnet_get_stats64(struct net_device *dev,
		      struct rtnl_link_stats64 *stats);

/* Callers run with BH disabled (xmit, NAPI, rx_handler). */
static inline void vnet_stats_add(struct vnet_priv *priv, unsigned int idx,
				  u64 val)
{
	struct vnet_pcpu_stats *s = this_cpu_ptr(priv->stats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_add(&s->cnt[idx], val);
	u64_stats_update_end(&s->syncp);
}

static inline void vnet_stats_inc(struct vnet_priv *priv, unsigned int idx)
{
	vnet_stats_add(priv, idx, 1);
}

/* The same from process context. */
static inline void vnet_stats_inc_bh(struct vnet_priv *priv, unsigned int idx)
{
	local_bh_disable();
	vnet_stats_inc(priv, idx);
	local_bh_enable();
}

static inline void vnet_stats_packet(struct vnet_priv *priv,
				     unsigned int packets_idx,
				     unsigned int len)
{
	struct vnet_pcpu_stats *s = this_cpu_ptr(priv->stats);

	/* bytes always follow packets in enum vnet_stats_attr */
	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->cnt[packets_idx]);
	u64_stats_add(&s->cnt[packets_idx + 1], len);
	u64_stats_update_end(&s->syncp);
}

#endif /* _VNET_PRIV_H */
