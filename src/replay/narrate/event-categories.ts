/**
 * Event types grouped the way a reader thinks of them; --kind takes a category or a type, and the
 * text output colours by category.
 */

import { TaskEventStreams } from '../../domain/task/index.ts';

export const EVENT_CATEGORIES = [
  'session',
  'membership',
  'leadership',
  'vip',
  'health',
  'teardown',
  'restart',
  'process',
  'submission',
  'dispatch',
  'runner',
  'unknown',
] as const;
export type EventCategory = (typeof EVENT_CATEGORIES)[number];

const CATEGORY_OF: Readonly<Record<string, EventCategory>> = {
  SessionConnecting: 'session',
  SessionConnected: 'session',
  SessionSuspended: 'session',
  SessionLost: 'session',
  SessionClosed: 'session',
  MembersObserved: 'membership',
  ElectionJoinRequested: 'leadership',
  ElectionJoined: 'leadership',
  LeaderObserved: 'leadership',
  LeadershipAcquired: 'leadership',
  LeadershipLost: 'leadership',
  LeadershipResigned: 'leadership',
  VipAcquired: 'vip',
  VipReleased: 'vip',
  VipFailed: 'vip',
  HealthChecked: 'health',
  ShutdownRequested: 'teardown',
  ShutdownIgnored: 'teardown',
  TeardownStepStarted: 'teardown',
  TeardownStepCompleted: 'teardown',
  TeardownStepFailed: 'teardown',
  TeardownFinished: 'teardown',
  RestartScheduled: 'restart',
  ServicesStarted: 'restart',
  ProcessStarted: 'restart',
  RestartBudgetExhausted: 'restart',
  SignalReceived: 'process',
  EventLoopStalled: 'process',
  StateCheckpoint: 'process',
  // Task events: the category is the stream the domain appends them to.
  ...Object.fromEntries(
    Object.entries(TaskEventStreams).map(([type, stream]) => [
      type,
      stream === 'submissions' ? 'submission' : stream,
    ]),
  ),
};

/** CATEGORY_OF as a Map: looked up once per replayed event. */
const CATEGORIES: ReadonlyMap<string, EventCategory> = new Map(Object.entries(CATEGORY_OF));

/** The category of an event type; 'unknown' for a type neither domain knows. */
export function categoryOf(type: string): EventCategory {
  return CATEGORIES.get(type) ?? 'unknown';
}

/** Is `name` a category (rather than an event type)? */
export function isEventCategory(name: string): name is EventCategory {
  return (EVENT_CATEGORIES as readonly string[]).includes(name);
}

/** Every known event type, for checking --kind. */
export function knownEventTypes(): readonly string[] {
  return Object.keys(CATEGORY_OF);
}
