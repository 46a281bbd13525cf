// SPDX-License-Identifier: GPL-2.0
/*
 * netdev_hold()/netdev_put(): d62607c3fe45 ("net: rename reference+tracking helpers"), v6.0.
 */
#include <linux/netdevice.h>

struct vnet_probe {
	struct net_device	*dev;
	netdevice_tracker	tracker;
};

static void __maybe_unused vnet_probe(struct vnet_probe *p)
{
	netdev_hold(p->dev, &p->tracker, GFP_KERNEL);
	netdev_put(p->dev, &p->tracker);
}
