/**
 * What the node journals must show, read directly (not through replay): each incarnation tore down
 * at most once and in the one order; restarts stayed within what the faults explain and within the
 * budget. Each fault's own promise about its window is judged in expectation-checks.ts.
 */
import { TEARDOWN_STEPS } from '../../src/domain/node/events.ts';
import { RESTART } from './chaos-settings.ts';
import type { FaultRecord } from './fault-kinds.ts';
import type { NodeJournal } from './node-journals.ts';
import type { Verdict } from './verdict.ts';

export function checkJournals(
  verdict: Verdict,
  journals: ReadonlyMap<string, NodeJournal>,
  records: readonly FaultRecord[],
): void {
  for (const journal of journals.values()) {
    checkTeardownOrder(verdict, journal);
    checkRestarts(verdict, journal, records);
  }
}

/** Per incarnation: one shutdown, steps in TEARDOWN_STEPS order and none twice, one finish. */
function checkTeardownOrder(verdict: Verdict, journal: NodeJournal): void {
  const byIncarnation = new Map<number, string[]>();
  for (const entry of journal.entries) {
    const key = entry.type === 'TeardownStepStarted' ? `step:${String(entry.data.step)}` : entry.type;
    if (!['ShutdownRequested', 'TeardownFinished'].includes(entry.type) && !key.startsWith('step:')) continue;
    const list = byIncarnation.get(entry.incarnation) ?? [];
    list.push(key);
    byIncarnation.set(entry.incarnation, list);
  }
  for (const [incarnation, keys] of byIncarnation) {
    const steps = keys.filter((k) => k.startsWith('step:')).map((k) => k.slice(5));
    const order = steps.map((s) => TEARDOWN_STEPS.indexOf(s as (typeof TEARDOWN_STEPS)[number]));
    const inOrder = order.every((index, i) => index >= 0 && (i === 0 || index > (order[i - 1] as number)));
    const shutdowns = keys.filter((k) => k === 'ShutdownRequested').length;
    const finishes = keys.filter((k) => k === 'TeardownFinished').length;
    if (shutdowns > 1 || finishes > 1 || !inOrder) {
      verdict.fail(
        'teardown once, in order',
        `${journal.node} incarnation ${incarnation}: ${shutdowns} shutdowns, ${finishes} finishes, steps ${steps.join(' → ')}`,
      );
    }
  }
}

/** RestartScheduled: no more than the faults explain, never more than the budget within its window. */
function checkRestarts(verdict: Verdict, journal: NodeJournal, records: readonly FaultRecord[]): void {
  const restarts = journal.entries.filter((e) => e.type === 'RestartScheduled');
  const allowed = records.reduce(
    (sum, r) => sum + (r.restartsAllowed[journal.node] ?? 0) + (r.restartsAllowed['*'] ?? 0),
    0,
  );
  if (restarts.length > allowed) {
    const lines = restarts.map((r) => `line ${r.line} at ${new Date(r.at).toISOString()}`).join(', ');
    verdict.fail(
      'restarts explained',
      `${journal.node}: ${restarts.length} RestartScheduled, the faults explain ${allowed} (${lines})`,
    );
  }
  for (const restart of restarts) {
    const within = restarts.filter((r) => r.at > restart.at - RESTART.windowMs && r.at <= restart.at).length;
    if (within > RESTART.budget) {
      verdict.fail(
        'restart budget',
        `${journal.node}: ${within} restarts within ${RESTART.windowMs} ms (budget ${RESTART.budget})`,
      );
      break;
    }
  }
  for (const exhausted of journal.entries.filter((e) => e.type === 'RestartBudgetExhausted'))
    verdict.fail('restart budget', `${journal.node}: RestartBudgetExhausted at line ${exhausted.line}`);
  verdict.note(`${journal.node}: ${restarts.length} in-process restarts (faults explain up to ${allowed})`);
}
