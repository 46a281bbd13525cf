// SPDX-License-Identifier: GPL-2.0
/*
 * netif_napi_add() without a weight: b48b89f9c189 ("net: drop the weight
 * argument from netif_napi_add"), v6.1.
 */
#include <linux/netdevice.h>

static void __maybe_unused
vnet_probe(struct net_device *dev, struct napi_struct *napi,
	   int (*poll)(struct napi_struct *, int))
{
	netif_napi_add(dev, napi, poll);
}
