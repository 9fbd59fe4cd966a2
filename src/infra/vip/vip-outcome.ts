/**
 * What a VIP operation produced, shaped so that the daemon journals it 1:1: a success is
 * `VipAcquired`/`VipReleased`, a failure is `VipFailed{operation, cause, message, output}`, and the
 * commands run (with their output) are kept for the log line that goes with the event.
 */
import type {
  VipAcquired,
  VipFailed,
  VipFailureCause,
  VipOperation,
  VipReleased,
} from '../../domain/node/events.ts';
import { type CommandResult, transcriptOf } from '../command/index.ts';

/** The gratuitous ARP after an add: sent, failed (the address stays), or skipped with why. */
export type ArpReport =
  | { readonly status: 'sent' }
  | { readonly status: 'failed'; readonly message: string }
  | { readonly status: 'skipped'; readonly reason: string };

export interface VipSuccess {
  readonly ok: true;
  readonly operation: VipOperation;
  readonly address: string;
  /** The address was already on (acquire) or already off (release) the interface: nothing changed. */
  readonly unchanged: boolean;
  /** Acquire only; null for a release. */
  readonly arp: ArpReport | null;
  readonly commands: readonly CommandResult[];
}

/** Why something failed, with every command run and how it ended. */
export interface Failure {
  readonly ok: false;
  readonly cause: VipFailureCause;
  readonly message: string;
  /** The transcript of `commands` (empty when validation stopped it before any command). */
  readonly output: string;
  readonly commands: readonly CommandResult[];
}

export interface VipFailure extends Failure {
  readonly operation: VipOperation;
  readonly address: string;
}

export type VipOutcome = VipSuccess | VipFailure;

/** The node event an outcome is, minus its meta (the journal adds that). */
export type VipEventBody =
  | Pick<VipAcquired, 'type' | 'data'>
  | Pick<VipReleased, 'type' | 'data'>
  | Pick<VipFailed, 'type' | 'data'>;

/** Maps an outcome to its event: VipAcquired, VipReleased or VipFailed. */
export function vipEventOf(outcome: VipOutcome): VipEventBody {
  if (!outcome.ok) {
    const { operation, cause, message, output } = outcome;
    return { type: 'VipFailed', data: { operation, cause, message, output } };
  }
  const data = { address: outcome.address };
  return outcome.operation === 'acquire' ? { type: 'VipAcquired', data } : { type: 'VipReleased', data };
}

/** A failure whose output is the transcript of `commands`. */
export function failure(
  cause: VipFailureCause,
  message: string,
  commands: readonly CommandResult[],
): Failure {
  return { ok: false, cause, message, output: transcriptOf(commands), commands };
}

/** The failure of `operation` on `address`. */
export function failedOperation(operation: VipOperation, address: string, base: Failure): VipFailure {
  return { ...base, operation, address };
}
