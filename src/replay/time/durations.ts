/**
 * Durations as people write them on a command line ("90s", "1h30m", "250ms") and as the timeline
 * prints them ("38 ms", "1.9 s", "3m12s").
 */

const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/y;

/** Milliseconds of "1h30m", "90s", "250ms" or a bare number of ms; undefined when it is none of those. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  if (trimmed === '') return undefined;
  let total = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < trimmed.length) {
    const start = PART.lastIndex;
    const match = PART.exec(trimmed);
    if (match === null || match.index !== start) return undefined;
    total += Number(match[1]) * (UNIT_MS[match[2] as string] as number);
  }
  return Math.round(total);
}

/** "38 ms", "1.9 s", "3m12s", "2h05m": short, and precise where it matters (under a minute). */
export function formatDuration(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  const abs = Math.abs(ms);
  if (abs < 1_000) return `${sign}${Math.round(abs)} ms`;
  if (abs < 60_000) return `${sign}${(abs / 1_000).toFixed(abs < 10_000 ? 1 : 0)} s`;
  const totalSeconds = Math.round(abs / 1_000);
  if (abs < 3_600_000) {
    const minutes = Math.floor(totalSeconds / 60);
    return `${sign}${minutes}m${pad2(totalSeconds % 60)}s`;
  }
  const totalMinutes = Math.round(abs / 60_000);
  const hours = Math.floor(totalMinutes / 60);
  if (hours < 48) return `${sign}${hours}h${pad2(totalMinutes % 60)}m`;
  return `${sign}${Math.floor(hours / 24)}d${pad2(hours % 24)}h`;
}

function pad2(value: number): string {
  return String(value).padStart(2, '0');
}
