/**
 * Client reads (readStream, readAll) as the port's async iterables: this cluster's events decoded,
 * anomalies reported and skipped, a stalled server turned into LOG_UNAVAILABLE, the call cancelled
 * when the consumer stops early, and every read still open ended by endAll() when the log closes
 * (the client's dispose() cancels calls silently, and iterating a cancelled read would never end).
 */
import type { StreamingRead } from '@eventstore/db-client';
import type { Subject } from 'rxjs';
import type { Anomaly } from '../../../domain/event.ts';
import type { LoggedEvent } from '../port.ts';
import { type ErrorContext, isStreamNotFound, translateEsdbError } from './error-translation.ts';
import { isAfter } from './positions.ts';
import { positionedRecord, type ResolvedLike } from './resolved-events.ts';
import { stalledError, stallTimer } from './stall-guards.ts';

export interface ReadDecoder {
  /** The events of `read` with a position after `after` (all when undefined). */
  events(read: StreamingRead<unknown>, context: ErrorContext, after?: number): AsyncGenerator<LoggedEvent>;
  /** Ends every read in progress with `error`. */
  endAll(error: Error): void;
}

/** A decoder for the streams under `prefix`, reporting to `anomalies$`. */
export function createReadDecoder(
  prefix: string,
  stallMs: number,
  anomalies$: Subject<Anomaly>,
): ReadDecoder {
  const reads = new Set<StreamingRead<unknown>>();

  async function* events(
    read: StreamingRead<unknown>,
    context: ErrorContext,
    after?: number,
  ): AsyncGenerator<LoggedEvent> {
    reads.add(read);
    const stall = stallTimer(stallMs, () =>
      read.destroy(stalledError(context.operation, stallMs, { ...context })),
    );
    try {
      stall.arm();
      for await (const resolved of read) {
        stall.disarm();
        const record = positionedRecord(resolved as ResolvedLike, prefix);
        if (record !== undefined && isAfter(record.position, after)) {
          // Disarmed while the consumer holds the item: its own pace is not the server stalling.
          if (record.decoded.ok) yield record.decoded.event;
          else anomalies$.next(record.decoded.anomaly);
        }
        stall.arm();
      }
    } catch (error) {
      if (context.operation === 'readStream' && isStreamNotFound(error)) return;
      throw translateEsdbError(error, context);
    } finally {
      stall.disarm();
      reads.delete(read);
      await read.cancel().catch(() => undefined);
    }
  }

  return {
    events,
    endAll: (error) => {
      for (const read of reads) read.destroy(error);
    },
  };
}
