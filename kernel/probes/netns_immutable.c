// SPDX-License-Identifier: GPL-2.0
/*
 * dev->netns_immutable: 0c493da86374 ("net: rename netns_local to netns_immutable"), v6.15.
 */
#include <linux/netdevice.h>

static void __maybe_unused vnet_probe(struct net_device *dev)
{
	dev->netns_immutable = true;
}
