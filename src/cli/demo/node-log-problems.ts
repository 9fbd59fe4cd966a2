/**
 * When the demo fails, the warnings and errors a node logged say more than its last lines (which are
 * mostly request logs). The node's log is pino JSON, one object per line.
 */
import { readFileSync } from 'node:fs';

const WARN = 40;

interface LogLine {
  readonly level?: number;
  readonly time?: number;
  readonly msg?: string;
  readonly err?: { readonly message?: string };
}

/** The last `max` warnings or errors of a node's log, one short line each (empty when none). */
export function logProblems(path: string, max = 3): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  const problems: string[] = [];
  for (const raw of text.split('\n')) {
    if (!raw.startsWith('{')) {
      if (raw.trim() !== '') problems.push(raw.trim());
      continue;
    }
    try {
      const line = JSON.parse(raw) as LogLine;
      if ((line.level ?? 0) < WARN) continue;
      const error = line.err?.message ? `: ${line.err.message}` : '';
      const level = (line.level ?? 0) >= 50 ? 'error' : 'warn';
      problems.push(`${level} ${line.msg ?? ''}${error}`);
    } catch {
      problems.push(raw);
    }
  }
  return problems.slice(-max).map((line) => (line.length > 300 ? `${line.slice(0, 299)}…` : line));
}
