/** The relay modes and limits the CLIs use, from the generated uapi mirror. */
import { VNET_ECHO_MSG_MAX, VNET_GENL_NAME, VNET_MODE_PASS, VNET_MODE_PERCENT, VNET_MODE_TIME } from './abi';

export const MODE_PASS: number = VNET_MODE_PASS;
export const MODE_PERCENT: number = VNET_MODE_PERCENT;
export const MODE_TIME: number = VNET_MODE_TIME;
export const ECHO_MSG_MAX: number = VNET_ECHO_MSG_MAX;
export const GENL_NAME: string = VNET_GENL_NAME;
