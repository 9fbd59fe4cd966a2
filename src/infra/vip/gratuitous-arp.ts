/**
 * The gratuitous ARP that tells the segment the VIP moved here. iputils `arping` takes its interval
 * in whole seconds, so a shorter configured interval is rounded up to 1 s; the deadline (`-w`) lets
 * it end on its own a second after the last packet, and the command timeout is a margin beyond that.
 */

import { type CommandResult, endingOf, type RunCommand, succeeded } from '../command/index.ts';
import type { ArpReport } from './vip-outcome.ts';
import type { ValidTarget } from './vip-target.ts';

export interface ArpSettings {
  /** Packets to send; 0 sends none. */
  readonly arpCount: number;
  readonly arpIntervalMs: number;
}

/** The arping argv for `target`, and how long the command may take. */
export function arpingCommand(
  target: ValidTarget,
  settings: ArpSettings,
): { argv: string[]; expectedMs: number } {
  const intervalS = Math.max(1, Math.ceil(settings.arpIntervalMs / 1_000));
  const deadlineS = settings.arpCount * intervalS + 1;
  const interval = intervalS === 1 ? [] : ['-i', String(intervalS)];
  const argv = ['arping', '-U', '-c', String(settings.arpCount), ...interval, '-w', String(deadlineS)];
  return { argv: [...argv, '-I', target.iface, target.address], expectedMs: deadlineS * 1_000 };
}

/** Sends the gratuitous ARP (IPv4 only) and reports it; the command, when run, is returned too. */
export async function sendGratuitousArp(
  target: ValidTarget,
  settings: ArpSettings,
  run: RunCommand,
  options: { readonly timeoutMs: number; readonly netns?: string },
): Promise<{ report: ArpReport; command: CommandResult | null }> {
  if (target.family === 6) {
    const reason = 'IPv6 address: no ARP (arping is IPv4-only); neighbours learn it by neighbour discovery';
    return { report: { status: 'skipped', reason }, command: null };
  }
  if (settings.arpCount <= 0) {
    return { report: { status: 'skipped', reason: 'arpCount is 0' }, command: null };
  }
  const { argv, expectedMs } = arpingCommand(target, settings);
  const timeoutMs = expectedMs + options.timeoutMs;
  const command = await run(argv, { timeoutMs, netns: options.netns });
  if (succeeded(command)) return { report: { status: 'sent' }, command };
  const output = command.output.trim();
  const message = `gratuitous ARP failed (${endingOf(command, timeoutMs)})${output === '' ? '' : `: ${output}`}`;
  return { report: { status: 'failed', message }, command };
}
