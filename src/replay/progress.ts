/**
 * A one-line progress indicator on stderr for long replays: events read, rate, and how much of the
 * journals' bytes that is. Only on a terminal (a redirected stderr gets nothing), redrawn at most
 * every REDRAW_MS, and the clock is read once per CHECK_EVERY events so it costs nothing per event.
 */
import type { EventLocation } from '../domain/event.ts';

export interface ProgressStream {
  write(chunk: string): boolean;
  readonly isTTY?: boolean;
}

export interface Progress {
  /** One more event, read at `location`. */
  tick(location: EventLocation): void;
  /** Clears the line. */
  done(): void;
}

const REDRAW_MS = 200;
const CHECK_EVERY = 2_048;

const SILENT: Progress = { tick() {}, done() {} };

/** A progress line on `stream` when it is a terminal; nothing otherwise. */
export function createProgress(
  stream: ProgressStream,
  journalBytes: number,
  clock: () => number = () => performance.now(),
): Progress {
  if (stream.isTTY !== true) return SILENT;
  const started = clock();
  const offsets = new Map<string, number>();
  let bytes = 0;
  let events = 0;
  let lastDraw = started;
  let drawn = false;
  return {
    tick(location) {
      events += 1;
      if (location.source !== undefined && location.offset !== undefined && location.stream === undefined) {
        bytes += location.offset - (offsets.get(location.source) ?? 0);
        offsets.set(location.source, location.offset);
      }
      if (events % CHECK_EVERY !== 0) return;
      const now = clock();
      if (now - lastDraw < REDRAW_MS) return;
      lastDraw = now;
      drawn = true;
      const rate = Math.round(events / Math.max(0.001, (now - started) / 1_000));
      const share =
        journalBytes > 0
          ? ` (${Math.min(100, Math.round((bytes / journalBytes) * 100))}% of the journals)`
          : '';
      stream.write(
        `\r\x1b[Kreplay: ${events.toLocaleString('en')} events, ${rate.toLocaleString('en')}/s${share}`,
      );
    },
    done() {
      if (drawn) stream.write('\r\x1b[K');
    },
  };
}
