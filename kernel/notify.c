// SPDX-License-Identifier: GPL-2.0
/*
 * vnet notifiers, all called under RTNL:
 *
 *   netdevice  vnet devices: IPv6 autoconfiguration stays off through
 *              any MTU change (with a guard before addrconf's notifier).
 *              Slaves: carrier, MAC and MTU are
 *              followed, an MTU below IPv4's minimum or a type change is
 *              refused (the core then restores the old MTU), and
 *              unregistration detaches the slave.
 *   inetaddr   the address table the rx_handler reads, for vnet devices
 *              and for their slaves (shared addresses).
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/inetdevice.h>
#include <net/addrconf.h>

#include "vnet_priv.h"

/*
 * No IPv6 autoconfiguration: a link-local address would duplicate the
 * slave's, whose MAC the device takes; the device carries only the
 * addresses the admin gives it.  The generation mode "none" does it
 * ("ip -d link" says "addrgenmode none"), set at registration and again
 * after an MTU below 1280 made addrconf drop and recreate the device's
 * IPv6 state.  This notifier runs after addrconf's (lower priority).
 */
static void vnet_no_addrconf(struct net_device *dev)
{
	struct inet6_dev *idev = __in6_dev_get(dev);

	if (idev)
		idev->cnf.addr_gen_mode = IN6_ADDR_GEN_MODE_NONE;
}

/*
 * When the MTU comes back to 1280 or more, addrconf recreates the
 * device's IPv6 state and would configure it at once, before any later
 * notifier can say "addrgenmode none".  addrconf skips a device flagged
 * for it (compat.h): the device carries the flag from this notifier, which
 * runs before addrconf's, to vnet_vnet_event(), which runs after, and
 * only then: a device flagged for good would never become ready for IPv6.
 */
static int vnet_addrconf_guard(struct notifier_block *nb,
			       unsigned long event, void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);

	if (event == NETDEV_CHANGEMTU && vnet_is_vnet(dev) &&
	    dev->mtu >= IPV6_MIN_MTU && !__in6_dev_get(dev) &&
	    !vnet_compat_addrconf_skipped(dev)) {
		vnet_compat_addrconf_skip(dev, true);
		((struct vnet_priv *)netdev_priv(dev))->addrconf_guarded = true;
	}
	return NOTIFY_DONE;
}

static struct notifier_block vnet_addrconf_guard_notifier = {
	.notifier_call	= vnet_addrconf_guard,
	.priority	= ADDRCONF_NOTIFY_PRIORITY + 1,
};

static void vnet_addrconf_unguard(struct vnet_priv *priv)
{
	if (priv->addrconf_guarded) {
		vnet_compat_addrconf_skip(priv->dev, false);
		priv->addrconf_guarded = false;
	}
}

static int vnet_addrconf_guard_register(void)
{
	return register_netdevice_notifier(&vnet_addrconf_guard_notifier);
}

static void vnet_addrconf_guard_unregister(void)
{
	unregister_netdevice_notifier(&vnet_addrconf_guard_notifier);
}

static int vnet_vnet_event(struct net_device *dev, unsigned long event)
{
	switch (event) {
	case NETDEV_REGISTER:
		vnet_no_addrconf(dev);
		break;
	case NETDEV_CHANGEMTU:
		vnet_addrconf_unguard(netdev_priv(dev));
		vnet_no_addrconf(dev);
		break;
	}
	return NOTIFY_DONE;
}

static int vnet_slave_event_one(struct vnet_priv *priv,
				struct net_device *slave, unsigned long event)
{
	switch (event) {
	case NETDEV_UP:
	case NETDEV_DOWN:
	case NETDEV_CHANGE:
		vnet_sync_carrier(priv, slave);
		break;
	case NETDEV_CHANGEADDR:
		vnet_slave_follow_mac(priv, slave);
		break;
	case NETDEV_CHANGEMTU:
		vnet_slave_follow_mtu(priv, slave);
		break;
	}
	return NOTIFY_DONE;
}

/* @slave is the slave of every vnet device in its port. */
static int vnet_slave_event(struct net_device *slave, unsigned long event)
{
	struct vnet_port *port = vnet_port_rtnl(slave);
	struct vnet_priv *priv;

	switch (event) {
	case NETDEV_CHANGEMTU:
		/* an error makes the core put the old MTU back */
		if (slave->mtu < ETH_MIN_MTU) {
			net_info_ratelimited("%s: refusing MTU %u: vnet devices relay to it and need at least %u (detach them first)\n",
					     slave->name, slave->mtu, ETH_MIN_MTU);
			return notifier_from_errno(-EBUSY);
		}
		break;
	case NETDEV_PRE_TYPE_CHANGE:
		return notifier_from_errno(-EBUSY);
	case NETDEV_UNREGISTER: {
		/* each loss leaves the port; the last one frees it */
		unsigned int n = 0;

		list_for_each_entry(priv, &port->vnets, port_node)
			n++;
		while (n--)
			vnet_slave_lost(list_first_entry(&port->vnets,
							 struct vnet_priv,
							 port_node), slave);
		return NOTIFY_DONE;
	}
	}
	list_for_each_entry(priv, &port->vnets, port_node)
		vnet_slave_event_one(priv, slave, event);
	return NOTIFY_DONE;
}

static int vnet_netdev_event(struct notifier_block *nb, unsigned long event,
			     void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);

	if (vnet_is_vnet(dev))
		return vnet_vnet_event(dev, event);
	if (vnet_is_slave(dev))
		return vnet_slave_event(dev, event);
	return NOTIFY_DONE;
}

/* Called under RTNL by __inet_insert_ifa() and __inet_del_ifa(). */
static int vnet_inetaddr_event(struct notifier_block *nb, unsigned long event,
			       void *ptr)
{
	const struct in_ifaddr *ifa = ptr;
	struct net_device *dev = ifa->ifa_dev->dev;

	if (event != NETDEV_UP && event != NETDEV_DOWN)
		return NOTIFY_DONE;
	if (vnet_is_vnet(dev)) {
		vnet_addrs_update(netdev_priv(dev));
	} else if (vnet_is_slave(dev)) {
		struct vnet_priv *priv;

		list_for_each_entry(priv, &vnet_port_rtnl(dev)->vnets, port_node)
			vnet_addrs_update(priv);
	}
	return NOTIFY_DONE;
}

static struct notifier_block vnet_netdev_notifier = {
	.notifier_call	= vnet_netdev_event,
	.priority	= ADDRCONF_NOTIFY_PRIORITY - 1,	/* after addrconf */
};

static struct notifier_block vnet_inetaddr_notifier = {
	.notifier_call = vnet_inetaddr_event,
};

int vnet_notifiers_register(void)
{
	int err;

	err = vnet_addrconf_guard_register();
	if (err)
		return err;
	err = register_netdevice_notifier(&vnet_netdev_notifier);
	if (err)
		goto err_unregister_guard;
	err = register_inetaddr_notifier(&vnet_inetaddr_notifier);
	if (err)
		goto err_unregister_netdev_notifier;
	return 0;

err_unregister_netdev_notifier:
	unregister_netdevice_notifier(&vnet_netdev_notifier);
err_unregister_guard:
	vnet_addrconf_guard_unregister();
	return err;
}

void vnet_notifiers_unregister(void)
{
	unregister_inetaddr_notifier(&vnet_inetaddr_notifier);
	unregister_netdevice_notifier(&vnet_netdev_notifier);
	vnet_addrconf_guard_unregister();
}
