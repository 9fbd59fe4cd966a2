/**
 * The task domain: events, the fold, and the decisions of the dispatcher, the runners and the API.
 * Pure: time, ids and randomness come in as data.
 */
export * from './anomalies.ts';
export * from './backoff.ts';
export * from './cancel.ts';
export * from './decider.ts';
export * from './events.ts';
export { evolve } from './evolve.ts';
export * from './field-errors.ts';
export * from './leader-context.ts';
export * from './lost-runners.ts';
export * from './parse.ts';
export * from './policy.ts';
export * from './queries.ts';
export * from './runner-reports.ts';
export * from './runner-work.ts';
export * from './schedule.ts';
export { isTaskEventType, TaskEventDataSchemas } from './schemas.ts';
export * from './state.ts';
export * from './submission.ts';
export { type Table, tableGet, tableValues } from './table.ts';
export * from './takeover.ts';
export * from './tick.ts';
