/*
 * Applying a relay policy the way configuration management needs it:
 * read the device's state first; when it already has the policy asked
 * for (slave, mode, arguments, and the seed when one is given), send
 * nothing, so the time phase and the drop generator's stream go on
 * undisturbed; otherwise one generic-netlink VNET_CMD_SET, whose reply is
 * what the kernel applied.  `force` always sends the SET (which reseeds
 * and restarts the time phase).
 */
import type { GenlSocket, RelayInfo, VnetState } from './binding/types';
import { ErrorContext, kernel } from './errors';

export interface RelayRequest {
  relay: RelayInfo;
  seed?: bigint;
}

export interface Applied {
  state: VnetState;
  changed: boolean;
}

/** true when `state` already is what `req` asks for. */
export function samePolicy(state: VnetState, req: RelayRequest): boolean {
  const r = req.relay;
  return (
    state.slaveName === r.slave &&
    state.mode === r.mode &&
    state.arg1 === r.arg1 &&
    state.arg2 === r.arg2 &&
    (req.seed === undefined || state.seed === req.seed)
  );
}

export function applyRelay(
  g: GenlSocket,
  dev: string,
  req: RelayRequest,
  force: boolean,
  ectx: ErrorContext,
): Applied {
  if (!force) {
    const now = kernel({ dev }, () => g.get(dev));
    if (samePolicy(now, req)) return { state: now, changed: false };
  }
  const state = kernel(ectx, () =>
    g.set({
      dev,
      mode: req.relay.mode,
      arg1: req.relay.arg1,
      arg2: req.relay.arg2,
      seed: req.seed,
      slave: req.relay.slave,
    }),
  );
  return { state, changed: true };
}
