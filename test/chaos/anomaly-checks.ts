/**
 * The anomalies `taskd replay` found, judged against the schedule: a process the schedule killed
 * died without a teardown (and the VIP it held stays on its interface until it starts again), a
 * paused leader cannot step down, and a journal the schedule damaged may contradict itself; anything else
 * from the node fold (a second teardown, a step out of order, a session closed twice), two leaders
 * beyond the suspicion window, a storm, a lost or stranded task, is a violation.
 */
import type { AnomalyReport, ReplayReport } from '../../src/replay/index.ts';
import { SUSPICION_WINDOW_MS } from './chaos-settings.ts';
import type { FaultRecord } from './fault-kinds.ts';
import type { Verdict } from './verdict.ts';

/** Kinds the task fold records when it refuses an event; task-checks compares each with the oracle. */
const REFUSALS = new Set(['zombie-write', 'invalid-transition']);
/** Worth a note, not a failure: SIGSTOP is a stall by design. */
const NOTES = new Set(['session-loss-after-stall']);

export function checkAnomalies(
  verdict: Verdict,
  report: ReplayReport,
  records: readonly FaultRecord[],
): void {
  // A full disk ends a process without a journaled teardown: to replay, the same as kill -9.
  const kills = new Map<string, number>();
  for (const node of records.flatMap((r) => [...r.killed, ...r.endedUnjournaled]))
    kills.set(node, (kills.get(node) ?? 0) + 1);
  const diedWithoutTeardown = new Map<string, number>();
  const byKind = new Map<string, number>();
  for (const anomaly of report.anomalies) {
    byKind.set(anomaly.kind, (byKind.get(anomaly.kind) ?? 0) + 1);
    if (REFUSALS.has(anomaly.kind) || NOTES.has(anomaly.kind)) continue;
    // First: a death the damage explains must not use up the allowance of a later kill.
    if (anomaly.source === 'node-fold' && explainedByDamage(anomaly, records)) {
      verdict.note(`explained by the damaged journal: ${describe(anomaly)}`);
      continue;
    }
    if (anomaly.kind === 'process-died-without-teardown') {
      const node = anomaly.nodes[0] ?? '?';
      const count = (diedWithoutTeardown.get(node) ?? 0) + 1;
      diedWithoutTeardown.set(node, count);
      if (count <= (kills.get(node) ?? 0)) continue;
    }
    if (anomaly.kind === 'two-leaders' && explainedByPause(anomaly, records)) {
      verdict.note(`two leaders while one was paused by the schedule: ${describe(anomaly)}`);
      continue;
    }
    if (anomaly.kind === 'vip-on-two-nodes' && explainedByPause(anomaly, records)) {
      verdict.note(`the VIP on two nodes while one was paused by the schedule: ${describe(anomaly)}`);
      continue;
    }
    if (anomaly.kind === 'vip-on-two-nodes' && explainedByUnjournaledEnd(anomaly, records)) {
      verdict.note(`the VIP left on a node whose process the schedule ended: ${describe(anomaly)}`);
      continue;
    }
    verdict.fail(`replay: ${anomaly.kind}`, describe(anomaly));
  }
  if (report.summary.anomalies > report.summary.anomaliesShown)
    verdict.fail(
      'replay',
      `only ${report.summary.anomaliesShown} of ${report.summary.anomalies} anomalies listed`,
    );
  const kinds = [...byKind].map(([kind, count]) => `${kind} ${count}`).join(', ');
  verdict.note(`replay anomalies: ${kinds || 'none'}`);
}

/** Two leaders only while one of them was frozen by the schedule (or just after, within suspicion). */
function explainedByPause(anomaly: AnomalyReport, records: readonly FaultRecord[]): boolean {
  const until = anomaly.until ?? anomaly.at;
  return records.some((r) =>
    r.paused.some(
      (p) => anomaly.nodes.includes(p.node) && p.from <= anomaly.at && until <= p.to + SUSPICION_WINDOW_MS,
    ),
  );
}

/**
 * The VIP on a node whose process the schedule ended without a release (kill -9, a full disk) and on
 * the next leader: the dead process's copy stays on its interface until the node starts again and
 * removes it, within the suspicion window of the cluster settling after that fault.
 */
function explainedByUnjournaledEnd(anomaly: AnomalyReport, records: readonly FaultRecord[]): boolean {
  const until = anomaly.until ?? anomaly.at;
  return records.some(
    (r) =>
      [...r.killed, ...r.endedUnjournaled].some((node) => anomaly.nodes.includes(node)) &&
      r.startedAt <= anomaly.at &&
      until <= (r.settledAt ?? r.endedAt) + SUSPICION_WINDOW_MS,
  );
}

/**
 * A node-fold anomaly on a damaged journal, before the node started again; or the new process's
 * finding that the one the schedule stopped ended mid-teardown (a damaged teardown line reads so),
 * dated at the new ProcessStarted but about events from before the restart.
 */
function explainedByDamage(anomaly: AnomalyReport, records: readonly FaultRecord[]): boolean {
  const about = Math.min(anomaly.at, ...anomaly.evidence.map((e) => e.at));
  return records.some((r) =>
    r.expectations.some(
      (e) =>
        e.kind === 'journal-damage' &&
        anomaly.nodes.includes(e.node) &&
        (anomaly.at <= e.restartedAt ||
          (anomaly.kind === 'process-died-without-teardown' && about <= e.restartedAt)),
    ),
  );
}

/** An anomaly with its evidence, as one line a reader can follow to the journal. */
export function describe(anomaly: AnomalyReport): string {
  const evidence = anomaly.evidence
    .map((e) => {
      const where =
        e.location.line !== undefined
          ? `${basename(e.location.source)}:${e.location.line}`
          : `${e.location.stream}@${e.location.revision}`;
      return `${e.node} ${e.type} ${e.time} ${where}${e.note ? ` (${e.note})` : ''}`;
    })
    .join('; ');
  return `[${anomaly.time}${anomaly.until ? ` → ${new Date(anomaly.until).toISOString()}` : ''} ${anomaly.nodes.join(',')}] ${anomaly.message} {${evidence}}`;
}

function basename(path: string | undefined): string {
  return path === undefined ? '?' : path.slice(path.lastIndexOf('/') + 1);
}
