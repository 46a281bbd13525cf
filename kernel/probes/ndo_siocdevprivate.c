// SPDX-License-Identifier: GPL-2.0
/*
 * ndo_siocdevprivate: Arnd Bergmann's SIOCDEVPRIVATE rework, v5.15.
 */
#include <linux/netdevice.h>

static int __maybe_unused
vnet_probe(struct net_device *dev, struct ifreq *ifr, void __user *data, int cmd)
{
	return dev->netdev_ops->ndo_siocdevprivate(dev, ifr, data, cmd);
}
