/**
 * Nobody acts on what it did not journal (DESIGN §2, §3): every write a node made to the task log as
 * a runner names an incarnation its journal started, and every write as the leader names a term its
 * journal acquired in that incarnation, both before the write. A journal the schedule damaged may
 * have lost the very line, so its node is left out (and said so).
 */
import type { LoggedEvent } from '../../src/infra/log/port.ts';
import type { NodeJournal } from './node-journals.ts';
import type { Verdict } from './verdict.ts';

const MAX_QUOTED = 5;

export function checkJournaledActs(
  verdict: Verdict,
  journals: ReadonlyMap<string, NodeJournal>,
  log: readonly LoggedEvent[],
): void {
  const unjournaled: string[] = [];
  const skipped = new Set<string>();
  for (const event of log) {
    if (event.stream !== 'dispatch' && !event.stream.startsWith('runner-')) continue;
    const { node, incarnation, epoch, at } = event.meta;
    const journal = journals.get(node);
    if (journal === undefined || journal.unreadable.length > 0) {
      skipped.add(node);
      continue;
    }
    const started = journal.entries.some(
      (e) => e.type === 'ServicesStarted' && e.data.incarnation === incarnation && e.at <= at,
    );
    const led =
      event.stream !== 'dispatch' ||
      journal.entries.some(
        (e) =>
          e.type === 'LeadershipAcquired' &&
          e.data.epoch === epoch &&
          e.incarnation === incarnation &&
          e.at <= at,
      );
    if (!started || !led)
      unjournaled.push(
        `${node} wrote ${event.type} (position ${event.position}) under incarnation ${incarnation}` +
          `${event.stream === 'dispatch' ? `, epoch ${epoch}` : ''} that its journal ${started ? 'never led' : 'never started'}`,
      );
  }
  for (const line of unjournaled.slice(0, MAX_QUOTED)) verdict.fail('acts only on what it journaled', line);
  if (unjournaled.length > MAX_QUOTED)
    verdict.fail('acts only on what it journaled', `${unjournaled.length - MAX_QUOTED} more such writes`);
  if (skipped.size > 0)
    verdict.note(`journaled acts not checked for ${[...skipped].join(', ')} (journal damaged or missing)`);
}
