// SPDX-License-Identifier: GPL-2.0
/*
 * vnet relay mode: Rubini's "insane" policy on transmit, Tsiliuric's
 * "virt" on receive, and the slave's lifecycle.
 *
 * Transmit: each frame passes the policy (pass, percent, time) and goes
 * out on the slave with dev_queue_xmit(), or is freed and counted by
 * reason.  The configuration, the slave pointer and the PRNG travel
 * together in one RCU-published struct vnet_cfg: the xmit path takes no
 * global lock and allocates nothing.
 *
 * Receive: an rx_handler on the slave hands the vnet device the frames
 * that are ARP for one of its IPv4 addresses or unicast IPv4 to one of
 * them; everything else goes on to the slave, which keeps working.
 *
 * Lifecycle: a netdevice notifier follows the slave's carrier, MAC and
 * MTU, and detaches it cleanly when it is unregistered; an inetaddr
 * notifier keeps the device's address list for the rx_handler.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/inetdevice.h>
#include <linux/ip.h>
#include <linux/math64.h>
#include <net/addrconf.h>

#include "vnet_priv.h"

/* ------------------------------------------------------------------ */
/* Configuration objects                                               */
/* ------------------------------------------------------------------ */

static void vnet_cfg_seed(struct vnet_cfg *cfg, u64 seed)
{
	cfg->seed = seed;
	spin_lock_init(&cfg->rnd_lock);
	prandom_seed_state(&cfg->rnd, seed);
	cfg->start = ktime_get();
}

struct vnet_cfg *vnet_cfg_alloc_default(void)
{
	struct vnet_cfg *cfg = kzalloc(sizeof(*cfg), GFP_KERNEL);

	if (cfg)
		vnet_cfg_seed(cfg, get_random_u64());
	return cfg;
}

void vnet_cfg_free(struct vnet_cfg *cfg)
{
	if (!cfg)
		return;
	netdev_put(cfg->slave, &cfg->slave_tracker);
	kfree(cfg);
}

static void vnet_cfg_free_rcu(struct rcu_head *head)
{
	vnet_cfg_free(container_of(head, struct vnet_cfg, rcu));
}

static void vnet_cfg_set_slave(struct vnet_cfg *cfg, struct net_device *slave)
{
	cfg->slave = slave;
	netdev_hold(slave, &cfg->slave_tracker, GFP_KERNEL);
}

/* Swap in @cfg; the caller frees the old one after its readers are gone. */
static struct vnet_cfg *vnet_cfg_swap(struct vnet_priv *priv,
				      struct vnet_cfg *cfg)
{
	struct vnet_cfg *old = vnet_cfg_rtnl(priv);

	rcu_assign_pointer(priv->cfg, cfg);
	return old;
}

/* ------------------------------------------------------------------ */
/* Transmit                                                            */
/* ------------------------------------------------------------------ */

/* Returns 0 to relay, or the drop reason's counter index. */
static unsigned int vnet_policy(struct vnet_cfg *cfg)
{
	u32 rnd;
	u64 rem;

	switch (cfg->mode) {
	case VNET_MODE_PERCENT:
		spin_lock(&cfg->rnd_lock);
		rnd = prandom_u32_state(&cfg->rnd);
		spin_unlock(&cfg->rnd_lock);
		if (reciprocal_scale(rnd, 100) < (u32)cfg->arg1)
			return 0;
		return VNET_STAT(VNET_STATS_TX_DROP_PERCENT);
	case VNET_MODE_TIME:
		div64_u64_rem(ktime_to_ns(ktime_sub(ktime_get(), cfg->start)),
			      cfg->period_ns, &rem);
		if (rem < cfg->on_ns)
			return 0;
		return VNET_STAT(VNET_STATS_TX_DROP_TIME);
	default:
		return 0;
	}
}

/* Called from vnet_xmit() under rcu_read_lock_bh(). */
netdev_tx_t vnet_relay_xmit(struct vnet_priv *priv, struct vnet_cfg *cfg,
			    struct sk_buff *skb)
{
	struct net_device *slave = cfg->slave;
	unsigned int len = skb->len;
	unsigned int drop;
	int ret;

	drop = vnet_policy(cfg);
	if (drop)
		goto drop;

	if (unlikely(!netif_running(slave) || !netif_carrier_ok(slave))) {
		drop = VNET_STAT(VNET_STATS_TX_DROP_NO_SLAVE);
		goto drop;
	}

	skb->dev = slave;
	ret = dev_queue_xmit(skb);
	if (likely(ret == NET_XMIT_SUCCESS || ret == NET_XMIT_CN))
		vnet_stats_packet(priv, VNET_STAT(VNET_STATS_TX_PACKETS), len);
	else
		vnet_stats_inc(priv, VNET_STAT(VNET_STATS_TX_DROP_SLAVE));
	return NETDEV_TX_OK;

drop:
	kfree_skb(skb);
	vnet_stats_inc(priv, drop);
	return NETDEV_TX_OK;
}

/* ------------------------------------------------------------------ */
/* Receive                                                             */
/* ------------------------------------------------------------------ */

static bool vnet_addr_is_mine(struct vnet_priv *priv, __be32 addr)
{
	const struct vnet_addrs *a = rcu_dereference(priv->addrs);
	unsigned int i;

	for (i = 0; a && i < a->count; i++)
		if (a->addr[i] == addr)
			return true;
	return false;
}

/* The IPv4 address a frame is for, or 0 if vnet never takes it. */
static __be32 vnet_frame_target(const struct sk_buff *skb)
{
	switch (skb->protocol) {
	case htons(ETH_P_IP): {
		const struct iphdr *iph;
		struct iphdr _iph;

		if (skb->pkt_type != PACKET_HOST)
			return 0;
		iph = skb_header_pointer(skb, 0, sizeof(_iph), &_iph);
		return iph ? iph->daddr : 0;
	}
	case htons(ETH_P_ARP): {
		/* arphdr, then sender MAC and IP, target MAC and IP */
		const unsigned int tip_off = sizeof(struct arphdr) +
					     2 * ETH_ALEN + sizeof(__be32);
		const struct arphdr *arp;
		struct arphdr _arp;
		__be32 _tip;
		const __be32 *tip;

		arp = skb_header_pointer(skb, 0, sizeof(_arp), &_arp);
		if (!arp || arp->ar_hrd != htons(ARPHRD_ETHER) ||
		    arp->ar_pro != htons(ETH_P_IP) ||
		    arp->ar_hln != ETH_ALEN || arp->ar_pln != sizeof(__be32))
			return 0;
		tip = skb_header_pointer(skb, tip_off, sizeof(_tip), &_tip);
		return tip ? *tip : 0;
	}
	default:
		return 0;
	}
}

/*
 * The reverse-path filter the kernel applies on @slave (0, 1 strict,
 * 2 loose): strict filtering drops replies from hosts routed through
 * vnet when they arrive on the slave.  Any context.
 */
u32 vnet_slave_rp_filter(struct net_device *slave)
{
	struct in_device *in_dev;
	u32 rp = 0;

	rcu_read_lock();
	in_dev = __in_dev_get_rcu(slave);
	if (in_dev)
		rp = IN_DEV_RPFILTER(in_dev);
	rcu_read_unlock();
	return rp;
}

static rx_handler_result_t vnet_handle_frame(struct sk_buff **pskb)
{
	struct sk_buff *skb = *pskb;
	struct vnet_priv *priv = rcu_dereference(skb->dev->rx_handler_data);
	struct net_device *dev = priv->dev;
	__be32 target;

	if (!netif_running(dev) || skb->pkt_type == PACKET_LOOPBACK)
		return RX_HANDLER_PASS;

	target = vnet_frame_target(skb);
	if (!target || !vnet_addr_is_mine(priv, target))
		return RX_HANDLER_PASS;

	skb = skb_share_check(skb, GFP_ATOMIC);
	if (unlikely(!skb)) {
		vnet_stats_inc(priv, VNET_STAT(VNET_STATS_RX_DROPPED));
		return RX_HANDLER_CONSUMED;
	}
	skb->dev = dev;
	vnet_stats_packet(priv, VNET_STAT(VNET_STATS_RX_PACKETS),
			  skb->len + ETH_HLEN);
	*pskb = skb;
	return RX_HANDLER_ANOTHER;
}

static bool vnet_is_slave(const struct net_device *dev)
{
	return rcu_access_pointer(dev->rx_handler) == vnet_handle_frame;
}

/* ------------------------------------------------------------------ */
/* Following the slave                                                 */
/* ------------------------------------------------------------------ */

static int vnet_set_mac(struct vnet_priv *priv, const u8 *addr,
			struct netlink_ext_ack *extack)
{
	int err;

	if (ether_addr_equal(priv->dev->dev_addr, addr))
		return 0;
	priv->mac_internal = true;
	err = vnet_compat_set_mac(priv->dev, addr, extack);
	priv->mac_internal = false;
	return err;
}

static void vnet_sync_carrier(struct vnet_priv *priv, struct net_device *slave)
{
	if (netif_running(slave) && netif_carrier_ok(slave))
		netif_stacked_transfer_operstate(slave, priv->dev);
	else
		netif_carrier_off(priv->dev);
}

static void vnet_follow_mtu(struct vnet_priv *priv, struct net_device *slave)
{
	struct net_device *dev = priv->dev;

	dev->max_mtu = slave->mtu;
	if (dev->mtu != slave->mtu && dev_set_mtu(dev, slave->mtu))
		netdev_warn(dev, "cannot follow %s's MTU %u\n",
			    slave->name, slave->mtu);
}

/* ------------------------------------------------------------------ */
/* Attach, detach, SET                                                 */
/* ------------------------------------------------------------------ */

static int vnet_relay_validate(const struct vnet_relay_req *req,
			       struct netlink_ext_ack *extack)
{
	switch (req->mode) {
	case VNET_MODE_PASS:
		return 0;
	case VNET_MODE_PERCENT:
		if (req->arg1 < 0 || req->arg1 > 100) {
			NL_SET_ERR_MSG_MOD(extack,
					   "percent mode: arg1, the share of packets passed, must be 0..100");
			return -EINVAL;
		}
		return 0;
	case VNET_MODE_TIME:
		if (req->arg1 < 1 || req->arg2 < 1) {
			NL_SET_ERR_MSG_MOD(extack,
					   "time mode: relay (arg1) and drop (arg2) windows must be at least 1 ms");
			return -EINVAL;
		}
		return 0;
	default:
		NL_SET_ERR_MSG_MOD(extack, "unknown mode");
		return -EINVAL;
	}
}

/* The slave a request names (NULL for none), checked, or an ERR_PTR. */
static struct net_device *vnet_slave_lookup(struct vnet_priv *priv,
					    const struct vnet_relay_req *req,
					    struct netlink_ext_ack *extack)
{
	struct net_device *cur = vnet_cfg_rtnl(priv)->slave;
	struct net *net = dev_net(priv->dev);
	struct net_device *slave;

	switch (req->slave_op) {
	case VNET_SLAVE_KEEP:
		return cur;
	case VNET_SLAVE_NAME:
		slave = __dev_get_by_name(net, req->slave_name);
		break;
	case VNET_SLAVE_INDEX:
		slave = __dev_get_by_index(net, req->slave_ifindex);
		break;
	default:
		return NULL;
	}

	if (!slave) {
		NL_SET_ERR_MSG_MOD(extack, "slave interface not found");
		return ERR_PTR(-ENODEV);
	}
	if (slave == cur)
		return slave;
	if (slave == priv->dev || vnet_is_vnet(slave)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "cannot relay to itself or to another vnet device");
		return ERR_PTR(-ELOOP);
	}
	if (slave->type != ARPHRD_ETHER || slave->addr_len != ETH_ALEN ||
	    (slave->flags & IFF_LOOPBACK)) {
		NL_SET_ERR_MSG_MOD(extack, "slave is not an Ethernet device");
		return ERR_PTR(-EINVAL);
	}
	if (netdev_is_rx_handler_busy(slave)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "slave already has a receive handler (bridge, bond, macvlan or vnet)");
		return ERR_PTR(-EBUSY);
	}
	return slave;
}

/*
 * Everything about taking @slave that can fail, before the new
 * configuration is published: on error the device is as it was.
 */
static int vnet_adopt_slave(struct vnet_priv *priv, struct net_device *slave,
			    struct netlink_ext_ack *extack)
{
	struct net_device *dev = priv->dev;
	unsigned int old_mtu = dev->mtu;
	u8 old_addr[ETH_ALEN];
	int err;

	ether_addr_copy(old_addr, dev->dev_addr);

	err = netdev_rx_handler_register(slave, vnet_handle_frame, priv);
	if (err) {
		NL_SET_ERR_MSG_MOD(extack,
				   "slave already has a receive handler (bridge, bond, macvlan or vnet)");
		return err;
	}
	if (dev->mtu > slave->mtu) {
		err = dev_set_mtu(dev, slave->mtu);
		if (err)
			goto err_unregister_rx_handler;
	}
	err = vnet_set_mac(priv, slave->dev_addr, extack);
	if (err)
		goto err_restore_mtu;
	if (dev->flags & IFF_NOARP) {
		err = dev_change_flags(dev, dev->flags & ~IFF_NOARP, extack);
		if (err)
			goto err_restore_mac;
	}
	dev->max_mtu = slave->mtu;
	vnet_compat_set_netns_local(dev, true);
	return 0;

err_restore_mac:
	vnet_set_mac(priv, old_addr, NULL);
err_restore_mtu:
	if (dev->mtu != old_mtu)
		dev_set_mtu(dev, old_mtu);
err_unregister_rx_handler:
	netdev_rx_handler_unregister(slave);
	return err;
}

/* Back to loopback mode's identity: own MAC, NOARP, any MTU, carrier. */
static void vnet_restore_loopback(struct vnet_priv *priv)
{
	struct net_device *dev = priv->dev;

	dev->max_mtu = ETH_MAX_MTU;
	vnet_compat_set_netns_local(dev, false);
	if (vnet_set_mac(priv, priv->own_addr, NULL))
		netdev_warn(dev, "cannot restore own MAC address\n");
	if (!(dev->flags & IFF_NOARP) &&
	    dev_change_flags(dev, dev->flags | IFF_NOARP, NULL))
		netdev_warn(dev, "cannot turn ARP off\n");
	netif_carrier_on(dev);
}

/*
 * Publish @cfg, then let the old slave go if @cfg has another one:
 * unregistering its rx_handler waits for every reader of the old
 * configuration, which only then drops its reference.
 */
static void vnet_cfg_commit(struct vnet_priv *priv, struct vnet_cfg *cfg)
{
	struct vnet_cfg *old = vnet_cfg_swap(priv, cfg);

	if (old->slave && old->slave != cfg->slave)
		netdev_rx_handler_unregister(old->slave);
	call_rcu(&old->rcu, vnet_cfg_free_rcu);
}

int vnet_relay_set(struct vnet_priv *priv, const struct vnet_relay_req *req,
		   struct netlink_ext_ack *extack)
{
	struct vnet_cfg *cur = vnet_cfg_rtnl(priv);
	struct net_device *slave, *old_slave = cur->slave;
	struct vnet_cfg *cfg;
	int err;

	ASSERT_RTNL();

	err = vnet_relay_validate(req, extack);
	if (err)
		return err;
	slave = vnet_slave_lookup(priv, req, extack);
	if (IS_ERR(slave))
		return PTR_ERR(slave);

	cfg = kzalloc(sizeof(*cfg), GFP_KERNEL);
	if (!cfg)
		return -ENOMEM;
	cfg->mode = req->mode;
	if (req->mode != VNET_MODE_PASS)
		cfg->arg1 = req->arg1;
	if (req->mode == VNET_MODE_TIME) {
		cfg->arg2 = req->arg2;
		cfg->on_ns = (u64)req->arg1 * NSEC_PER_MSEC;
		cfg->period_ns = cfg->on_ns + (u64)req->arg2 * NSEC_PER_MSEC;
	}
	vnet_cfg_seed(cfg, req->seeded ? req->seed : get_random_u64());
	if (slave)
		vnet_cfg_set_slave(cfg, slave);

	if (slave && slave != old_slave) {
		err = vnet_adopt_slave(priv, slave, extack);
		if (err)
			goto err_free_cfg;
	}

	vnet_cfg_commit(priv, cfg);

	if (slave && slave != old_slave) {
		/* a carrier event, so operstate is computed now */
		netif_carrier_off(priv->dev);
		vnet_sync_carrier(priv, slave);
	} else if (!slave && old_slave) {
		vnet_restore_loopback(priv);
	}

	vnet_dbg(priv->dev, "relay: slave %s mode %d args %d %d seed %llu\n",
		 slave ? slave->name : "(none)", cfg->mode, cfg->arg1,
		 cfg->arg2, cfg->seed);
	vnet_genl_notify(priv, VNET_EVENT_CONFIG);
	return 0;

err_free_cfg:
	vnet_cfg_free(cfg);
	return err;
}

/*
 * The same configuration without its slave; cannot fail.  The PRNG
 * carries on where it was (copied under its lock).
 */
static void vnet_drop_slave(struct vnet_priv *priv)
{
	struct vnet_cfg *cur = vnet_cfg_rtnl(priv);
	struct vnet_cfg *cfg;

	cfg = kzalloc(sizeof(*cfg), GFP_KERNEL | __GFP_NOFAIL);
	cfg->mode = cur->mode;
	cfg->arg1 = cur->arg1;
	cfg->arg2 = cur->arg2;
	cfg->on_ns = cur->on_ns;
	cfg->period_ns = cur->period_ns;
	vnet_cfg_seed(cfg, cur->seed);
	cfg->start = cur->start;
	spin_lock_bh(&cur->rnd_lock);
	cfg->rnd = cur->rnd;
	spin_unlock_bh(&cur->rnd_lock);
	vnet_cfg_commit(priv, cfg);
}

/* The device is being unregistered (ndo_uninit): let its slave go. */
void vnet_relay_detach(struct vnet_priv *priv)
{
	if (vnet_cfg_rtnl(priv)->slave)
		vnet_drop_slave(priv);
}

/* The slave is being unregistered: back to loopback mode, and say so. */
static void vnet_slave_lost(struct vnet_priv *priv, struct net_device *slave)
{
	netdev_info(priv->dev, "slave %s unregistered: back to loopback mode\n",
		    slave->name);
	vnet_drop_slave(priv);
	vnet_stats_inc_bh(priv, VNET_STAT(VNET_STATS_SLAVE_LOST));
	if (priv->dev->reg_state != NETREG_REGISTERED)
		return;
	vnet_restore_loopback(priv);
	vnet_genl_notify(priv, VNET_EVENT_SLAVE_LOST);
}

/* ------------------------------------------------------------------ */
/* Notifiers                                                           */
/* ------------------------------------------------------------------ */

/* Relay mode is IPv4 only: never autoconfigure IPv6 (a link-local
 * address would duplicate the slave's, whose MAC the device takes).
 */
static void vnet_no_addrconf(struct net_device *dev)
{
	struct inet6_dev *idev = __in6_dev_get(dev);

	if (idev)
		idev->cnf.addr_gen_mode = IN6_ADDR_GEN_MODE_NONE;
}

static int vnet_netdev_event(struct notifier_block *nb, unsigned long event,
			     void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct vnet_priv *priv;

	if (vnet_is_vnet(dev)) {
		if (event == NETDEV_REGISTER)
			vnet_no_addrconf(dev);
		return NOTIFY_DONE;
	}
	if (!vnet_is_slave(dev))
		return NOTIFY_DONE;

	priv = rtnl_dereference(dev->rx_handler_data);
	switch (event) {
	case NETDEV_UP:
	case NETDEV_DOWN:
	case NETDEV_CHANGE:
		vnet_sync_carrier(priv, dev);
		break;
	case NETDEV_CHANGEADDR:
		if (vnet_set_mac(priv, dev->dev_addr, NULL))
			netdev_warn(priv->dev, "cannot follow %s's MAC address\n",
				    dev->name);
		break;
	case NETDEV_CHANGEMTU:
		vnet_follow_mtu(priv, dev);
		break;
	case NETDEV_PRE_TYPE_CHANGE:
		return notifier_from_errno(-EBUSY);
	case NETDEV_UNREGISTER:
		vnet_slave_lost(priv, dev);
		break;
	}
	return NOTIFY_DONE;
}

/* Rebuild the device's IPv4 address list from its in_device. */
static void vnet_addrs_update(struct vnet_priv *priv)
{
	struct in_device *in_dev = __in_dev_get_rtnl(priv->dev);
	const struct in_ifaddr *ifa;
	struct vnet_addrs *addrs;
	unsigned int n = 0;

	if (in_dev)
		in_dev_for_each_ifa_rtnl(ifa, in_dev)
			n++;

	/* On failure the old list stays (the allocator has warned). */
	addrs = kmalloc(struct_size(addrs, addr, n), GFP_KERNEL);
	if (!addrs)
		return;
	addrs->count = 0;
	if (in_dev)
		in_dev_for_each_ifa_rtnl(ifa, in_dev)
			addrs->addr[addrs->count++] = ifa->ifa_local;

	addrs = rcu_replace_pointer(priv->addrs, addrs, lockdep_rtnl_is_held());
	kfree_rcu(addrs, rcu);
}

/* Called under RTNL by __inet_insert_ifa() and __inet_del_ifa(). */
static int vnet_inetaddr_event(struct notifier_block *nb, unsigned long event,
			       void *ptr)
{
	const struct in_ifaddr *ifa = ptr;
	struct net_device *dev = ifa->ifa_dev->dev;

	if (vnet_is_vnet(dev) && (event == NETDEV_UP || event == NETDEV_DOWN))
		vnet_addrs_update(netdev_priv(dev));
	return NOTIFY_DONE;
}

static struct notifier_block vnet_netdev_notifier = {
	.notifier_call = vnet_netdev_event,
};

static struct notifier_block vnet_inetaddr_notifier = {
	.notifier_call = vnet_inetaddr_event,
};

int vnet_notifiers_register(void)
{
	int err;

	err = register_netdevice_notifier(&vnet_netdev_notifier);
	if (err)
		return err;
	err = register_inetaddr_notifier(&vnet_inetaddr_notifier);
	if (err)
		goto err_unregister_netdev_notifier;
	return 0;

err_unregister_netdev_notifier:
	unregister_netdevice_notifier(&vnet_netdev_notifier);
	return err;
}

void vnet_notifiers_unregister(void)
{
	unregister_inetaddr_notifier(&vnet_inetaddr_notifier);
	unregister_netdevice_notifier(&vnet_netdev_notifier);
}
