// SPDX-License-Identifier: GPL-2.0
/*
 * vnet ports: a slave carries one rx_handler however many vnet devices
 * relay to it, as macvlan and ipvlan do with theirs.  The handler's data is
 * the slave's port, which lists its vnet devices under RCU; rx.c walks the
 * list to find the device a frame is for.  The first device to take the
 * slave registers the handler, the last to let go unregisters it and
 * frees the port.  Everything here runs under RTNL.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include "vnet_priv.h"

/*
 * @slave's port, made (with the rx_handler registered, no device in it
 * yet: every frame passes to the slave) if it has none.  Undo with
 * vnet_port_put_unused() if the caller does not join it after all.
 */
struct vnet_port *vnet_port_get(struct net_device *slave,
				struct netlink_ext_ack *extack)
{
	struct vnet_port *port;
	int err;

	ASSERT_RTNL();
	if (vnet_is_slave(slave))
		return vnet_port_rtnl(slave);

	port = kzalloc(sizeof(*port), GFP_KERNEL);
	if (!port)
		return ERR_PTR(-ENOMEM);
	port->slave = slave;
	INIT_LIST_HEAD(&port->vnets);
	err = netdev_rx_handler_register(slave, vnet_handle_frame, port);
	if (err) {
		NL_SET_ERR_MSG_MOD(extack,
				   "slave already has a receive handler (bridge, bond, macvlan or another driver)");
		kfree(port);
		return ERR_PTR(err);
	}
	return port;
}

/* A port vnet_port_get() returned and nobody joined: gone if empty. */
void vnet_port_put_unused(struct vnet_port *port)
{
	ASSERT_RTNL();
	if (list_empty(&port->vnets)) {
		netdev_rx_handler_unregister(port->slave);
		kfree(port);
	}
}

/* @priv's device joins @port: the receive path sees it from now on. */
void vnet_port_add(struct vnet_priv *priv, struct vnet_port *port)
{
	ASSERT_RTNL();
	list_add_tail_rcu(&priv->port_node, &port->vnets);
	priv->port = port;
}

/*
 * @priv's device leaves its port; the last one takes the handler away.
 * Either way the receive path has no reader of the device left on
 * return (unregistering the handler and synchronize_net() wait for them).
 */
void vnet_port_leave(struct vnet_priv *priv)
{
	struct vnet_port *port = priv->port;

	ASSERT_RTNL();
	if (!port)
		return;
	list_del_rcu(&priv->port_node);
	priv->port = NULL;
	if (list_empty(&port->vnets))
		vnet_port_put_unused(port);	/* unregistering synchronizes */
	else
		synchronize_net();
}
