/**
 * Each fault's promise about its own window (from its start to its heal plus the time it asked to
 * be watched), judged from the journals, the task log, the replay report and the node logs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoggedEvent } from '../../src/infra/log/port.ts';
import type { ReplayReport } from '../../src/replay/index.ts';
import type { ChaosNode } from './chaos-node.ts';
import { checkStoppedOnFullDisk } from './disk-checks.ts';
import type { Expectation, FaultRecord } from './fault-kinds.ts';
import { checkFencedOff } from './fencing-checks.ts';
import { entriesBetween, type NodeJournal } from './node-journals.ts';
import type { Verdict } from './verdict.ts';

export interface RunEvidence {
  readonly journals: ReadonlyMap<string, NodeJournal>;
  readonly nodes: readonly ChaosNode[];
  readonly log: readonly LoggedEvent[];
  readonly report: ReplayReport | undefined;
}

interface Window {
  readonly from: number;
  readonly to: number;
  readonly target: string;
}

export type ExpectationOf<K extends Expectation['kind']> = Extract<Expectation, { kind: K }>;

export function checkExpectations(
  verdict: Verdict,
  evidence: RunEvidence,
  records: readonly FaultRecord[],
): void {
  for (const record of records) {
    const window = {
      from: record.startedAt,
      to: record.endedAt + (record.observeMs ?? 0),
      target: record.target,
    };
    for (const expectation of record.expectations) {
      switch (expectation.kind) {
        case 'nothing-changes':
          nothingChanges(verdict, evidence, window);
          break;
        case 'teardowns':
          teardowns(verdict, evidence, window, expectation);
          break;
        case 'moved-server':
          movedServer(verdict, evidence, window, expectation);
          break;
        case 'journal-damage':
          damageReported(verdict, evidence, expectation, record.settledAt ?? record.endedAt);
          break;
        case 'fenced-off':
          checkFencedOff(verdict, evidence, expectation, record.settledAt ?? record.endedAt);
          break;
        case 'stopped-on-full-disk':
          checkStoppedOnFullDisk(verdict, evidence, expectation);
          break;
      }
    }
  }
}

const taskIdOf = (event: LoggedEvent) => String((event.data as { taskId?: unknown }).taskId);
const attemptOf = (event: LoggedEvent) => Number((event.data as { attempt?: unknown }).attempt);
const within = (event: LoggedEvent, window: Window) =>
  event.meta.at >= window.from && event.meta.at <= window.to;

/** No leadership change, teardown or restart anywhere; no task interrupted or run again. */
function nothingChanges(verdict: Verdict, evidence: RunEvidence, window: Window): void {
  const watched = [
    'LeadershipAcquired',
    'LeadershipLost',
    'ShutdownRequested',
    'SessionLost',
    'RestartScheduled',
  ];
  for (const journal of evidence.journals.values()) {
    for (const e of entriesBetween(journal, watched, window.from, window.to))
      verdict.fail(
        'nothing changes',
        `${window.target} paused: ${journal.node} ${e.type} (journal line ${e.line})`,
      );
  }
  const failTasks = new Set(
    evidence.log
      .filter((e) => e.type === 'TaskSubmitted' && (e.data as { type?: unknown }).type === 'fail')
      .map(taskIdOf),
  );
  // A requeue after a retryable failure is normal; an interruption or a second run of work is not.
  const rerun = evidence.log.filter(
    (e) =>
      within(e, window) &&
      (e.type === 'TaskInterrupted' ||
        (e.type === 'TaskStarted' && attemptOf(e) > 1 && !failTasks.has(taskIdOf(e)))),
  );
  for (const e of rerun)
    verdict.fail(
      'nothing run twice',
      `${e.type} of ${taskIdOf(e)} attempt ${attemptOf(e)} at position ${e.position}`,
    );
}

/** Exactly `count` session-loss teardowns, restarts and service starts, in one process. */
function teardowns(
  verdict: Verdict,
  evidence: RunEvidence,
  window: Window,
  want: ExpectationOf<'teardowns'>,
): void {
  const journal = evidence.journals.get(want.node);
  if (journal === undefined) {
    verdict.fail('teardowns', `no journal for ${want.node}`);
    return;
  }
  const count = (type: string, match: (data: Record<string, unknown>) => boolean = () => true) =>
    entriesBetween(journal, [type], window.from, window.to).filter((e) => match(e.data)).length;
  const seen = {
    sessionLost: count('ShutdownRequested', (d) => d.trigger === 'session-lost'),
    otherShutdowns: count('ShutdownRequested', (d) => d.trigger !== 'session-lost'),
    finished: count('TeardownFinished'),
    restarts: count('RestartScheduled'),
    started: count('ServicesStarted'),
    processes: count('ProcessStarted'),
  };
  const n = want.count;
  const counted =
    seen.sessionLost === n &&
    seen.otherShutdowns === 0 &&
    seen.finished === n &&
    seen.restarts === n &&
    seen.started === n &&
    seen.processes === 0;
  const life = evidence.nodes.find((node) => node.id === want.node)?.lives.find((l) => l.pid === want.pid);
  const sameProcess = life !== undefined && (life.exitedAt ?? Number.POSITIVE_INFINITY) > window.to;
  if (!counted || !sameProcess) {
    const process = sameProcess ? '' : ' (the process changed)';
    verdict.fail(
      'teardowns',
      `${want.node}: wanted ${n} of each in one process, saw ${JSON.stringify(seen)}${process}`,
    );
  }
}

/** The node kept its session (no loss, no teardown) and connected to another server under it. */
function movedServer(
  verdict: Verdict,
  evidence: RunEvidence,
  window: Window,
  want: ExpectationOf<'moved-server'>,
): void {
  const journal = evidence.journals.get(want.node);
  if (journal === undefined) {
    verdict.fail('moved server', `no journal for ${want.node}`);
    return;
  }
  for (const e of entriesBetween(journal, ['SessionLost', 'ShutdownRequested'], window.from, window.to))
    verdict.fail(
      'moved server',
      `${want.node}: ${e.type} ${JSON.stringify(e.data)} at journal line ${e.line}`,
    );
  const before = journal.entries.filter((e) => e.type === 'SessionConnected' && e.at < window.from).at(-1);
  const moved = entriesBetween(journal, ['SessionConnected'], window.from, window.to).filter(
    (e) => e.data.server !== want.from && e.data.sessionId === before?.data.sessionId,
  );
  if (moved.length === 0)
    verdict.fail(
      'moved server',
      `${want.node}: no SessionConnected to another server under session ${String(before?.data.sessionId)}`,
    );
}

/**
 * Replay and the node's own log name both damaged lines; the node ran work once it was back (once the
 * cluster was stable with it again, at `back`).
 */
function damageReported(
  verdict: Verdict,
  evidence: RunEvidence,
  damage: ExpectationOf<'journal-damage'>,
  back: number,
): void {
  const skipped = (evidence.report?.inputs ?? []).flatMap((input) => input.skipped);
  const lines = [damage.zeroedLine, damage.cutLine];
  for (const line of lines) {
    const found = skipped.find((s) => s.location?.source === damage.file && s.location.line === line);
    if (found === undefined)
      verdict.fail('damage reported by replay', `${damage.file}:${line} is not among the skipped records`);
    else
      verdict.note(
        `replay: ${damage.node} journal line ${line} skipped (${found.kind}: ${found.message}) at offset ${found.location?.offset}`,
      );
  }
  const node = evidence.nodes.find((n) => n.id === damage.node);
  const warned = (node === undefined ? '' : readFileSync(join(node.dir, 'taskd.log'), 'utf8'))
    .split('\n')
    .filter((l) => l.includes('journal: skipped a record'))
    .map((l) => (JSON.parse(l) as { anomaly?: { location?: { line?: number } } }).anomaly?.location?.line);
  for (const line of lines) {
    if (!warned.includes(line))
      verdict.fail(
        'damage reported by the node',
        `${damage.node} did not log journal line ${line} as skipped`,
      );
  }
  const startedAfter = evidence.log.filter((e) => e.type === 'TaskStarted' && e.meta.at >= back);
  const mine = startedAfter.filter((e) => e.meta.node === damage.node).length;
  if (mine === 0 && startedAfter.length >= 3)
    verdict.fail(
      'works after damage',
      `${damage.node} started none of the ${startedAfter.length} attempts run after it came back`,
    );
  verdict.note(`${damage.node} started ${mine} of the ${startedAfter.length} attempts run after it was back`);
}
