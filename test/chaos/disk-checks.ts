/**
 * What a node whose journal disk filled must show (the `stopped-on-full-disk` promise): its process
 * stopped on its own with exit 70 and a fatal log line naming the journal and ENOSPC (no crash: the
 * process checks refuse stack traces and other codes); it began no new leadership term after its
 * journal's last entry; another node led if it had; started again on a freed disk, it joined again.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExitCode } from '../../src/cli/exit-codes.ts';
import type { ExpectationOf, RunEvidence } from './expectation-checks.ts';
import type { Verdict } from './verdict.ts';

export function checkStoppedOnFullDisk(
  verdict: Verdict,
  evidence: RunEvidence,
  want: ExpectationOf<'stopped-on-full-disk'>,
): void {
  const fail = (detail: string) => verdict.fail('stops safely on a full disk', `${want.node}: ${detail}`);
  const node = evidence.nodes.find((n) => n.id === want.node);
  const life = node?.lives.find((l) => l.pid === want.pid);
  if (node === undefined || life === undefined) {
    fail(`no process ${want.pid}`);
    return;
  }
  if (life.exit?.code !== ExitCode.FATAL)
    fail(`process ${want.pid} exited ${JSON.stringify(life.exit)}, not ${ExitCode.FATAL}`);
  const said = readFileSync(join(node.dir, 'taskd.log'), 'utf8')
    .split('\n')
    .filter((line) => line.includes('"level":60'))
    .find((line) => line.includes(want.file) && line.includes('ENOSPC'));
  if (said === undefined) fail(`no fatal log line names ${want.file} and ENOSPC`);
  const journal = evidence.journals.get(want.node);
  const lastEntry = journal?.entries.filter((e) => e.at < want.restartedAt).at(-1);
  if (lastEntry === undefined) {
    fail('no journal entry before the restart');
    return;
  }
  const afterJournal = evidence.log.filter(
    (e) => e.meta.node === want.node && e.meta.at > lastEntry.at && e.meta.at < want.restartedAt,
  );
  for (const e of afterJournal.filter((e) => e.type === 'EpochStarted'))
    fail(`began term ${e.meta.epoch} (position ${e.position}) after its journal's last entry`);
  if (want.wasLeader) {
    const others = [...evidence.journals.values()].filter((j) => j.node !== want.node);
    const took = others.some((j) =>
      j.entries.some(
        (e) => e.type === 'LeadershipAcquired' && e.at > want.filledAt && e.at < want.restartedAt,
      ),
    );
    if (!took) fail('was leader, and no other node led while it was down');
  }
  const back = journal?.entries.find((e) => e.type === 'SessionConnected' && e.at > want.restartedAt);
  if (back === undefined) fail('did not connect again once started on a freed disk');
  const assigned = afterJournal.filter((e) => e.type === 'TaskAssigned').length;
  verdict.note(
    `${want.node} disk full: exit ${JSON.stringify(life.exit)} ${(life.exitedAt ?? 0) - want.filledAt} ms after the fill; ` +
      `journal's last entry ${lastEntry.type} (line ${lastEntry.line}); ${afterJournal.length} task-log writes after it ` +
      `(${assigned} assignments from the term it had journaled, while its teardown ran)`,
  );
}
