/**
 * Times given to --since, --until and --at. A post-mortem is read long after the fact, so besides
 * absolute times (ISO 8601, or ms since the epoch) and times relative to now ("-10m", "10m ago", as
 * journalctl takes them), a time may be relative to the replayed inputs: "start+90s", "end-5m".
 */
import { parseDuration } from './durations.ts';

export type TimeSpec =
  | { readonly kind: 'absolute'; readonly at: number }
  | { readonly kind: 'anchored'; readonly anchor: 'start' | 'end'; readonly offsetMs: number };

export type ParsedTime =
  | { readonly ok: true; readonly spec: TimeSpec }
  | { readonly ok: false; readonly message: string };

const ANCHORED = /^(start|end)\s*(?:([+-])\s*(.+))?$/;
const AGO = /^(.+?)\s+ago$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}/;

/** Reads a time as written on the command line; `now` resolves times relative to now. */
export function parseTimeSpec(text: string, now: number): ParsedTime {
  const trimmed = text.trim();
  const anchored = ANCHORED.exec(trimmed);
  if (anchored !== null) {
    const anchor = anchored[1] as 'start' | 'end';
    if (anchored[2] === undefined) return ok({ kind: 'anchored', anchor, offsetMs: 0 });
    const offset = parseDuration(anchored[3] ?? '');
    if (offset === undefined) return fail(text, `"${anchored[3]}" is not a duration`);
    return ok({ kind: 'anchored', anchor, offsetMs: anchored[2] === '-' ? -offset : offset });
  }
  const ago = AGO.exec(trimmed);
  const back = trimmed.startsWith('-') ? trimmed.slice(1) : ago?.[1];
  if (back !== undefined) {
    const offset = parseDuration(back);
    return offset === undefined
      ? fail(text, `"${back}" is not a duration`)
      : ok({ kind: 'absolute', at: now - offset });
  }
  if (/^\d+$/.test(trimmed)) return ok({ kind: 'absolute', at: Number(trimmed) });
  if (ISO_DATE.test(trimmed)) {
    const at = Date.parse(trimmed.replace(' ', 'T'));
    if (Number.isFinite(at)) return ok({ kind: 'absolute', at });
  }
  return fail(text, 'expected an ISO time, ms since the epoch, "-10m", "10m ago", "start+90s" or "end-5m"');
}

/** Does the spec need the first or last time of the inputs? */
export function isAnchored(spec: TimeSpec | undefined): boolean {
  return spec?.kind === 'anchored';
}

/** The time a spec stands for, given the first and last event times of the inputs. */
export function resolveTime(
  spec: TimeSpec,
  bounds: { readonly start: number; readonly end: number },
): number {
  if (spec.kind === 'absolute') return spec.at;
  return (spec.anchor === 'start' ? bounds.start : bounds.end) + spec.offsetMs;
}

function ok(spec: TimeSpec): ParsedTime {
  return { ok: true, spec };
}

function fail(text: string, why: string): ParsedTime {
  return { ok: false, message: `cannot read the time "${text}": ${why}` };
}
