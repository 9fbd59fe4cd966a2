/**
 * Health of the secondary network: each probe's result is journaled as HealthChecked and folded with
 * the domain's rise/fall hysteresis. No process ever exits because of health; the domain decides
 * what an unhealthy node does (release the VIP, resign only if a healthy candidate exists).
 */
import { merge, type Observable, type SchedulerLike } from 'rxjs';
import { ignoreElements, tap } from 'rxjs/operators';
import { recordEvent } from '../domain/node/index.ts';
import type { Config } from '../infra/config/schema.ts';
import { commandProbe$, type HealthCheck, peerProbe$ } from '../infra/health/index.ts';
import type { NodeStore } from './node-store.ts';

/** The probes a node's configuration asks for: peers always (none: a single node is valid), a command when set. */
export function configuredProbes(
  health: Config['health'],
  scheduler: SchedulerLike,
): Observable<HealthCheck>[] {
  const { peers, probeTimeoutMs, intervalMs, command, commandTimeoutMs } = health;
  const probes = [peerProbe$({ peers, timeoutMs: probeTimeoutMs, intervalMs }, { scheduler })];
  if (command !== undefined)
    probes.push(commandProbe$({ argv: command, timeoutMs: commandTimeoutMs, intervalMs }, { scheduler }));
  return probes;
}

/** Journals and folds every probe result; emits nothing. */
export function health$(
  probes: readonly Observable<HealthCheck>[],
  store: NodeStore,
  scheduler: SchedulerLike,
): Observable<never> {
  return merge(...probes).pipe(
    tap(({ probe, ok, detail }) =>
      store.record([recordEvent(store.current(), scheduler.now(), 'HealthChecked', { probe, ok, detail })]),
    ),
    ignoreElements(),
  );
}
