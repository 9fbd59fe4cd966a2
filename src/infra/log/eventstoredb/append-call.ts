/**
 * One append, and the reads that fill what its reply may leave out. The reply normally carries the
 * position of the last event written (the server acknowledges a write at its last record), and the
 * client reports a conflict as an error unless the connection string says throwOnAppendFailure=false.
 * Errors stay in the client's terms: the caller translates them.
 */
import { BACKWARDS, END, type EventData, type EventStoreDBClient, FORWARDS } from '@eventstore/db-client';
import { ErrorCodes, TaskdError } from '../../../errors.ts';
import { type AppendResult, type ExpectedRevision, ExpectedRevisionConflict } from '../port.ts';
import { isStreamNotFound } from './error-translation.ts';
import { knownPosition, toPortPosition } from './positions.ts';
import { revisionNumber, toAppendExpectedRevision } from './revisions.ts';

/** Appends `events` to `esdbStream` (the port's `stream`) if `expected` holds. */
export async function appendCall(
  client: EventStoreDBClient,
  stream: string,
  esdbStream: string,
  events: EventData[],
  expected: ExpectedRevision,
): Promise<AppendResult> {
  const result = await client.appendToStream(esdbStream, events, {
    expectedRevision: toAppendExpectedRevision(expected),
  });
  if (!result.success) {
    // The client's revision in a failed result is unreliable: ask the stream where it is.
    throw new ExpectedRevisionConflict(stream, expected, await lastRevisionOf(client, esdbStream));
  }
  const position = result.position
    ? toPortPosition(result.position.commit)
    : await positionOfRevision(client, esdbStream, result.nextExpectedRevision);
  if (position === undefined) {
    throw new TaskdError(
      ErrorCodes.CONFIG_INVALID,
      `EventStoreDB did not say where the events appended to "${stream}" are: the eventstoredb task log needs server 22.10 or later`,
      { stream },
    );
  }
  return { nextExpectedRevision: revisionNumber(result.nextExpectedRevision), position };
}

/** Where `esdbStream` is now: the revision of its last event, or 'no_stream'. */
async function lastRevisionOf(client: EventStoreDBClient, esdbStream: string): Promise<number | 'no_stream'> {
  const read = client.readStream(esdbStream, { fromRevision: END, direction: BACKWARDS, maxCount: 1 });
  try {
    for await (const resolved of read) {
      if (resolved.event) return revisionNumber(resolved.event.revision);
    }
    return 'no_stream';
  } catch (error) {
    if (isStreamNotFound(error)) return 'no_stream';
    throw error;
  }
}

/** The $all position of the event at `revision` of `esdbStream`, when the server says it. */
async function positionOfRevision(
  client: EventStoreDBClient,
  esdbStream: string,
  revision: bigint,
): Promise<number | undefined> {
  const read = client.readStream(esdbStream, { fromRevision: revision, direction: FORWARDS, maxCount: 1 });
  for await (const resolved of read) {
    return knownPosition(resolved.event?.position, resolved.commitPosition);
  }
  return undefined;
}
