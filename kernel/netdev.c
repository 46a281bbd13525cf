// SPDX-License-Identifier: GPL-2.0
/*
 * vnet net_device: setup, ops, and loopback mode.
 *
 * With no slave attached, whatever the device transmits is queued on a
 * bounded per-device queue and delivered back to it as received frames
 * from NAPI (softirq) context, as in the original vnet loopback driver.
 * The device has no qdisc of its own (IFF_NO_QUEUE): a full queue drops
 * the frame (counted in rx_dropped), as the loopback device's backlog
 * does; with a qdisc the admin added, it stops the TX queue instead and
 * the qdisc holds the backlog until NAPI drains the queue and wakes it.
 * Checksums are left to the stack, as loopback and veth do: a frame sent
 * with an offloaded checksum comes back as such, any other is verified on
 * receive.  With a slave attached,
 * transmit goes through the drop policy instead (policy.c), and netpoll
 * (netconsole) straight to the slave's netpoll (slave.c).
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/netpoll.h>
#include <net/sch_generic.h>

#include "vnet_priv.h"

/* Does a qdisc hold the device's backlog (one the admin added with tc)? */
static bool vnet_has_qdisc(struct net_device *dev)
{
	struct netdev_queue *txq = netdev_get_tx_queue(dev, 0);

	return rcu_dereference_bh(txq->qdisc)->enqueue;
}

static netdev_tx_t vnet_loop_xmit(struct vnet_priv *priv, struct sk_buff *skb)
{
	struct net_device *dev = priv->dev;
	unsigned int len = skb->len;

	/*
	 * The device is IFF_NO_QUEUE, as loopback, veth and macvlan are: with
	 * no qdisc to hold a backlog, a full queue drops the frame, as the
	 * loopback device's backlog does.  With a qdisc the admin added, a
	 * full queue stops the TX queue and the qdisc holds the backlog.
	 */
	if (unlikely(skb_queue_len(&priv->loopq) >= VNET_LOOP_QLEN) &&
	    !vnet_has_qdisc(dev)) {
		kfree_skb(skb);
		vnet_stats_packet(priv, VNET_STAT(VNET_STATS_TX_PACKETS), len);
		vnet_stats_inc(priv, VNET_STAT(VNET_STATS_RX_DROP_DELIVERY));
		return NETDEV_TX_OK;
	}

	skb_tx_timestamp(skb);
	skb_orphan(skb);
	skb_scrub_packet(skb, false);

	skb_queue_tail(&priv->loopq, skb);
	/*
	 * With lockless TX several CPUs may get past the qdisc's stopped
	 * check at once, so the queue may exceed the limit by at most one
	 * frame per CPU: still bounded.  Stopping before napi_schedule()
	 * guarantees a poll that sees the stopped queue and wakes it.
	 */
	if (skb_queue_len(&priv->loopq) >= VNET_LOOP_QLEN && vnet_has_qdisc(dev))
		netif_stop_queue(dev);

	vnet_stats_packet(priv, VNET_STAT(VNET_STATS_TX_PACKETS), len);
	napi_schedule(&priv->napi);
	return NETDEV_TX_OK;
}

static int vnet_loop_poll(struct napi_struct *napi, int budget)
{
	struct vnet_priv *priv = container_of(napi, struct vnet_priv, napi);
	struct net_device *dev = priv->dev;
	struct sk_buff *skb;
	int done = 0;

	while (done < budget && (skb = skb_dequeue(&priv->loopq))) {
		unsigned int len = skb->len;

		done++;
		if (unlikely(len < ETH_HLEN)) {
			kfree_skb(skb);
			vnet_stats_inc(priv, VNET_STAT(VNET_STATS_RX_DROP_DELIVERY));
			continue;
		}
		skb->protocol = eth_type_trans(skb, dev);
		vnet_stats_packet(priv, VNET_STAT(VNET_STATS_RX_PACKETS), len);
		netif_receive_skb(skb);
	}

	if (netif_queue_stopped(dev) &&
	    skb_queue_len(&priv->loopq) <= VNET_LOOP_WAKE)
		netif_wake_queue(dev);

	if (done < budget)
		napi_complete_done(napi, done);
	return done;
}

#ifdef CONFIG_NET_POLL_CONTROLLER
/*
 * netpoll (netconsole), with interrupts off: never the drop policy (a
 * console that loses lines is no console) nor dev_queue_xmit(), but the
 * slave's own netpoll, as VLAN and macvlan do; relayed console frames
 * are counted by the slave, not by vnet.  In loopback mode the frame
 * loops as any other.
 */
static netdev_tx_t vnet_netpoll_xmit(struct vnet_priv *priv,
				     struct sk_buff *skb)
{
	struct netpoll *np = rcu_dereference_bh(priv->netpoll);

	if (np) {
		skb->dev = np->dev;
		return netpoll_send_skb(np, skb);
	}
	if (!rcu_access_pointer(priv->slave))
		return vnet_loop_xmit(priv, skb);
	dev_kfree_skb_any(skb);
	return NETDEV_TX_OK;
}

static int vnet_ndo_netpoll_setup(VNET_NDO_NETPOLL_SETUP_ARGS)
{
	return vnet_netpoll_setup(dev);
}
#endif

/* Called by the core under rcu_read_lock_bh(). */
static netdev_tx_t vnet_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct vnet_priv *priv = netdev_priv(dev);
	struct net_device *slave;

#ifdef CONFIG_NET_POLL_CONTROLLER
	if (unlikely(netpoll_tx_running(dev)))
		return vnet_netpoll_xmit(priv, skb);
#endif
	slave = rcu_dereference_bh(priv->slave);
	if (slave)
		return vnet_relay_xmit(priv, slave, skb);
	return vnet_loop_xmit(priv, skb);
}

static int vnet_open(struct net_device *dev)
{
	struct vnet_priv *priv = netdev_priv(dev);

	napi_enable(&priv->napi);
	netif_start_queue(dev);
	vnet_dbg(dev, "up\n");
	return 0;
}

static int vnet_stop(struct net_device *dev)
{
	struct vnet_priv *priv = netdev_priv(dev);
	struct sk_buff *skb;

	netif_stop_queue(dev);
	napi_disable(&priv->napi);

	/* Frames sent but never looped back count as receive drops. */
	local_bh_disable();
	while ((skb = skb_dequeue(&priv->loopq))) {
		kfree_skb(skb);
		vnet_stats_inc(priv, VNET_STAT(VNET_STATS_RX_DROP_DELIVERY));
	}
	local_bh_enable();
	vnet_dbg(dev, "down\n");
	return 0;
}

/*
 * While a slave is attached the device uses the slave's MAC (so the
 * slave's peers reach it) and follows its changes: a user's change to
 * anything else is refused.
 */
static int vnet_set_mac_address(struct net_device *dev, void *p)
{
	struct vnet_priv *priv = netdev_priv(dev);
	struct sockaddr *sa = p;

	if (!is_valid_ether_addr(sa->sa_data))
		return -EADDRNOTAVAIL;
	/* slave.c sets mac_internal to adopt, follow or restore a MAC */
	if (!priv->mac_internal) {
		if (vnet_slave_rtnl(priv))
			return -EBUSY;
		ether_addr_copy(priv->own_addr, sa->sa_data);
	}
	eth_hw_addr_set(dev, sa->sa_data);
	return 0;
}

/* The admin's MTU is remembered: the slave may only hold it lower. */
static int vnet_change_mtu(struct net_device *dev, int new_mtu)
{
	struct vnet_priv *priv = netdev_priv(dev);

	if (!priv->mtu_internal)
		priv->want_mtu = new_mtu;
	WRITE_ONCE(dev->mtu, new_mtu);
	return 0;
}

static int vnet_get_iflink(const struct net_device *dev)
{
	struct vnet_priv *priv = netdev_priv(dev);
	const struct net_device *slave;
	int iflink;

	rcu_read_lock();
	slave = rcu_dereference(priv->slave);
	iflink = slave ? READ_ONCE(slave->ifindex) : dev->ifindex;
	rcu_read_unlock();
	return iflink;
}

/* Frees both policies (unpublished, or with no reader left). */
static void vnet_dev_free_cfgs(struct vnet_priv *priv)
{
	int d;

	for (d = 0; d < VNET_NDIRS; d++) {
		vnet_cfg_free(rcu_dereference_protected(priv->cfg[d], true));
		RCU_INIT_POINTER(priv->cfg[d], NULL);
	}
}

static int vnet_dev_init(struct net_device *dev)
{
	struct vnet_priv *priv = netdev_priv(dev);
	struct vnet_cfg *cfg;
	int err, d;

	priv->dev = dev;
	skb_queue_head_init(&priv->loopq);
	INIT_LIST_HEAD(&priv->port_node);
	vnet_revert_setup(priv);

	err = vnet_stats_init(priv);
	if (err)
		return err;

	for (d = 0; d < VNET_NDIRS; d++) {
		cfg = vnet_cfg_alloc_default();
		if (!cfg) {
			err = -ENOMEM;
			goto err_free_cfgs;
		}
		RCU_INIT_POINTER(priv->cfg[d], cfg);
	}

	ether_addr_copy(priv->own_addr, dev->dev_addr);
	priv->want_mtu = dev->mtu;
	netif_napi_add(dev, &priv->napi, vnet_loop_poll);
	return 0;

err_free_cfgs:
	vnet_dev_free_cfgs(priv);
	vnet_stats_free(priv);
	return err;
}

/*
 * Unregistration, under RTNL: no auto-revert any more, and let the slave
 * go before the device does.
 */
static void vnet_dev_uninit(struct net_device *dev)
{
	struct vnet_priv *priv = netdev_priv(dev);
	int d;

	for (d = 0; d < VNET_NDIRS; d++)
		vnet_revert_cancel(priv, d);
	vnet_relay_detach(priv);
}

/* Frees what vnet_dev_init() allocated. */
static void vnet_dev_free(struct net_device *dev)
{
	struct vnet_priv *priv = netdev_priv(dev);

	vnet_dev_free_cfgs(priv);
	kfree(rcu_dereference_protected(priv->addrs, true));
	RCU_INIT_POINTER(priv->addrs, NULL);
	vnet_stats_free(priv);
}

const struct net_device_ops vnet_netdev_ops = {
	.ndo_init		= vnet_dev_init,
	.ndo_uninit		= vnet_dev_uninit,
	.ndo_open		= vnet_open,
	.ndo_stop		= vnet_stop,
	.ndo_start_xmit		= vnet_xmit,
	.ndo_set_mac_address	= vnet_set_mac_address,
	.ndo_validate_addr	= eth_validate_addr,
	.ndo_change_mtu		= vnet_change_mtu,
	.ndo_get_stats64	= vnet_get_stats64,
	.ndo_get_iflink		= vnet_get_iflink,
	VNET_COMPAT_NDO_SIOCDEVPRIVATE(vnet_siocdevprivate),
#ifdef CONFIG_NET_POLL_CONTROLLER
	.ndo_netpoll_setup	= vnet_ndo_netpoll_setup,
	.ndo_netpoll_cleanup	= vnet_netpoll_cleanup,
#endif
};

void vnet_setup(struct net_device *dev)
{
	ether_setup(dev);

	dev->netdev_ops = &vnet_netdev_ops;
	dev->ethtool_ops = &vnet_ethtool_ops;
	dev->needs_free_netdev = true;
	dev->priv_destructor = vnet_dev_free;

	/* Loopback mode: no ARP, as in the original (relay mode turns it on). */
	dev->flags |= IFF_NOARP;
	dev->priv_flags |= IFF_LIVE_ADDR_CHANGE;
	dev->priv_flags &= ~IFF_TX_SKB_SHARING;
	/*
	 * No qdisc of its own: relayed frames are queued once, by the
	 * slave's qdisc (as macvlan and ipvlan); loopback mode bounds its
	 * own queue.  An admin can still add one with tc.
	 */
	dev->priv_flags |= IFF_NO_QUEUE;

	/*
	 * No GSO/TSO: the stack segments before ndo_start_xmit, so the
	 * relay policy decides per wire packet and tx_packets counts them.
	 */
	dev->features |= NETIF_F_SG | NETIF_F_HW_CSUM | NETIF_F_HIGHDMA;
	dev->hw_features |= dev->features;
	vnet_compat_set_lltx(dev);

	dev->min_mtu = ETH_MIN_MTU;
	dev->max_mtu = ETH_MAX_MTU;

	eth_hw_addr_random(dev);
}
