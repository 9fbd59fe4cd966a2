/**
 * Node journal events in plain words, the way the seeds' hand-made timelines read ("session lost
 * 1.9 s after the last heartbeat; suspicion timer was 3.6 s", "teardown step zk-close completed
 * (38 ms)"). Words come from the event and the fold's states around it, plus a little memory per
 * node (when the connection dropped, when each teardown step started).
 */
import { assertNever } from '../../domain/event.ts';
import type { MembersView } from '../../domain/members.ts';
import type { NodeEvent } from '../../domain/node/index.ts';
import type { NodeStep } from '../folds/replay-step.ts';
import { clockTime } from '../time/clock-format.ts';
import { formatDuration } from '../time/durations.ts';

/** What the narrator remembers of one node. */
export interface NodeMemory {
  suspended?: { readonly at: number; readonly suspicionMs: number };
  shutdownAt?: number;
  readonly stepStarted: Map<string, number>;
}

/** A new, empty memory. */
export function nodeMemory(): NodeMemory {
  return { stepStarted: new Map() };
}

/** The plain-words meaning of a node step. */
export function narrateNode(step: NodeStep, memory: NodeMemory): string {
  if (!step.valid) return `unreadable ${step.event.type}: ${step.anomalies[0]?.message ?? 'malformed'}`;
  return describe(step, step.event, memory);
}

/** Remembers what later lines refer to. */
export function rememberNode(step: NodeStep, memory: NodeMemory): void {
  if (!step.valid) return;
  const { event } = step;
  switch (event.type) {
    case 'ProcessStarted':
      memory.stepStarted.clear();
      delete memory.suspended;
      delete memory.shutdownAt;
      break;
    case 'SessionSuspended':
      if (step.before.session.status === 'connected')
        memory.suspended = { at: step.at, suspicionMs: event.data.suspicionMs };
      break;
    case 'SessionConnected':
      delete memory.suspended;
      break;
    case 'ShutdownRequested':
      if (step.after.lifecycle.status === 'tearing-down' && step.before.lifecycle.status !== 'tearing-down') {
        memory.shutdownAt = step.at;
        memory.stepStarted.clear();
      }
      break;
    case 'TeardownStepStarted':
      memory.stepStarted.set(event.data.step, step.at);
      break;
    default:
      break;
  }
}

function describe(step: NodeStep, event: NodeEvent, memory: NodeMemory): string {
  const { before, after } = step;
  switch (event.type) {
    case 'SessionConnecting':
      return `connecting to ZooKeeper (${event.data.connectString})`;
    case 'SessionConnected': {
      const { sessionId, negotiatedTimeoutMs, server } = event.data;
      if (before.session.status === 'suspended' && memory.suspended !== undefined) {
        return `reconnected to ${server} ${formatDuration(step.at - memory.suspended.at)} after the connection dropped; session ${sessionId} kept`;
      }
      return `session ${sessionId} established with ${server}, timeout ${formatDuration(negotiatedTimeoutMs)}`;
    }
    case 'SessionSuspended':
      return `connection to ZooKeeper lost${event.data.lastHeardAt === undefined ? '' : ` (last reply ${formatDuration(step.at - event.data.lastHeardAt)} ago)`}; the session counts as lost in ${formatDuration(Math.max(0, event.data.deadline - step.at))} (at ${clockTime(event.data.deadline)}) unless it reconnects`;
    case 'SessionLost': {
      const reason =
        event.data.reason === 'suspicion-timeout' ? 'suspicion timer ran out' : event.data.reason;
      const since = memory.suspended;
      if (since === undefined) return `session lost (${reason})`;
      return `session lost (${reason}) ${formatDuration(step.at - since.at)} after the connection dropped; suspicion timer was ${formatDuration(since.suspicionMs)}`;
    }
    case 'SessionClosed':
      return 'ZooKeeper session closed';
    case 'MembersObserved':
      return describeMembers(before.members, after.members);
    case 'ElectionJoinRequested':
      return event.data.from === 'resigned' ? 'rejoins the election after resigning' : 'joins the election';
    case 'ElectionJoined':
      return `candidate in the election (znode #${event.data.sequence})`;
    case 'LeaderObserved':
      return event.data.leader === null
        ? 'sees no leader'
        : `sees ${event.data.leader} as leader, epoch ${event.data.epoch ?? '?'}`;
    case 'LeadershipAcquired':
      return `became leader, epoch ${event.data.epoch}`;
    case 'LeadershipLost':
      return `lost leadership (${event.data.reason})`;
    case 'LeadershipResigned':
      return `resigned leadership (${event.data.reason}); stays out until ${clockTime(event.data.cooldownUntil)}`;
    case 'VipAcquired':
      return `VIP ${event.data.address} added on this node`;
    case 'VipReleased':
      return `VIP ${event.data.address} removed from this node`;
    case 'VipFailed': {
      const { operation, cause, message } = event.data;
      const retry = cause === 'config' ? 'a configuration error, not retried' : 'will retry';
      return `VIP ${operation} failed (${retry}): ${message}`;
    }
    case 'HealthChecked': {
      const { probe, ok, detail } = event.data;
      const turned = before.health.status !== after.health.status ? `; node now ${after.health.status}` : '';
      return `health probe ${probe} ${ok ? 'ok' : `failed${detail === '' ? '' : `: ${detail}`}`}${turned}`;
    }
    case 'ShutdownRequested': {
      const detail = event.data.detail === undefined ? '' : `: ${event.data.detail}`;
      if (after.lifecycle.status === 'tearing-down')
        return `shutdown requested (${event.data.trigger})${detail}; teardown starts`;
      if (after.lifecycle.status === 'stopped' && before.lifecycle.status === 'restart-scheduled')
        return `shutdown requested (${event.data.trigger})${detail}; the scheduled restart is cancelled`;
      return `second shutdown requested (${event.data.trigger}) while ${before.lifecycle.status}${detail}`;
    }
    case 'ShutdownIgnored': {
      const state = before.lifecycle.status === 'tearing-down' ? 'under way' : 'already finished';
      return `shutdown ignored: teardown ${state} (trigger ${event.data.trigger})`;
    }
    case 'TeardownStepStarted':
      return `teardown step ${event.data.step} started`;
    case 'TeardownStepCompleted':
      return `teardown step ${event.data.step} completed${tookSince(memory.stepStarted.get(event.data.step), step.at)}`;
    case 'TeardownStepFailed': {
      const { error, timedOut } = event.data;
      const how = timedOut ? 'timed out' : 'failed';
      return `teardown step ${event.data.step} ${how}${tookSince(memory.stepStarted.get(event.data.step), step.at)}: ${error}`;
    }
    case 'TeardownFinished':
      return memory.shutdownAt === undefined
        ? 'teardown finished'
        : `teardown finished, ${formatDuration(step.at - memory.shutdownAt)} after the shutdown request`;
    case 'RestartScheduled': {
      const { attempt, backoffMs, budgetRemaining } = event.data;
      return `restart ${attempt} scheduled in ${formatDuration(backoffMs)} (${budgetRemaining} left in the budget)`;
    }
    case 'ServicesStarted':
      return `services started, incarnation ${event.data.incarnation}`;
    case 'ProcessStarted':
      return `taskd ${event.data.version} process ${event.data.pid} started${previousProcess(before)}`;
    case 'RestartBudgetExhausted':
      return `restart budget exhausted: ${event.data.restarts} restarts within ${formatDuration(event.data.windowMs)}; services stay down`;
    case 'SignalReceived':
      return `received ${event.data.signal}`;
    case 'EventLoopStalled':
      return `event loop stalled for ${formatDuration(event.data.delayMs)}`;
    case 'StateCheckpoint': {
      const tasks = event.data.tasks;
      const tail = tasks === undefined ? '' : `; task fold at position ${tasks.position}: ${tasks.hash}`;
      return `state checkpoint: node ${event.data.node}${tail}`;
    }
    default:
      return assertNever(event);
  }
}

function previousProcess(before: NodeStep['before']): string {
  const status = before.lifecycle.status;
  if (status === 'new') return '';
  if (status === 'running' || status === 'tearing-down' || status === 'restart-scheduled') {
    return `; the previous process died while ${status}`;
  }
  return status === 'stopped' && before.lifecycle.trigger === 'session-lost'
    ? '; it owes the restart decision the previous process left'
    : `; the previous process had ${status === 'exhausted' ? 'exhausted its restart budget' : 'stopped'}`;
}

function tookSince(started: number | undefined, at: number): string {
  return started === undefined ? '' : ` (${formatDuration(at - started)})`;
}

function describeMembers(before: MembersView, after: MembersView): string {
  const names = Object.keys(after).sort();
  const joined = names.filter((node) => before[node] === undefined);
  const left = Object.keys(before)
    .filter((node) => after[node] === undefined)
    .sort();
  const unhealthy = names.filter((node) => after[node]?.health === 'unhealthy');
  const draining = names.filter((node) => after[node]?.draining === true);
  const parts = [`members: ${names.length === 0 ? 'none' : names.join(', ')}`];
  if (Object.keys(before).length > 0 && joined.length > 0) parts.push(`joined: ${joined.join(', ')}`);
  if (left.length > 0) parts.push(`left: ${left.join(', ')}`);
  if (unhealthy.length > 0) parts.push(`unhealthy: ${unhealthy.join(', ')}`);
  if (draining.length > 0) parts.push(`draining: ${draining.join(', ')}`);
  return parts.join('; ');
}
