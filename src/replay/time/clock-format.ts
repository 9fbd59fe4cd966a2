/**
 * How replay prints instants: UTC always, so that journals of nodes in different time zones line up
 * and a report reads the same wherever it is opened.
 */

/** "2022-02-21T17:51:08.123Z"; "-" for a time that is not a valid date. */
export function isoTime(at: number): string {
  const date = new Date(at);
  return Number.isNaN(date.getTime()) ? '-' : date.toISOString();
}

/** "17:51:08.123" (UTC). */
export function clockTime(at: number): string {
  const iso = isoTime(at);
  return iso === '-' ? iso : iso.slice(11, 23);
}

/** "2022-02-21" (UTC). */
export function dayOf(at: number): string {
  const iso = isoTime(at);
  return iso === '-' ? iso : iso.slice(0, 10);
}
