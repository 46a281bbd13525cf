// SPDX-License-Identifier: GPL-2.0
/*
 * IFF_NO_ADDRCONF (a priv_flags enum, no macro): "net: add IFF_NO_ADDRCONF
 * and use it in bonding to prevent ipv6 addrconf", v6.2.
 */
#include <linux/netdevice.h>

static void __maybe_unused vnet_probe(struct net_device *dev)
{
	dev->priv_flags |= IFF_NO_ADDRCONF;
}
