/**
 * The task invariants of a chaos run: every accepted task is in the log and ends exactly once in a
 * status its type allows; no stale epoch wrote and no report was applied twice; and `taskd replay`
 * and every node's API agree with the independent reading of the log, event by event.
 */
import type { ReplayReport } from '../../src/replay/index.ts';
import { isTerminalStatus, type LogReading } from './log-oracle.ts';
import { allowedEnds } from './task-mix.ts';
import type { Verdict } from './verdict.ts';
import type { Submission } from './workload.ts';

/** What a node's API said about one task after the drain. */
export interface ApiTask {
  readonly taskId: string;
  readonly status: string;
}

export function checkTasks(
  verdict: Verdict,
  submissions: readonly Submission[],
  reading: LogReading,
  report: ReplayReport | undefined,
  apiTasks: ReadonlyMap<string, readonly ApiTask[]>,
): void {
  const canonical = (id: string) => (reading.tasks.has(id) ? id : reading.aliases.get(id));
  const specByKey = new Map(submissions.map((s) => [s.spec.idempotencyKey, s]));
  let accepted = 0;
  for (const submission of submissions) {
    const key = submission.spec.idempotencyKey;
    if (submission.status === undefined)
      verdict.note(`submission ${key} gave up: ${submission.tries.join(', ')}`);
    else if (submission.status >= 300)
      verdict.fail('submission refused', `${key} (${submission.spec.type}): ${submission.tries.join(', ')}`);
    if (submission.taskId === undefined) continue;
    accepted += 1;
    const id = canonical(submission.taskId);
    if (id === undefined)
      verdict.fail('task lost', `${submission.taskId} (${key}) was accepted but is not in the log`);
    if (submission.cancel?.status === 202 && id !== undefined && !reading.tasks.get(id)?.cancelInLog)
      verdict.fail('cancel lost', `${id}: accepted (202) but no TaskCancelRequested is in the log`);
  }
  for (const task of reading.tasks.values()) {
    const submission = task.idempotencyKey === undefined ? undefined : specByKey.get(task.idempotencyKey);
    if (task.ends !== 1 || !isTerminalStatus(task.status)) {
      verdict.fail(
        'ends exactly once',
        `${task.taskId} (${task.type}) is ${task.status} after ${task.ends} ends`,
      );
      continue;
    }
    if (
      submission !== undefined &&
      !allowedEnds(submission.spec, task.cancelRequested).includes(task.status)
    ) {
      verdict.fail(
        'expected end',
        `${task.taskId} (${task.type}, ${JSON.stringify(submission.spec.payload)}) ended ${task.status}`,
      );
    }
  }
  for (const stale of reading.staleDispatch)
    verdict.fail(
      'fencing',
      `${stale.type} at position ${stale.position} (${stale.taskId ?? '-'}): ${stale.why}`,
    );
  for (const repeated of reading.repeatedReports)
    verdict.fail(
      'reported twice',
      `${repeated.type} at position ${repeated.position} for ${repeated.taskId}`,
    );
  const refused = [...reading.refused.values()];
  const zombies = refused.filter((r) => r.why.startsWith('zombie')).length;
  verdict.note(
    `${accepted} tasks accepted, ${reading.tasks.size} in the log (+${reading.aliases.size} folded duplicates); ` +
      `${refused.length} events refused by the fold (${zombies} zombie reports)`,
  );
  for (const other of refused.filter((r) => !r.why.startsWith('zombie')).slice(0, 5))
    verdict.note(
      `refused: ${other.type} at position ${other.position} (${other.taskId ?? '-'}): ${other.why}`,
    );
  if (report !== undefined) compareWithReplay(verdict, reading, report);
  for (const [node, tasks] of apiTasks) {
    const byId = new Map(tasks.map((t) => [t.taskId, t.status]));
    for (const task of reading.tasks.values()) {
      const status = byId.get(task.taskId);
      if (status !== task.status)
        verdict.fail(
          'API agrees',
          `${node} says ${task.taskId} is ${status ?? 'unknown'}, the log says ${task.status}`,
        );
    }
  }
}

/** The replay's final state and its refusals, event by event, against the oracle's. */
function compareWithReplay(verdict: Verdict, reading: LogReading, report: ReplayReport): void {
  const replayed = new Map((report.state?.tasks ?? []).map((t) => [t.taskId, t.status as string]));
  for (const task of reading.tasks.values()) {
    const status = replayed.get(task.taskId);
    if (status !== task.status)
      verdict.fail(
        'replay agrees',
        `replay says ${task.taskId} is ${status ?? 'unknown'}, the log says ${task.status}`,
      );
  }
  for (const id of replayed.keys())
    if (!reading.tasks.has(id)) verdict.fail('replay agrees', `replay has a task ${id} the log does not`);
  for (const entry of report.timeline) {
    const position = entry.location.position;
    if (entry.source !== 'task-log' || position === undefined) continue;
    const mine = reading.refused.get(position);
    const theirs = entry.anomalies;
    if ((mine !== undefined) !== theirs.length > 0) {
      verdict.fail(
        'fold agrees',
        `${entry.type} at position ${position} (${entry.taskId ?? '-'}): replay ${theirs.length > 0 ? `refused it (${theirs.join(', ')})` : 'applied it'}, the oracle ${mine === undefined ? 'applies it' : `refuses it (${mine.why})`}`,
      );
    }
  }
}
