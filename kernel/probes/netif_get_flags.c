// SPDX-License-Identifier: GPL-2.0
/*
 * netif_get_flags(), the new name of dev_get_flags() (7.x).
 */
#include <linux/netdevice.h>

static unsigned int __maybe_unused vnet_probe(const struct net_device *dev)
{
	return netif_get_flags(dev);
}
