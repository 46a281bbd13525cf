/* The binding layer's public surface, for the CLIs. */
export * from './types';
export { VnetSystemError, errnoOf, isVnetSystemError } from './errors';
export type { VnetSystemErrorInfo } from './errors';
export { loadNativeBinding, loadNativeBinding as loadBinding, loadAddonFrom, addonCandidates, AddonLoadError } from './native';
