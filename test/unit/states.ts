/* VnetState values for the formatter tests: loopback mode, pass both ways, every counter 0, seeds 1 (tx) and 7 (rx). */
import type { VnetState } from '../../src/binding/types';
import { zeroVnetStats } from '../fake-binding';

export function vnetState(over: Partial<VnetState> = {}): VnetState {
  return {
    ifindex: 5,
    ifname: 'vnet0',
    mode: 0,
    arg1: 0,
    arg2: 0,
    arg3: 0,
    arg4: 0,
    seed: 1n,
    rx: { mode: 0, arg1: 0, arg2: 0, arg3: 0, arg4: 0, seed: 7n },
    slaveIfindex: 0,
    slaveName: '',
    stats: zeroVnetStats(),
    ...over,
  };
}
