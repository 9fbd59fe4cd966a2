/**
 * An interface as `ip -j addr show dev IFACE` describes it: link flags and addresses. JSON rather than
 * the `-o` text, because its fields are named and stable across iproute2 versions (4.13 and later).
 */
import { BlockList } from 'node:net';
import { z } from 'zod';
import { type IpFamily, sameAddress, type ValidTarget } from './vip-target.ts';

export interface InterfaceAddress {
  readonly family: IpFamily;
  readonly address: string;
  readonly prefix: number;
}

export interface InterfaceState {
  readonly name: string;
  readonly flags: readonly string[];
  readonly addresses: readonly InterfaceAddress[];
}

const ipAddrShow = z.array(
  z.object({
    ifname: z.string(),
    flags: z.array(z.string()).default([]),
    addr_info: z
      .array(
        z.object({
          family: z.string(),
          local: z.string().optional(),
          prefixlen: z.number().int().optional(),
        }),
      )
      .default([]),
  }),
);

/** Parses the JSON of `ip -j addr show dev IFACE`, or returns a message saying why it is not that. */
export function parseInterfaceState(json: string): InterfaceState | string {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return 'the output of `ip -j addr show` is not JSON';
  }
  const parsed = ipAddrShow.safeParse(raw);
  if (!parsed.success) return `unexpected \`ip -j addr show\` output: ${parsed.error.issues[0]?.message}`;
  const link = parsed.data[0];
  if (link === undefined) return '`ip -j addr show` listed no interface';
  const addresses: InterfaceAddress[] = [];
  for (const info of link.addr_info) {
    const family = info.family === 'inet' ? 4 : info.family === 'inet6' ? 6 : undefined;
    if (family === undefined || info.local === undefined || info.prefixlen === undefined) continue;
    addresses.push({ family, address: info.local, prefix: info.prefixlen });
  }
  return { name: link.ifname, flags: link.flags, addresses };
}

/** Why the link cannot carry traffic (administratively down, or no carrier), or null when it can. */
export function linkDownReason(state: InterfaceState): string | null {
  if (!state.flags.includes('UP')) return `interface ${state.name} is down`;
  if (state.flags.includes('NO-CARRIER'))
    return `interface ${state.name} has no carrier (cable or peer down)`;
  return null;
}

/** The prefixes with which the target's address is on the interface (empty: not there). */
export function prefixesOf(target: ValidTarget, state: InterfaceState): number[] {
  return state.addresses
    .filter(
      (entry) => entry.family === target.family && sameAddress(target.address, entry.address, entry.family),
    )
    .map((entry) => entry.prefix);
}

/**
 * Is the target's address inside a subnet configured on the interface (its own copies aside)? A VIP
 * outside every local subnet is unreachable from that link: a configuration mistake.
 */
export function inLocalSubnet(target: ValidTarget, state: InterfaceState): boolean {
  const type = target.family === 4 ? 'ipv4' : 'ipv6';
  const subnets = new BlockList();
  let any = false;
  for (const entry of state.addresses) {
    if (entry.family !== target.family || sameAddress(target.address, entry.address, entry.family)) continue;
    subnets.addSubnet(entry.address, entry.prefix, type);
    any = true;
  }
  return any && subnets.check(target.address, type);
}

/** The interface's own addresses of the target's family, as `ADDR/PREFIX`, for messages. */
export function subnetsOf(target: ValidTarget, state: InterfaceState): string[] {
  return state.addresses
    .filter(
      (entry) => entry.family === target.family && !sameAddress(target.address, entry.address, entry.family),
    )
    .map((entry) => `${entry.address}/${entry.prefix}`);
}
