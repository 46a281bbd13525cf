// SPDX-License-Identifier: GPL-2.0
/*
 * eth_hw_addr_set(): 48eab831ae8b ("net: create netdev->dev_addr
 * assignment helpers"), v5.15; the stable trees took it too (5.10.y has it).
 */
#include <linux/etherdevice.h>

static void __maybe_unused vnet_probe(struct net_device *dev, const u8 *addr)
{
	eth_hw_addr_set(dev, addr);
}
