// SPDX-License-Identifier: GPL-2.0
/*
 * dev_set_mac_address() takes a sockaddr_storage: 9ca6804ab7c3 ("net: core:
 * Convert dev_set_mac_address() to struct sockaddr_storage"), v6.16.
 */
#include <linux/netdevice.h>

static int __maybe_unused
vnet_probe(struct net_device *dev, struct sockaddr_storage *ss,
	   struct netlink_ext_ack *extack)
{
	return dev_set_mac_address(dev, ss, extack);
}
