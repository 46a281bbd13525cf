// SPDX-License-Identifier: GPL-2.0
/*
 * vnet - a virtual Ethernet interface for teaching and testing.
 *
 * It unites three classic teaching drivers: a loopback net_device with a
 * "reset statistics" ioctl and a generic-netlink ECHO (vivek's vnet),
 * Rubini's "insane" relay that forwards transmit to a slave interface
 * and drops packets by policy, and Tsiliuric's "virt", a child interface
 * that receives its own IPv4/ARP traffic from its parent while the
 * parent keeps working.  The user-space ABI is include/uapi/linux/vnet.h.
 *
 * This file: module parameters, and the devices created at load.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ctype.h>
#include <linux/module.h>
#include <net/rtnetlink.h>

#include "vnet_priv.h"

#define VNET_MAX_NUMDEVS	64

static int numdevs = 1;
module_param(numdevs, int, 0444);
MODULE_PARM_DESC(numdevs, "Number of vnet devices created at load (default 1, at most 64)");

static char *ifname = "vnet%d";
module_param(ifname, charp, 0444);
MODULE_PARM_DESC(ifname, "Name of the devices created at load (default \"vnet%d\")");

static char *link;
module_param(link, charp, 0444);
MODULE_PARM_DESC(link, "Slave interface the first device relays to (default: none, loopback mode)");

int vnet_debug;
module_param_named(debug, vnet_debug, int, 0644);
MODULE_PARM_DESC(debug, "Log configuration changes and state transitions (default 0)");

/* "123" or "%d" (which becomes "0"): ip and ifconfig read it as an index. */
static bool __init vnet_name_all_digits(const char *name)
{
	const char *p;

	for (p = name; *p; p++) {
		if (p[0] == '%' && p[1] == 'd')
			p++;
		else if (!isdigit(*p))
			return false;
	}
	return true;
}

static int __init vnet_check_params(void)
{
	if (numdevs < 0 || numdevs > VNET_MAX_NUMDEVS) {
		pr_err("numdevs=%d: must be 0..%d\n", numdevs, VNET_MAX_NUMDEVS);
		return -EINVAL;
	}
	if (!ifname || !*ifname || strlen(ifname) >= IFNAMSIZ ||
	    !dev_valid_name(ifname)) {
		pr_err("ifname=\"%s\": not a valid interface name\n",
		       ifname ?: "");
		return -EINVAL;
	}
	if (vnet_name_all_digits(ifname)) {
		pr_err("ifname=\"%s\": a name of digits only is taken for an interface index\n",
		       ifname);
		return -EINVAL;
	}
	if (numdevs > 1 && !strchr(ifname, '%')) {
		pr_err("ifname=\"%s\": numdevs=%d needs a %%d in the name\n",
		       ifname, numdevs);
		return -EINVAL;
	}
	if (link && strlen(link) >= IFNAMSIZ) {
		pr_err("link=\"%s\": name too long\n", link);
		return -EINVAL;
	}
	if (link && *link && !numdevs) {
		pr_err("link=%s: numdevs=0 creates no device to attach it to\n",
		       link);
		return -EINVAL;
	}
	return 0;
}

/* The devices of the module parameters.  Caller holds RTNL. */
static int __init vnet_create_one(int i)
{
	struct vnet_relay_req req = {
		.slave_op = VNET_SLAVE_NAME,
		.mode = VNET_MODE_PASS,
	};
	struct net_device *dev;
	int err;

	dev = alloc_netdev(sizeof(struct vnet_priv), ifname,
			   strchr(ifname, '%') ? NET_NAME_ENUM : NET_NAME_USER,
			   vnet_setup);
	if (!dev)
		return -ENOMEM;
	dev->rtnl_link_ops = &vnet_link_ops;

	err = register_netdevice(dev);
	if (err == -EEXIST) {
		/* kmod takes EEXIST from init for "already loaded": success */
		pr_err("cannot create %s: an interface of that name already exists (choose another with ifname=)\n",
		       dev->name);
		free_netdev(dev);
		return -EBUSY;
	}
	if (err) {
		pr_err("cannot register %s: %d\n", ifname, err);
		free_netdev(dev);
		return err;
	}

	if (i || !link || !*link)
		return 0;

	strscpy(req.slave_name, link, sizeof(req.slave_name));
	err = vnet_relay_set(netdev_priv(dev), &req, NULL);
	if (err) {
		pr_err("link=%s: cannot attach %s to it: %d%s\n", link,
		       dev->name, err,
		       err == -ENODEV ? " (no such interface)" : "");
		return err;
	}
	return 0;
}

static int __init vnet_create_devices(void)
{
	int i, err = 0;

	rtnl_lock();
	for (i = 0; i < numdevs && !err; i++)
		err = vnet_create_one(i);
	rtnl_unlock();
	return err;
}

static int __init vnet_init(void)
{
	int err;

	err = vnet_check_params();
	if (err)
		return err;

	err = vnet_revert_init();
	if (err)
		return err;
	err = vnet_notifiers_register();
	if (err)
		goto err_revert_exit;
	err = vnet_genl_register();
	if (err)
		goto err_unregister_notifiers;
	err = rtnl_link_register(&vnet_link_ops);
	if (err)
		goto err_unregister_genl;
	err = vnet_create_devices();
	if (err)
		goto err_unregister_rtnl_link;

	pr_info("loaded: %d device(s)\n", numdevs);
	return 0;

err_unregister_rtnl_link:
	/* also deletes the devices created so far */
	rtnl_link_unregister(&vnet_link_ops);
err_unregister_genl:
	vnet_genl_unregister();
err_unregister_notifiers:
	vnet_notifiers_unregister();
err_revert_exit:
	vnet_revert_exit();
	return err;
}

static void __exit vnet_exit(void)
{
	rtnl_link_unregister(&vnet_link_ops);
	vnet_genl_unregister();
	vnet_notifiers_unregister();
	vnet_revert_exit();
	/* The last configurations are freed from RCU callbacks. */
	rcu_barrier();
}

module_init(vnet_init);
module_exit(vnet_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Virtual Ethernet interface: loopback, lossy relay and child-over-parent");
MODULE_AUTHOR("The vnet developers");
MODULE_VERSION(VNET_DRV_VERSION);
MODULE_ALIAS_RTNL_LINK(VNET_LINK_KIND);
