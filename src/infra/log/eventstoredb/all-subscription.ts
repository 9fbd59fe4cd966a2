/**
 * One EventStoreDB catch-up subscription to $all, filtered on the cluster's stream prefix on the
 * server, as an Observable. Unsubscribing unsubscribes the client's subscription. It fails with the
 * port's errors; a subscription the server ends by itself fails with LOG_UNAVAILABLE, so that the
 * resuming layer above opens a new one after the last position seen.
 */
import {
  type AllStreamResolvedEvent,
  type EventStoreDBClient,
  streamNameFilter,
} from '@eventstore/db-client';
import { Observable } from 'rxjs';
import { ErrorCodes, TaskdError } from '../../../errors.ts';
import { translateEsdbError } from './error-translation.ts';
import { readPositionAfter } from './positions.ts';
import { type PositionedRecord, positionedRecord } from './resolved-events.ts';
import { stalledError } from './stall-guards.ts';

/**
 * The cluster's events after `after`, history then live, until unsubscribed or failed. A server that
 * has not confirmed the subscription within `confirmWithinMs` counts as unavailable.
 */
export function allSubscription$(
  client: EventStoreDBClient,
  prefix: string,
  after: number | undefined,
  confirmWithinMs: number,
): Observable<PositionedRecord> {
  return new Observable<PositionedRecord>((subscriber) => {
    const subscription = client.subscribeToAll({
      fromPosition: readPositionAfter(after),
      filter: streamNameFilter({ prefixes: [prefix] }),
    });
    const unconfirmed = setTimeout(
      () => subscriber.error(stalledError('subscribeAll', confirmWithinMs, { confirmed: false })),
      confirmWithinMs,
    );
    subscription.once('confirmation', () => clearTimeout(unconfirmed));
    // Listeners stay attached after teardown on purpose: an 'error' emitted with no listener would
    // crash the process, and a closed subscriber ignores whatever still arrives.
    subscription.on('data', (resolved: AllStreamResolvedEvent) => {
      try {
        const record = positionedRecord(resolved, prefix);
        if (record !== undefined) subscriber.next(record);
      } catch (error) {
        subscriber.error(error);
      }
    });
    subscription.on('error', (error: Error) => {
      subscriber.error(translateEsdbError(error, { operation: 'subscribeAll' }));
    });
    subscription.on('end', () => {
      subscriber.error(
        new TaskdError(ErrorCodes.LOG_UNAVAILABLE, 'eventstoredb ended the $all subscription', {
          operation: 'subscribeAll',
        }),
      );
    });
    return () => {
      clearTimeout(unconfirmed);
      subscription.unsubscribe().catch(() => {
        // The call is being torn down either way; a failure to cancel it leaves nothing to do.
      });
    };
  });
}
