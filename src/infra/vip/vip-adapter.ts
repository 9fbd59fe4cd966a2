/**
 * The VIP over iproute2 and arping. Each operation validates first (a config error runs no command),
 * runs argv with a timeout, and returns a VipOutcome that maps 1:1 onto the node events; nothing here
 * throws for a network or configuration problem. Operations are not serialized here: the
 * interpreter runs one at a time.
 */

import type { VipOperation } from '../../domain/node/events.ts';
import { type CommandResult, endingOf, type RunCommand, spawnCommand, succeeded } from '../command/index.ts';
import { classifyFailure, isAlreadyPresent, isNotPresent } from './classify.ts';
import { type ArpSettings, sendGratuitousArp } from './gratuitous-arp.ts';
import {
  type InterfaceState,
  inLocalSubnet,
  linkDownReason,
  parseInterfaceState,
  prefixesOf,
  subnetsOf,
} from './interface-state.ts';
import { type Failure, failedOperation, failure, type VipFailure, type VipOutcome } from './vip-outcome.ts';
import { checkVipTarget, type ValidTarget, type VipTarget } from './vip-target.ts';

export interface VipAdapterOptions {
  /** Default: the real runner (spawns). */
  readonly runCommand?: RunCommand;
  /** Bound on each `ip` command; arping gets its sending time on top. Default 5 000 ms. */
  readonly timeoutMs?: number;
  /** Run every command inside this network namespace (tests). */
  readonly netns?: string;
}

export interface AcquireRequest extends VipTarget, ArpSettings {}

export interface Presence {
  readonly ok: true;
  readonly present: boolean;
  /** The prefixes the address is there with (a stale copy may have another prefix than configured). */
  readonly prefixes: readonly number[];
  readonly interface: InterfaceState;
  readonly commands: readonly CommandResult[];
}

export type PresenceOutcome = Presence | Failure;

export interface VipAdapter {
  /** `ip addr add` (already there counts as done), then gratuitous ARP whose failure keeps the address. */
  acquire(request: AcquireRequest): Promise<VipOutcome>;
  /** `ip addr del` (already gone counts as done). */
  release(target: VipTarget): Promise<VipOutcome>;
  /** Is the address on the interface, and with which prefixes? */
  isPresent(target: VipTarget): Promise<PresenceOutcome>;
  /** At start: removes every copy of the address an earlier run left, whatever its prefix. */
  cleanStale(target: VipTarget): Promise<VipOutcome>;
}

/** Builds a VIP adapter over `ip` and `arping`. */
export function createVipAdapter(options: VipAdapterOptions = {}): VipAdapter {
  const run = options.runCommand ?? spawnCommand;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const { netns } = options;
  const ip = (argv: readonly string[]) => run(['ip', ...argv], { timeoutMs, netns });

  /** The failure of the last of `commands`, classified from what it said. */
  const commandFailed = (doing: string, commands: readonly CommandResult[]): Failure => {
    const last = commands[commands.length - 1] as CommandResult;
    const { cause, what } = classifyFailure(last);
    return failure(
      cause,
      `${doing}: ${what} (${lastLine(last.output) ?? endingOf(last, timeoutMs)})`,
      commands,
    );
  };

  const presence = async (target: ValidTarget): Promise<PresenceOutcome> => {
    const show = await ip(['-j', 'addr', 'show', 'dev', target.iface]);
    const doing = `inspect ${target.iface}`;
    if (!succeeded(show)) return commandFailed(doing, [show]);
    const state = parseInterfaceState(show.output);
    if (typeof state === 'string') return failure('transient', `${doing}: ${state}`, [show]);
    const prefixes = prefixesOf(target, state);
    return { ok: true, present: prefixes.length > 0, prefixes, interface: state, commands: [show] };
  };

  const acquire = async (request: AcquireRequest): Promise<VipOutcome> => {
    const checked = checkVipTarget(request);
    if (!checked.ok) return invalid('acquire', request, checked.message);
    const target = checked.target;
    const fail = (base: Failure) => failedOperation('acquire', target.address, base);
    const found = await presence(target);
    if (!found.ok) return fail(found);
    const doing = `acquire ${target.cidr} on ${target.iface}`;
    const down = linkDownReason(found.interface);
    if (down !== null) return fail(failure('transient', `${doing}: ${down}`, found.commands));
    if (!inLocalSubnet(target, found.interface)) {
      const own = subnetsOf(target, found.interface).join(', ') || 'none';
      const why = `${target.address} is in no subnet of ${target.iface} (its IPv${target.family} addresses: ${own})`;
      return fail(failure('config', `${doing}: ${why}`, found.commands));
    }
    // IPv6: skip duplicate address detection, or the address stays "tentative" (unusable) a while.
    const nodad = target.family === 6 ? ['nodad'] : [];
    const add = await ip(['addr', 'add', target.cidr, 'dev', target.iface, ...nodad]);
    const unchanged = isAlreadyPresent(add);
    if (!succeeded(add) && !unchanged) return fail(commandFailed(doing, [...found.commands, add]));
    const arp = await sendGratuitousArp(target, request, run, { timeoutMs, netns });
    const commands = [...found.commands, add, ...(arp.command === null ? [] : [arp.command])];
    return { ok: true, operation: 'acquire', address: target.address, unchanged, arp: arp.report, commands };
  };

  /** Deletes `prefixes` copies of the address; a copy already gone counts as deleted. */
  const remove = async (
    target: ValidTarget,
    prefixes: readonly number[],
    before: readonly CommandResult[],
  ): Promise<VipOutcome> => {
    const commands = [...before];
    let removed = 0;
    for (const prefix of prefixes) {
      const cidr = `${target.address}/${prefix}`;
      const del = await ip(['addr', 'del', cidr, 'dev', target.iface]);
      commands.push(del);
      if (succeeded(del)) removed += 1;
      else if (!isNotPresent(del)) {
        return failedOperation(
          'release',
          target.address,
          commandFailed(`release ${cidr} on ${target.iface}`, commands),
        );
      }
    }
    return {
      ok: true,
      operation: 'release',
      address: target.address,
      unchanged: removed === 0,
      arp: null,
      commands,
    };
  };

  const release = async (request: VipTarget): Promise<VipOutcome> => {
    const checked = checkVipTarget(request);
    if (!checked.ok) return invalid('release', request, checked.message);
    return remove(checked.target, [checked.target.prefix], []);
  };

  const cleanStale = async (request: VipTarget): Promise<VipOutcome> => {
    const checked = checkVipTarget(request);
    if (!checked.ok) return invalid('release', request, checked.message);
    const found = await presence(checked.target);
    if (!found.ok) return failedOperation('release', request.address, found);
    return remove(checked.target, found.prefixes, found.commands);
  };

  const isPresent = async (request: VipTarget): Promise<PresenceOutcome> => {
    const checked = checkVipTarget(request);
    return checked.ok ? presence(checked.target) : failure('config', checked.message, []);
  };

  return { acquire, release, isPresent, cleanStale };
}

/** A request refused before any command ran: a configuration error. */
function invalid(operation: VipOperation, request: VipTarget, message: string): VipFailure {
  return failedOperation(operation, request.address, failure('config', message, []));
}

function lastLine(output: string): string | undefined {
  const line = output.trim().split('\n').pop()?.trim();
  return line === '' ? undefined : line;
}
