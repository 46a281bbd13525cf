// SPDX-License-Identifier: GPL-2.0
/*
 * vnet auto-revert: a SET may ask the kernel to put a direction's policy
 * back to pass after a while (VNET_ATTR_REVERT_MS), so that an admin who
 * impairs the link they are logged in through gets it back even if the
 * tool was killed or the session dropped.
 *
 * One delayed work per direction and device, on vnet's own workqueue
 * (drained at module exit).  A pending work holds a reference on the
 * device; the work takes RTNL, checks that it is still wanted (a later SET
 * cancels it, the device may be going away) and swaps in a pass policy,
 * raising VNET_EVENT_REVERTED.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/workqueue.h>

#include "vnet_priv.h"

static struct workqueue_struct *vnet_wq;

/* A failed allocation is tried again this much later. */
#define VNET_REVERT_RETRY_MS	1000

static void vnet_revert_work(struct work_struct *work)
{
	struct vnet_revert *rv = container_of(to_delayed_work(work),
					      struct vnet_revert, work);
	struct vnet_priv *priv = rv->priv;
	struct net_device *dev = priv->dev;
	struct vnet_cfg *cfg;
	u64 now;

	rtnl_lock();
	if (!rv->deadline_ns || dev->reg_state != NETREG_REGISTERED)
		goto out_put;
	now = ktime_get_ns();
	if (now < rv->deadline_ns) {
		/*
		 * Not due: a jiffy-rounded early run, or a stale run after a
		 * new arm, whose own work is pending and owns a reference.
		 */
		if (queue_delayed_work(vnet_wq, &rv->work,
				       nsecs_to_jiffies(rv->deadline_ns - now) + 1)) {
			rtnl_unlock();
			return;
		}
		goto out_put;
	}
	cfg = vnet_cfg_alloc_default();
	if (!cfg) {
		/* the reference moves to the retry */
		queue_delayed_work(vnet_wq, &rv->work,
				   msecs_to_jiffies(VNET_REVERT_RETRY_MS));
		rtnl_unlock();
		return;
	}
	WRITE_ONCE(rv->deadline_ns, 0);
	vnet_cfg_replace(priv, rv->dir, cfg);
	netdev_info(dev, "%s policy reverted to pass\n",
		    rv->dir == VNET_TX ? "transmit" : "receive");
	vnet_genl_notify_dir(priv, VNET_EVENT_REVERTED,
			     rv->dir == VNET_TX ? VNET_DIR_TX : VNET_DIR_RX);
out_put:
	rtnl_unlock();
	netdev_put(dev, &rv->tracker);
}

/* ndo_init: the works, idle. */
void vnet_revert_setup(struct vnet_priv *priv)
{
	int d;

	for (d = 0; d < VNET_NDIRS; d++) {
		INIT_DELAYED_WORK(&priv->revert[d].work, vnet_revert_work);
		priv->revert[d].priv = priv;
		priv->revert[d].dir = d;
		priv->revert[d].deadline_ns = 0;
	}
}

/*
 * No revert of @dir any more.  A work already running waits for RTNL,
 * which the caller holds: it will find no deadline and only let go of
 * its reference.  RTNL.
 */
void vnet_revert_cancel(struct vnet_priv *priv, enum vnet_dir dir)
{
	struct vnet_revert *rv = &priv->revert[dir];

	ASSERT_RTNL();
	WRITE_ONCE(rv->deadline_ns, 0);
	if (cancel_delayed_work(&rv->work))
		netdev_put(priv->dev, &rv->tracker);
}

/* Revert @dir to pass @ms milliseconds from now (0: never).  RTNL. */
void vnet_revert_arm(struct vnet_priv *priv, enum vnet_dir dir, u32 ms)
{
	struct vnet_revert *rv = &priv->revert[dir];

	vnet_revert_cancel(priv, dir);
	if (!ms)
		return;
	WRITE_ONCE(rv->deadline_ns, ktime_get_ns() + (u64)ms * NSEC_PER_MSEC);
	netdev_hold(priv->dev, &rv->tracker, GFP_KERNEL);
	if (!queue_delayed_work(vnet_wq, &rv->work, msecs_to_jiffies(ms)))
		/* a running work still owns its reference */
		netdev_put(priv->dev, &rv->tracker);
}

/*
 * Milliseconds until @dir reverts, rounded up; 0: no revert.  RTNL, or
 * RCU (a dump) for a snapshot.
 */
u32 vnet_revert_left_ms(const struct vnet_priv *priv, enum vnet_dir dir)
{
	u64 deadline = READ_ONCE(priv->revert[dir].deadline_ns);
	u64 now = ktime_get_ns();

	if (!deadline)
		return 0;
	if (deadline <= now)
		return 1;	/* due: the work is about to run */
	return DIV_ROUND_UP_ULL(deadline - now, NSEC_PER_MSEC);
}

/*
 * Unbound: a revert takes RTNL and has no use for the CPU that queued it.
 * A workqueue must say per-CPU or unbound (7.x warns otherwise).
 */
int vnet_revert_init(void)
{
	vnet_wq = alloc_workqueue("vnet", WQ_UNBOUND, 0);
	return vnet_wq ? 0 : -ENOMEM;
}

/* After every device is gone: waits for the works still running. */
void vnet_revert_exit(void)
{
	destroy_workqueue(vnet_wq);
}
