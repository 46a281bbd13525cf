// SPDX-License-Identifier: GPL-2.0
/*
 * vnet's slave: finding and checking it, attaching it, following it and
 * letting it go.
 *
 * The slave is vnet's lower device (netdev_upper_dev_link(), as ipvlan
 * and macvlan do), so the core knows the stack: it refuses every topology
 * that would loop frames back into vnet, also ones built after the
 * attach, and sysfs shows upper_/lower_ links.  While attached, vnet
 * takes the slave's MAC, turns ARP on, keeps its MTU within the slave's
 * and follows its carrier; detaching restores loopback mode.  Letting the
 * slave go (detach, slave unregistered, vnet deleted) cannot fail: the
 * slave pointer lives outside the immutable policy.
 *
 * netpoll (netconsole) on vnet is netpoll on its slave, and moves with it.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/netpoll.h>
#include <net/netlink.h>

#include "vnet_priv.h"

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

void vnet_slave_follow_mac(struct vnet_priv *priv, struct net_device *slave)
{
	if (vnet_set_mac(priv, slave->dev_addr, NULL))
		netdev_warn(priv->dev, "cannot follow %s's MAC address\n",
			    slave->name);
}

void vnet_sync_carrier(struct vnet_priv *priv, struct net_device *slave)
{
	if (netif_running(slave) && netif_carrier_ok(slave))
		netif_stacked_transfer_operstate(slave, priv->dev);
	else
		netif_carrier_off(priv->dev);
}

/*
 * The MTU rule (macvlan's, plus memory): the device's MTU is the admin's
 * choice, held down to the slave's while there is one, and back up to
 * the admin's choice when the slave grows again.
 */
static int vnet_apply_mtu(struct vnet_priv *priv, struct net_device *slave)
{
	struct net_device *dev = priv->dev;
	unsigned int max = slave ? slave->mtu : ETH_MAX_MTU;
	unsigned int mtu = min(priv->want_mtu, max);
	int err;

	dev->max_mtu = max;
	if (dev->mtu == mtu)
		return 0;
	priv->mtu_internal = true;
	err = dev_set_mtu(dev, mtu);
	priv->mtu_internal = false;
	return err;
}

void vnet_slave_follow_mtu(struct vnet_priv *priv, struct net_device *slave)
{
	if (vnet_apply_mtu(priv, slave))
		netdev_warn(priv->dev, "cannot follow %s's MTU %u\n",
			    slave->name, slave->mtu);
}

/* ARP on (relay mode) or off (loopback mode), leaving every other flag. */
static int vnet_set_noarp(struct net_device *dev, bool noarp,
			  struct netlink_ext_ack *extack)
{
	unsigned int flags = netif_get_flags(dev);

	if (!!(flags & IFF_NOARP) == noarp)
		return 0;
	return dev_change_flags(dev, noarp ? flags | IFF_NOARP :
				flags & ~IFF_NOARP, extack);
}

/* ------------------------------------------------------------------ */
/* netpoll                                                             */
/* ------------------------------------------------------------------ */

#ifdef CONFIG_NET_POLL_CONTROLLER
/* netpoll on @slave for the device, into *@npp.  RTNL. */
static int __vnet_slave_netpoll_start(struct net_device *slave,
				      struct netpoll **npp,
				      struct netlink_ext_ack *extack)
{
	struct netpoll *np;
	int err;

	np = kzalloc(sizeof(*np), GFP_KERNEL);
	if (!np)
		return -ENOMEM;
	err = __netpoll_setup(np, slave);
	if (err) {
		kfree(np);
		NL_SET_ERR_MSG_MOD(extack,
				   "netconsole uses this device and the slave does not support netpoll");
		/* the kernel-internal ENOTSUPP means no netpoll on the slave */
		return err == -ENOTSUPP ? -EOPNOTSUPP : err;
	}
	*npp = np;
	return 0;
}

/*
 * A new slave: netpoll on it if netpoll runs on the device (*@npp stays
 * NULL otherwise); published once the old slave's netpoll is stopped.
 */
static int vnet_slave_netpoll_start(struct vnet_priv *priv,
				    struct net_device *slave,
				    struct netpoll **npp,
				    struct netlink_ext_ack *extack)
{
	if (!rcu_access_pointer(priv->dev->npinfo))
		return 0;
	return __vnet_slave_netpoll_start(slave, npp, extack);
}

static void vnet_slave_netpoll_publish(struct vnet_priv *priv,
				       struct netpoll *np)
{
	rcu_assign_pointer(priv->netpoll, np);
}

/* Stop netpoll on the slave; waits for senders.  RTNL. */
static void vnet_slave_netpoll_stop(struct vnet_priv *priv)
{
	struct netpoll *np = rtnl_dereference(priv->netpoll);

	if (!np)
		return;
	RCU_INIT_POINTER(priv->netpoll, NULL);
	__netpoll_free(np);
}

/*
 * ndo_netpoll_setup: the first netpoll user (netconsole) of the device.
 * In loopback mode there is nothing to set up: frames loop as usual.
 * RTNL.
 */
int vnet_netpoll_setup(struct net_device *dev)
{
	struct vnet_priv *priv = netdev_priv(dev);
	struct net_device *slave = vnet_slave_rtnl(priv);
	struct netpoll *np = NULL;
	int err;

	if (!slave)
		return 0;
	err = __vnet_slave_netpoll_start(slave, &np, NULL);
	if (!err)
		vnet_slave_netpoll_publish(priv, np);
	return err;
}

/* ndo_netpoll_cleanup: the last netpoll user of the device is gone. */
void vnet_netpoll_cleanup(struct net_device *dev)
{
	vnet_slave_netpoll_stop(netdev_priv(dev));
}
#else
static int vnet_slave_netpoll_start(struct vnet_priv *priv,
				    struct net_device *slave,
				    struct netpoll **npp,
				    struct netlink_ext_ack *extack)
{
	return 0;
}

static void vnet_slave_netpoll_publish(struct vnet_priv *priv,
				       struct netpoll *np)
{
}

static void vnet_slave_netpoll_stop(struct vnet_priv *priv)
{
}
#endif

/* ------------------------------------------------------------------ */
/* Finding and checking a slave                                        */
/* ------------------------------------------------------------------ */

/* The slave a request names: NULL for none or "keep", or an ERR_PTR. */
struct net_device *vnet_slave_find(struct net *net,
				   const struct vnet_relay_req *req,
				   struct netlink_ext_ack *extack)
{
	struct net_device *slave;

	switch (req->slave_op) {
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
		NL_SET_ERR_MSG_ATTR(extack, req->slave_attr,
				    "slave interface not found");
		return ERR_PTR(-ENODEV);
	}
	return slave;
}

/*
 * Can @priv's device relay to @slave?  Everything that can be checked
 * before touching either device.  RTNL.
 */
int vnet_slave_check(struct vnet_priv *priv, struct net_device *slave,
		     const struct nlattr *attr, struct netlink_ext_ack *extack)
{
	struct net_device *dev = priv->dev;
	bool stacked;

	if (slave == dev || vnet_is_vnet(slave)) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "cannot relay to itself or to another vnet device");
		return -ELOOP;
	}
	rcu_read_lock();
	stacked = netdev_has_upper_dev_all_rcu(dev, slave);
	rcu_read_unlock();
	if (stacked) {
		VNET_ERR_FMT(extack,
			     "the slave is stacked on this device: relaying to it would loop",
			     "%s is stacked on %s: relaying to it would loop",
			     slave->name, dev->name);
		return -ELOOP;
	}
	if (slave->type != ARPHRD_ETHER || slave->addr_len != ETH_ALEN ||
	    (slave->flags & IFF_LOOPBACK)) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "slave is not an Ethernet device");
		return -EINVAL;
	}
	if (slave->mtu < ETH_MIN_MTU) {
		VNET_ERR_FMT(extack,
			     "the slave's MTU is below 68, the least vnet (IPv4) can use",
			     "%s's MTU %u is below %u, the least vnet (IPv4) can use",
			     slave->name, slave->mtu, ETH_MIN_MTU);
		return -EINVAL;
	}
	if (slave->priv_flags & IFF_NO_RX_HANDLER) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "the slave takes no receive handler (an ipvlan or VRF device): it cannot be a slave");
		return -EOPNOTSUPP;
	}
	/* another vnet device's slave: its port takes one more */
	if (netdev_is_rx_handler_busy(slave) && !vnet_is_slave(slave)) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "slave already has a receive handler (bridge, bond, macvlan or another driver)");
		return -EBUSY;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Attach and release                                                  */
/* ------------------------------------------------------------------ */

/*
 * Everything about taking @slave that can fail, before it is published:
 * on error the device is as it was.  RTNL.
 */
static int vnet_slave_adopt(struct vnet_priv *priv, struct net_device *slave,
			    struct vnet_port **portp, struct netpoll **npp,
			    struct netlink_ext_ack *extack)
{
	struct net_device *dev = priv->dev;
	unsigned int old_mtu = dev->mtu;
	struct vnet_port *port;
	u8 old_addr[ETH_ALEN];
	int err;

	ether_addr_copy(old_addr, dev->dev_addr);

	port = vnet_port_get(slave, extack);
	if (IS_ERR(port))
		return PTR_ERR(port);
	err = netdev_upper_dev_link(slave, dev, extack);
	if (err)
		goto err_put_port;
	err = vnet_apply_mtu(priv, slave);
	if (err)
		goto err_unlink;
	err = vnet_set_mac(priv, slave->dev_addr, extack);
	if (err)
		goto err_restore_mtu;
	err = vnet_set_noarp(dev, false, extack);
	if (err)
		goto err_restore_mac;
	err = vnet_slave_netpoll_start(priv, slave, npp, extack);
	if (err)
		goto err_restore_noarp;
	vnet_compat_set_netns_local(dev, true);
	*portp = port;
	return 0;

err_restore_noarp:
	vnet_set_noarp(dev, true, NULL);
err_restore_mac:
	vnet_set_mac(priv, old_addr, NULL);
err_restore_mtu:
	dev->max_mtu = ETH_MAX_MTU;
	if (dev->mtu != old_mtu) {
		priv->mtu_internal = true;
		dev_set_mtu(dev, old_mtu);
		priv->mtu_internal = false;
	}
err_unlink:
	netdev_upper_dev_unlink(slave, dev);
err_put_port:
	vnet_port_put_unused(port);
	return err;
}

/*
 * Undo what vnet_slave_adopt() did to @slave, after the device stopped
 * publishing it: leaving the port waits for every RCU reader (xmit and
 * rx_handler), so the reference can go.  Cannot fail.  RTNL.
 */
static void vnet_slave_release(struct vnet_priv *priv,
			       struct net_device *slave)
{
	vnet_slave_netpoll_stop(priv);
	vnet_port_leave(priv);
	netdev_upper_dev_unlink(slave, priv->dev);
	netdev_put(slave, &priv->slave_tracker);
}

/* Back to loopback mode's identity: own MAC, NOARP, any MTU, carrier. */
static void vnet_restore_loopback(struct vnet_priv *priv)
{
	struct net_device *dev = priv->dev;

	vnet_compat_set_netns_local(dev, false);
	if (vnet_apply_mtu(priv, NULL))
		netdev_warn(dev, "cannot restore MTU %u\n", priv->want_mtu);
	if (vnet_set_mac(priv, priv->own_addr, NULL))
		netdev_warn(dev, "cannot restore own MAC address\n");
	if (vnet_set_noarp(dev, true, NULL))
		netdev_warn(dev, "cannot turn ARP off\n");
	netif_carrier_on(dev);
}

/* Stop relaying to the current slave, if any.  Cannot fail.  RTNL. */
static struct net_device *vnet_slave_drop(struct vnet_priv *priv)
{
	struct net_device *old = vnet_slave_rtnl(priv);

	if (!old)
		return NULL;
	RCU_INIT_POINTER(priv->slave, NULL);
	vnet_slave_release(priv, old);
	vnet_addrs_update(priv);
	return old;
}

/* The directions a request sets. */
static bool vnet_req_sets(const struct vnet_relay_req *req, enum vnet_dir d)
{
	return req->dir == VNET_DIR_BOTH ||
	       (d == VNET_TX) == (req->dir == VNET_DIR_TX);
}

/*
 * The policies a request asks for, one per direction it sets (else NULL).
 * With both directions and a chosen seed, the receive policy draws from
 * seed + 1: each direction has a sequence of its own.
 */
static int vnet_req_cfgs(const struct vnet_relay_req *req,
			 struct vnet_cfg *cfg[VNET_NDIRS])
{
	struct vnet_relay_req rx = *req;
	int d;

	rx.seed = req->seed + (req->dir == VNET_DIR_BOTH);
	for (d = 0; d < VNET_NDIRS; d++) {
		cfg[d] = NULL;
		if (!vnet_req_sets(req, d))
			continue;
		cfg[d] = vnet_cfg_alloc(d == VNET_RX ? &rx : req);
		if (!cfg[d]) {
			while (d--)
				vnet_cfg_free(cfg[d]);
			return -ENOMEM;
		}
	}
	return 0;
}

int vnet_relay_set(struct vnet_priv *priv, const struct vnet_relay_req *req,
		   struct netlink_ext_ack *extack)
{
	struct net_device *old = vnet_slave_rtnl(priv);
	struct vnet_cfg *cfg[VNET_NDIRS];
	struct net_device *slave = old;
	struct vnet_port *port = NULL;
	struct netpoll *np = NULL;
	int err, d;

	ASSERT_RTNL();

	err = vnet_policy_validate(req, extack);
	if (err)
		return err;
	if (req->slave_op == VNET_SLAVE_NONE)
		slave = NULL;
	if (req->slave_op == VNET_SLAVE_NAME ||
	    req->slave_op == VNET_SLAVE_INDEX) {
		slave = vnet_slave_find(dev_net(priv->dev), req, extack);
		if (IS_ERR(slave))
			return PTR_ERR(slave);
		if (slave != old) {
			err = vnet_slave_check(priv, slave, req->slave_attr,
					       extack);
			if (err)
				return err;
		}
	}

	err = vnet_req_cfgs(req, cfg);
	if (err)
		return err;

	if (slave && slave != old) {
		err = vnet_slave_adopt(priv, slave, &port, &np, extack);
		if (err)
			goto err_free_cfgs;
	}

	for (d = 0; d < VNET_NDIRS; d++) {
		if (!cfg[d])
			continue;
		vnet_cfg_replace(priv, d, cfg[d]);
		vnet_revert_arm(priv, d, req->revert_ms);
	}
	if (slave != old) {
		if (old) {
			RCU_INIT_POINTER(priv->slave, NULL);
			vnet_slave_release(priv, old);
		}
		if (slave) {
			netdev_hold(slave, &priv->slave_tracker, GFP_KERNEL);
			vnet_port_add(priv, port);
			rcu_assign_pointer(priv->slave, slave);
			vnet_slave_netpoll_publish(priv, np);
			/* a carrier event, so operstate is computed now */
			netif_carrier_off(priv->dev);
			vnet_sync_carrier(priv, slave);
		} else {
			vnet_restore_loopback(priv);
		}
		vnet_addrs_update(priv);
	}

	vnet_dbg(priv->dev, "relay: slave %s dir %u mode %d args %d %d %d %d seed %llu revert %u ms\n",
		 slave ? slave->name : "(none)", req->dir, req->mode, req->arg1,
		 req->arg2, req->arg3, req->arg4, req->seed, req->revert_ms);
	vnet_genl_notify(priv, VNET_EVENT_CONFIG);
	return 0;

err_free_cfgs:
	for (d = 0; d < VNET_NDIRS; d++)
		vnet_cfg_free(cfg[d]);
	return err;
}

/* The device is being unregistered (ndo_uninit): let its slave go. */
void vnet_relay_detach(struct vnet_priv *priv)
{
	vnet_slave_drop(priv);
}

/* The slave is being unregistered: back to loopback mode, and say so. */
void vnet_slave_lost(struct vnet_priv *priv, struct net_device *slave)
{
	netdev_info(priv->dev, "slave %s unregistered: back to loopback mode\n",
		    slave->name);
	vnet_slave_drop(priv);
	vnet_stats_inc_bh(priv, VNET_STAT(VNET_STATS_SLAVE_LOST));
	if (priv->dev->reg_state != NETREG_REGISTERED)
		return;
	vnet_restore_loopback(priv);
	vnet_genl_notify(priv, VNET_EVENT_SLAVE_LOST);
}
