/** The policy modes, directions and limits the CLIs use, from the generated uapi mirror. */
import {
  VNET_DIR_BOTH,
  VNET_DIR_RX,
  VNET_DIR_TX,
  VNET_ECHO_MSG_MAX,
  VNET_GENL_NAME,
  VNET_MODE_GEMODEL,
  VNET_MODE_PASS,
  VNET_MODE_PERCENT,
  VNET_MODE_TIME,
} from './abi';

export const MODE_PASS: number = VNET_MODE_PASS;
export const MODE_PERCENT: number = VNET_MODE_PERCENT;
export const MODE_TIME: number = VNET_MODE_TIME;
export const MODE_GEMODEL: number = VNET_MODE_GEMODEL;
export const ECHO_MSG_MAX: number = VNET_ECHO_MSG_MAX;
export const GENL_NAME: string = VNET_GENL_NAME;

/** Which policy a SET sets: the transmit one (the default), the receive one, or both. */
export type Direction = 'tx' | 'rx' | 'both';

/** enum vnet_direction. */
export const DIRECTION_VALUE: Record<Direction, number> = { tx: VNET_DIR_TX, rx: VNET_DIR_RX, both: VNET_DIR_BOTH };

/** enum vnet_direction back to its name ("dir3" for an unknown one). */
export function directionName(v: number): string {
  const found = (Object.keys(DIRECTION_VALUE) as Direction[]).find((d) => DIRECTION_VALUE[d] === v);
  return found ?? `dir${v}`;
}
