/**
 * What the demo prints at the end: every task as a table, and where its journals, logs and the
 * exported task log are, with the commands to look at them.
 */
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Task } from '../../domain/task/state.ts';
import type { NodeProcess } from '../local-cluster/node-process.ts';
import { formatTable } from '../taskctl/table.ts';
import { shortId } from './snapshot.ts';

const TASKD = fileURLToPath(new URL('../../../bin/taskd.js', import.meta.url));

/** Every task: id prefix, type, status, attempts, the node of its last attempt, and why it ended so. */
export function finalTaskTable(tasks: readonly Task[]): string {
  const rows = tasks.map((task) => [
    shortId(task.taskId),
    task.type,
    task.status,
    `${task.attempt}/${task.maxAttempts}`,
    task.assignment?.node ?? '-',
    outcomeOf(task),
  ]);
  return formatTable(['ID', 'TYPE', 'STATUS', 'ATTEMPTS', 'NODE', 'OUTCOME'], rows);
}

function outcomeOf(task: Task): string {
  switch (task.status) {
    case 'failed':
      return task.lastError.message;
    case 'cancelled':
      return task.reason ?? 'cancelled';
    case 'succeeded':
      return task.attempt > 1 ? `succeeded on attempt ${task.attempt}` : '';
    default:
      return '';
  }
}

/** The node's journal files (the active one last), as paths. */
export function journalsOf(node: NodeProcess): string[] {
  try {
    return readdirSync(node.dataDir)
      .filter((name) => /^journal-.+\.jsonl$/.test(name))
      .sort()
      .map((name) => join(node.dataDir, name));
  } catch {
    return [];
  }
}

export interface WhereToLook {
  readonly dir: string;
  readonly nodes: readonly NodeProcess[];
  readonly taskLog?: string;
}

/** Lines saying where everything the demo kept is, and how to read it. */
export function whereToLook({ dir, nodes, taskLog }: WhereToLook): string[] {
  const shown = (path: string) => {
    const rel = relative(process.cwd(), path);
    return rel.startsWith('..') ? path : rel;
  };
  const lines = [`Everything is kept in ${shown(dir)}/ (git-ignored):`];
  for (const node of nodes) {
    const journals = journalsOf(node).map(shown).join(', ') || '(no journal)';
    lines.push(`  ${node.options.nodeId}: journal ${journals}`);
    lines.push(`      log ${shown(node.logPath)}`);
  }
  if (taskLog !== undefined) lines.push(`  task log (copied out of ZooKeeper): ${shown(taskLog)}`);
  const anyJournal = nodes.flatMap(journalsOf)[0];
  lines.push('', 'To look at them:');
  if (anyJournal !== undefined) {
    lines.push(`  jq . ${shown(anyJournal)}`);
    lines.push(`  jq -c '[.seq, .type, .data]' ${shown(anyJournal)}`);
  }
  if (taskLog !== undefined)
    lines.push(`  jq -c '.events[] | [.position, .type, .data.taskId]' ${shown(taskLog)}`);
  const replay = [
    `node ${shown(TASKD)} replay`,
    ...nodes.map((node) => shown(node.dataDir)),
    ...(taskLog === undefined ? [] : ['--log', shown(taskLog)]),
  ].join(' ');
  lines.push('', 'The whole run as one timeline, with the anomalies found:');
  lines.push(`  ${replay}`);
  lines.push(`  ${replay} --format html -o ${shown(join(dir, 'replay.html'))}`);
  return lines;
}
