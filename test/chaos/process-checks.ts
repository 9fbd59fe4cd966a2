/**
 * How every taskd process of a run ended and what it logged: exits only as the schedule caused them
 * (SIGKILL where it killed, 0 after SIGTERM, 70 where it filled the journal's disk), no error or
 * fatal log line (but the one that says a full journal disk stopped the node), no stray output (a
 * stack trace of an uncaught error is not JSON), no core file.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ExitCode } from '../../src/cli/exit-codes.ts';
import type { ChaosNode } from './chaos-node.ts';
import type { Verdict } from './verdict.ts';

const MAX_LINES_QUOTED = 5;

export function checkProcesses(verdict: Verdict, nodes: readonly ChaosNode[], since: number): void {
  for (const node of nodes) {
    for (const [i, life] of node.lives.entries()) {
      const name = `${node.id} process ${i + 1} (pid ${life.pid})`;
      const exit = life.exit;
      if (exit === undefined) {
        verdict.fail('exit', `${name} is still running`);
      } else if (life.intent === 'SIGKILL') {
        if (exit.signal !== 'SIGKILL')
          verdict.fail('exit', `${name} was killed but exited ${JSON.stringify(exit)}`);
      } else if (life.intent === 'SIGTERM') {
        if (exit.code !== 0) verdict.fail('exit', `${name} got SIGTERM and exited ${JSON.stringify(exit)}`);
      } else if (life.intent === 'journal-disk-full') {
        if (exit.code !== ExitCode.FATAL)
          verdict.fail(
            'exit',
            `${name} had its disk filled and exited ${JSON.stringify(exit)}, not ${ExitCode.FATAL}`,
          );
      } else {
        verdict.fail('exit', `${name} exited on its own: ${JSON.stringify(exit)}`);
      }
    }
    checkLog(verdict, node);
    for (const dir of [node.dir, join(node.dir, 'data'), process.cwd()]) {
      for (const core of coreFiles(dir, since)) verdict.fail('core file', join(dir, core));
    }
  }
}

/** The fatal line a node whose journal disk the schedule filled must write (disk-checks.ts wants it). */
const FULL_DISK_LINE = /"level":60,.*cannot append to journal .*ENOSPC/;

/** Error (50) and fatal (60) lines, and lines that are not pino's JSON, in the node's log. */
function checkLog(verdict: Verdict, node: ChaosNode): void {
  const diskFilled = node.lives.some((life) => life.intent === 'journal-disk-full');
  const text = readFileSync(join(node.dir, 'taskd.log'), 'utf8');
  const bad: string[] = [];
  const warnings = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let entry: { level?: number; msg?: string; err?: { message?: string } };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      bad.push(`not JSON: ${line.slice(0, 300)}`);
      continue;
    }
    const level = entry.level ?? 0;
    if (diskFilled && FULL_DISK_LINE.test(line)) continue;
    if (level >= 50)
      bad.push(`level ${level}: ${entry.msg ?? ''}${entry.err?.message ? ` (${entry.err.message})` : ''}`);
    else if (level === 40) warnings.set(entry.msg ?? '', (warnings.get(entry.msg ?? '') ?? 0) + 1);
  }
  for (const line of bad.slice(0, MAX_LINES_QUOTED)) verdict.fail('node log', `${node.id}: ${line}`);
  if (bad.length > MAX_LINES_QUOTED)
    verdict.fail('node log', `${node.id}: ${bad.length - MAX_LINES_QUOTED} more such lines`);
  if (warnings.size > 0) {
    const list = [...warnings].map(([msg, count]) => `"${msg}" x${count}`).join(', ');
    verdict.note(`${node.id} warnings: ${list}`);
  }
}

/** Core dumps written into `dir` since `since` (core_pattern "core" or "core.<pid>"). */
function coreFiles(dir: string, since: number): string[] {
  try {
    return readdirSync(dir).filter(
      (name) => /^core(\.\d+)?$/.test(name) && statSync(join(dir, name)).mtimeMs >= since,
    );
  } catch {
    return [];
  }
}
