// SPDX-License-Identifier: GPL-2.0
/*
 * netdevice_tracker: 4d92b95ff2f9 ("net: add net device refcount tracker infrastructure"), v5.17.
 */
#include <linux/netdevice.h>

static int __maybe_unused vnet_probe(void)
{
	return (int)sizeof(netdevice_tracker);
}
