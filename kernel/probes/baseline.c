// SPDX-License-Identifier: GPL-2.0
/*
 * Every probe's includes compile with this kernel's flags (run.sh fails otherwise).
 */
#include <linux/netdevice.h>
#include <net/genetlink.h>
#include <net/rtnetlink.h>

static int __maybe_unused vnet_probe(void)
{
	return 0;
}
