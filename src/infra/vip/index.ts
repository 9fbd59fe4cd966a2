export { classifyFailure, isAlreadyPresent, isNotPresent } from './classify.ts';
export { type ArpSettings, arpingCommand } from './gratuitous-arp.ts';
export type { InterfaceAddress, InterfaceState } from './interface-state.ts';
export {
  type AcquireRequest,
  createVipAdapter,
  type Presence,
  type PresenceOutcome,
  type VipAdapter,
  type VipAdapterOptions,
} from './vip-adapter.ts';
export {
  type ArpReport,
  type Failure,
  type VipEventBody,
  type VipFailure,
  type VipOutcome,
  type VipSuccess,
  vipEventOf,
} from './vip-outcome.ts';
export { checkVipTarget, type ValidTarget, type VipTarget } from './vip-target.ts';
