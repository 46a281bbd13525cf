// SPDX-License-Identifier: GPL-2.0
/*
 * ndo_netpoll_setup(struct net_device *) without the netpoll_info
 * argument (netpoll: remove netpoll_info from ndo_netpoll_setup), 7.x.
 */
#include <linux/netdevice.h>

static int vnet_probe_setup(struct net_device *dev)
{
	return 0;
}

static const struct net_device_ops vnet_probe_ops __maybe_unused = {
	.ndo_netpoll_setup = vnet_probe_setup,
};
