/**
 * How replay prints instants: UTC always, so that journals of nodes in different time zones line up
 * and a report reads the same wherever it is opened.
 */

/** "000" … "999". */
const MILLIS = Array.from({ length: 1_000 }, (_, ms) => String(ms).padStart(3, '0'));

/**
 * The last whole second formatted: a replay formats millions of times in order, most in the same
 * second as the one before, and a Date per time costs more than the rest of a timeline line. A memo
 * of pure functions, so it changes no result.
 */
const memo = {
  second: Number.NaN,
  /** "2022-02-21T17:51:08." */
  prefix: '',
  /** "17:51:08." when the year has four digits (then clockTime is this plus the milliseconds). */
  clock: undefined as string | undefined,
  /** "2022-02-21" */
  day: '',
};

/** The largest time a Date holds, either side of 1970. */
const MAX_DATE_MS = 8.64e15;

/** Is `at` a whole millisecond of a valid date, now in the memo? */
function inMemo(at: number): boolean {
  if (!Number.isInteger(at) || Math.abs(at) > MAX_DATE_MS) return false;
  const second = Math.floor(at / 1_000) * 1_000;
  if (second === memo.second) return true;
  const date = new Date(second);
  if (Number.isNaN(date.getTime())) return false;
  const iso = date.toISOString();
  memo.second = second;
  memo.prefix = iso.slice(0, -4);
  memo.clock = memo.prefix.length === 20 ? memo.prefix.slice(11) : undefined;
  memo.day = iso.slice(0, 10);
  return true;
}

/** "2022-02-21T17:51:08.123Z"; "-" for a time that is not a valid date. */
export function isoTime(at: number): string {
  if (inMemo(at)) return `${memo.prefix}${MILLIS[at - memo.second]}Z`;
  const date = new Date(at);
  return Number.isNaN(date.getTime()) ? '-' : date.toISOString();
}

/** "17:51:08.123" (UTC). */
export function clockTime(at: number): string {
  if (inMemo(at) && memo.clock !== undefined) return `${memo.clock}${MILLIS[at - memo.second]}`;
  const iso = isoTime(at);
  return iso === '-' ? iso : iso.slice(11, 23);
}

/** "2022-02-21" (UTC). */
export function dayOf(at: number): string {
  if (inMemo(at)) return memo.day;
  const iso = isoTime(at);
  return iso === '-' ? iso : iso.slice(0, 10);
}
