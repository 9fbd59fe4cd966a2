/**
 * What the VIP adapter is asked to hold, checked before any command runs: a mistake here is a
 * configuration error (never retried), and `ip` must never be handed a string it would misread.
 */
import { BlockList, isIP } from 'node:net';

export interface VipTarget {
  /** A bare address, no prefix: `10.0.0.5` or `fd00::5`. */
  readonly address: string;
  /** The prefix length the address is added with (`/24`, or `/32` for a host route). */
  readonly prefix: number;
  /** The interface that carries it. */
  readonly iface: string;
}

export type IpFamily = 4 | 6;

export interface ValidTarget extends VipTarget {
  readonly family: IpFamily;
  /** `ADDR/PREFIX`, as `ip` takes it. */
  readonly cidr: string;
}

export type TargetCheck =
  | { readonly ok: true; readonly target: ValidTarget }
  | { readonly ok: false; readonly message: string };

// Linux: at most 15 bytes (IFNAMSIZ - 1), no '/', no whitespace, not '.' or '..'.
const IFACE_NAME = /^[A-Za-z0-9_.:@-]{1,15}$/;

/** Checks a VIP's address, prefix and interface name; the message names what is wrong. */
export function checkVipTarget(target: VipTarget): TargetCheck {
  const { address, prefix, iface } = target;
  const family = isIP(address);
  if (family !== 4 && family !== 6) return bad(`VIP address "${address}" is not an IPv4 or IPv6 address`);
  if (address.includes('%')) return bad(`VIP address "${address}" has a zone id: use a global address`);
  const reserved = reservedKind(address, family);
  if (reserved !== null) return bad(`VIP address ${address} is ${reserved}: it cannot be a service address`);
  const maxPrefix = family === 4 ? 32 : 128;
  if (!Number.isInteger(prefix) || prefix < 1 || prefix > maxPrefix) {
    return bad(`VIP prefix ${prefix} is out of range for IPv${family}: use 1-${maxPrefix}`);
  }
  if (!IFACE_NAME.test(iface) || iface === '.' || iface === '..') {
    return bad(`VIP interface "${iface}" is not a valid interface name (1-15 letters, digits, "_.:@-")`);
  }
  return { ok: true, target: { address, prefix, iface, family, cidr: `${address}/${prefix}` } };
}

const bad = (message: string): TargetCheck => ({ ok: false, message });

const RESERVED_V4: ReadonlyArray<readonly [string, number, string]> = [
  ['0.0.0.0', 8, 'in 0.0.0.0/8 ("this network")'],
  ['127.0.0.0', 8, 'a loopback address'],
  ['224.0.0.0', 4, 'a multicast address'],
  ['240.0.0.0', 4, 'reserved (240.0.0.0/4) or the broadcast address'],
];
const RESERVED_V6: ReadonlyArray<readonly [string, number, string]> = [
  ['::', 128, 'the unspecified address'],
  ['::1', 128, 'the loopback address'],
  ['ff00::', 8, 'a multicast address'],
  ['fe80::', 10, 'a link-local address'],
];

/** Names the reserved range `address` falls in, or null for an address a VIP may use. */
function reservedKind(address: string, family: IpFamily): string | null {
  const type = family === 4 ? 'ipv4' : 'ipv6';
  for (const [network, prefix, kind] of family === 4 ? RESERVED_V4 : RESERVED_V6) {
    const range = new BlockList();
    range.addSubnet(network, prefix, type);
    if (range.check(address, type)) return kind;
  }
  return null;
}

/** Are `a` and `b` the same address of `family` (`fd00::5` and `fd00:0::5` are)? */
export function sameAddress(a: string, b: string, family: IpFamily): boolean {
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (isIP(b) !== family) return false;
  const one = new BlockList();
  one.addAddress(a, type);
  return one.check(b, type);
}
