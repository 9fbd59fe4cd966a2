/**
 * What a node cut off from ZooKeeper must show (the `fenced-off` promise): it suspected its session,
 * lost it to the suspicion timer while still cut off, tore that incarnation down and restarted in the
 * same process; it wrote nothing more under the incarnation it lost (its handlers were aborted, not
 * left to report); another node led if it had; after the link came back it joined under a new session.
 */
import type { ExpectationOf, RunEvidence } from './expectation-checks.ts';
import type { JournalEntry } from './node-journals.ts';
import type { Verdict } from './verdict.ts';

export function checkFencedOff(
  verdict: Verdict,
  evidence: RunEvidence,
  want: ExpectationOf<'fenced-off'>,
  settledAt: number,
): void {
  const fail = (detail: string) => verdict.fail('fenced off', `${want.node}: ${detail}`);
  const journal = evidence.journals.get(want.node);
  if (journal === undefined) {
    fail('no journal');
    return;
  }
  const after = (type: string, from: number, match: (e: JournalEntry) => boolean = () => true) =>
    journal.entries.find((e) => e.type === type && e.at >= from && match(e));
  const lost = after('SessionLost', want.cutAt);
  if (lost === undefined || lost.at > want.restoredAt) {
    fail('no SessionLost while it was cut off');
    return;
  }
  if (lost.data.reason !== 'suspicion-timeout')
    fail(
      `lost its session as "${String(lost.data.reason)}" (line ${lost.line}), not to its own suspicion timer`,
    );
  if (after('SessionSuspended', want.cutAt, (e) => e.at <= lost.at) === undefined)
    fail('lost its session without suspecting it first');
  const mine = (e: JournalEntry) => e.incarnation === lost.incarnation;
  const shutdown = after('ShutdownRequested', lost.at, mine);
  if (shutdown?.data.trigger !== 'session-lost')
    fail(`no session-lost teardown of incarnation ${lost.incarnation}`);
  if (after('TeardownFinished', lost.at, mine) === undefined)
    fail(`the teardown of incarnation ${lost.incarnation} never finished`);
  if (after('RestartScheduled', lost.at) === undefined || after('ServicesStarted', lost.at) === undefined)
    fail('did not restart in-process');
  const life = evidence.nodes.find((n) => n.id === want.node)?.lives.find((l) => l.pid === want.pid);
  if (life === undefined || (life.exitedAt ?? Number.POSITIVE_INFINITY) <= settledAt)
    fail(`its process ${want.pid} did not live through the cut`);
  const before = journal.entries.filter((e) => e.type === 'SessionConnected' && e.at < want.cutAt).at(-1);
  const back = after('SessionConnected', want.restoredAt, (e) => e.data.sessionId !== before?.data.sessionId);
  if (back === undefined || back.at > settledAt) fail('did not join again under a new session once restored');
  const late = evidence.log.filter(
    (e) => e.meta.node === want.node && e.meta.incarnation === lost.incarnation && e.meta.at > lost.at,
  );
  for (const e of late.slice(0, 3))
    fail(`wrote ${e.type} (position ${e.position}) under incarnation ${lost.incarnation} after losing it`);
  if (want.wasLeader && !anotherLed(evidence, want.node, want.cutAt, settledAt))
    fail('was leader, and no other node led after it was cut off');
  verdict.note(
    `${want.node} cut off: suspected, lost (${String(lost.data.reason)}) ${lost.at - want.cutAt} ms after the cut; ` +
      `rejoined ${back === undefined ? 'never' : `${back.at - want.restoredAt} ms after the link came back`}`,
  );
}

/**
 * Did a node other than `node` lead within (from, to]: by its journal (LeadershipAcquired), or by
 * the task log (its EpochStarted), which still says so when the schedule damaged that journal line.
 */
export function anotherLed(
  evidence: Pick<RunEvidence, 'journals' | 'log'>,
  node: string,
  from: number,
  to: number,
): boolean {
  const within = (at: number) => at > from && at <= to;
  const byJournal = [...evidence.journals.values()].some(
    (j) => j.node !== node && j.entries.some((e) => e.type === 'LeadershipAcquired' && within(e.at)),
  );
  return (
    byJournal ||
    evidence.log.some((e) => e.type === 'EpochStarted' && e.meta.node !== node && within(e.meta.at))
  );
}
