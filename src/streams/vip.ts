/**
 * The VIP interpreter: the domain decides (hold it only while leader, connected and healthy); this
 * stream carries the decision out with `ip`/`arping`, one operation at a time, and journals what the
 * command did (VipAcquired / VipReleased / VipFailed with its output). Configuration mistakes are
 * reported once and never retried; passing failures are retried with the domain's backoff.
 */
import { defer, interval, merge, type Observable, type SchedulerLike } from 'rxjs';
import { exhaustMap, ignoreElements, map } from 'rxjs/operators';
import { decideVip, type NodeEventOf, recordEvent } from '../domain/node/index.ts';
import type { Config } from '../infra/config/schema.ts';
import { type VipAdapter, type VipOutcome, vipEventOf } from '../infra/vip/index.ts';
import type { NodeStore } from './node-store.ts';

export interface VipDeps {
  readonly store: NodeStore;
  readonly adapter: VipAdapter;
  readonly vip: NonNullable<Config['vip']>;
  readonly scheduler: SchedulerLike;
  /** How often a pending retry is looked at, besides every state change. */
  readonly retryTickMs?: number;
}

/** Journals an adapter outcome as the node event it stands for. */
export function recordVipOutcome(store: NodeStore, scheduler: SchedulerLike, outcome: VipOutcome): void {
  const body = vipEventOf(outcome);
  const event = recordEvent(
    store.current(),
    scheduler.now(),
    body.type,
    body.data as never,
  ) as NodeEventOf<'VipAcquired'>;
  store.record([event]);
}

export interface VipController {
  /** Follows the domain's VIP decisions until stopped; emits nothing. */
  readonly run$: Observable<never>;
  /** Teardown's VIP step: no new operation, wait for the one in flight, then delete the address. */
  stop(): Promise<void>;
}

/** The VIP of one incarnation. */
export function createVipController({
  store,
  adapter,
  vip,
  scheduler,
  retryTickMs = 500,
}: VipDeps): VipController {
  const target = { address: vip.address, prefix: vip.prefix, iface: vip.iface };
  let stopped = false;
  let inFlight: Promise<void> = Promise.resolve();

  const operate = async (): Promise<void> => {
    const decision = decideVip({ now: scheduler.now() }, store.current());
    if (stopped || decision.action === 'none') return;
    const stale = decision.action === 'release' && decision.reason === 'stale';
    const outcome =
      decision.action === 'acquire'
        ? await adapter.acquire({ ...target, arpCount: vip.arpCount, arpIntervalMs: vip.arpIntervalMs })
        : stale
          ? await adapter.cleanStale(target)
          : await adapter.release(target);
    recordVipOutcome(store, scheduler, outcome);
  };

  return {
    // One operation at a time: a decision taken while a command runs is taken again after it.
    run$: merge(store.state$.pipe(map(() => undefined)), interval(retryTickMs, scheduler)).pipe(
      exhaustMap(() =>
        defer(() => {
          inFlight = operate();
          return inFlight;
        }),
      ),
      ignoreElements(),
    ),
    stop: async () => {
      stopped = true;
      await inFlight.catch(() => undefined);
      const vip = store.current().vip;
      // Released, or a configuration mistake that never configured anything: nothing to delete.
      if (
        vip.status === 'released' ||
        (vip.status === 'failed' && vip.cause === 'config' && vip.operation === 'acquire')
      )
        return;
      const outcome = await adapter.release(target);
      recordVipOutcome(store, scheduler, outcome);
      if (!outcome.ok) throw new Error(outcome.message);
    },
  };
}
