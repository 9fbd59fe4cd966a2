/**
 * The journal's disk failing: a node's data directory (a tmpfs of its own) filled to the last byte.
 * The node must stop on its own, safely and saying why; once another node leads (if it led), the
 * disk is freed and the node started again, and it must rejoin on the journal it kept.
 */
import { join } from 'node:path';
import { activeJournalName } from '../../src/infra/journal/journal-files.ts';
import { type FaultContext, pickRunner } from './fault-context.ts';
import { type Fault, type FaultRecord, openRecord } from './fault-kinds.ts';
import { dataDirOf } from './node-journals.ts';

type FaultOf<K extends Fault['kind']> = Extract<Fault, { kind: K }>;

/** How long a node may take to notice its full disk: its next journal write (members, checkpoints). */
const NOTICE_TIMEOUT_MS = 60_000;

export async function fillJournalDisk(
  context: FaultContext,
  fault: FaultOf<'journal-disk-full'>,
): Promise<FaultRecord> {
  const { cluster } = context;
  const disks = cluster.stage.disks;
  if (disks === undefined) throw new Error('journal-disk-full needs the data directories on tmpfs');
  const leader = await cluster.waitLeader();
  const target = fault.target === 'leader' ? leader : await pickRunner(context);
  const record = openRecord(fault, target.id);
  const pid = target.current.pid ?? -1;
  target.expectEnd('journal-disk-full');
  const filledAt = Date.now();
  const bytes = disks.of(target.id).fill();
  const exit = await target.exitWithin(NOTICE_TIMEOUT_MS);
  record.notes.push(
    exit === undefined
      ? `${target.id} still ran ${NOTICE_TIMEOUT_MS} ms after its disk filled`
      : `${target.id} exited ${JSON.stringify(exit)} ${Date.now() - filledAt} ms after its disk filled (${bytes} bytes)`,
  );
  if (exit === undefined) await target.kill();
  record.endedUnjournaled.push(target.id);
  if (target === leader) {
    const next = await cluster.waitLeader(`another node to lead once ${target.id} stopped`, 30_000);
    record.notes.push(`${next.id} led ${Date.now() - filledAt} ms after the disk filled`);
  }
  disks.of(target.id).free();
  // Its old session may outlive the process a little: the new one may find its znodes and restart once.
  record.restartsAllowed[target.id] = 1;
  const restartedAt = Date.now();
  target.start();
  record.endedAt = Date.now();
  record.expectations.push({
    kind: 'stopped-on-full-disk',
    node: target.id,
    pid,
    file: join(dataDirOf(target.dir), activeJournalName(target.id)),
    wasLeader: target === leader,
    filledAt,
    restartedAt,
  });
  return record;
}
