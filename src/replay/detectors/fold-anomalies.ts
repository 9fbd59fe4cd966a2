/**
 * The domain's own anomalies, as findings: what the node fold refused (a second shutdown, a step
 * after zk-close, the session closed twice: seed 000) and what the task fold refused (zombie writes,
 * epochs going back). Each comes with the event that caused it and the earlier events it contradicts
 * (the teardown it repeats, the close it follows, the assignment a zombie no longer holds, the last
 * event of a process that died without a teardown).
 */
import type { Anomaly } from '../../domain/event.ts';
import type { NodeStep, ReplayStep, TaskStep } from '../folds/replay-step.ts';
import type { Detector } from './detector.ts';
import { type Evidence, evidenceOf, type FindingSink, type Severity } from './finding.ts';
import type { TaskEvidence } from './task-evidence.ts';

const WARNING_KINDS = new Set([
  'malformed-event',
  'unknown-event-type',
  'unsupported-event-version',
  'unknown-event-version',
  'foreign-node',
  'unknown-task',
  'duplicate-task-id',
]);
const AFTER_TEARDOWN = new Set([
  'shutdown-twice',
  'teardown-step-after-close',
  'teardown-finished-twice',
  'teardown-step-repeated',
]);
const AFTER_CLOSE = new Set([
  'session-closed-twice',
  'session-event-after-close',
  'teardown-step-after-close',
]);

// Every key is always there (undefined when unknown): `delete` would turn a context into a slow
// dictionary object, and it is written at every step of its node.
interface NodeContext {
  teardown: Evidence | undefined;
  closed: Evidence | undefined;
  /** The node's previous step: its evidence is only made when an anomaly needs it. */
  last: NodeStep | undefined;
}

export class FoldAnomaliesDetector implements Detector {
  private readonly nodes = new Map<string, NodeContext>();

  constructor(
    private readonly sink: FindingSink,
    private readonly tasks: TaskEvidence,
  ) {}

  observe(step: ReplayStep): void {
    if (step.kind === 'node') this.observeNode(step);
    else this.observeTask(step);
  }

  finish(): void {}

  private observeNode(step: NodeStep): void {
    const context = this.context(step.node);
    if (step.anomalies.length > 0) this.reportNode(step, context);
    if (step.event.type === 'ProcessStarted') {
      context.teardown = undefined;
      context.closed = undefined;
    }
    const { before, after } = step;
    if (before.lifecycle.status !== 'tearing-down' && after.lifecycle.status === 'tearing-down') {
      context.teardown = evidenceOf(step, 'the teardown that ran');
    }
    if (before.session.status !== 'closed' && after.session.status === 'closed') {
      context.closed = evidenceOf(step, 'the session was closed here');
    }
    context.last = step;
  }

  private reportNode(step: NodeStep, context: NodeContext): void {
    for (const anomaly of step.anomalies) {
      const related = [
        ...(AFTER_TEARDOWN.has(anomaly.kind) && context.teardown ? [context.teardown] : []),
        ...(AFTER_CLOSE.has(anomaly.kind) && context.closed ? [context.closed] : []),
        ...(anomaly.kind === 'process-died-without-teardown' && context.last
          ? [evidenceOf(context.last, 'last event of the previous process')]
          : []),
      ];
      this.report('node-fold', step, anomaly, related);
    }
  }

  private observeTask(step: TaskStep): void {
    for (const anomaly of step.anomalies) {
      const taskId = (step.event.data as { taskId?: unknown }).taskId;
      const assigned = typeof taskId === 'string' ? this.tasks.assigned(taskId) : undefined;
      const related =
        anomaly.kind === 'zombie-write' && assigned ? [{ ...assigned, note: 'the current assignment' }] : [];
      this.report('task-fold', step, anomaly, related, typeof taskId === 'string' ? taskId : undefined);
    }
  }

  private report(
    source: 'node-fold' | 'task-fold',
    step: ReplayStep,
    anomaly: Anomaly,
    related: readonly Evidence[],
    taskId?: string,
  ): void {
    const severity: Severity = WARNING_KINDS.has(anomaly.kind) ? 'warning' : 'error';
    this.sink.report({
      kind: anomaly.kind,
      severity,
      source,
      at: step.at,
      nodes: [step.node],
      ...(taskId === undefined ? {} : { taskId }),
      message: anomaly.message,
      evidence: [...related, evidenceOf(step)],
    });
  }

  private context(node: string): NodeContext {
    let context = this.nodes.get(node);
    if (context === undefined) {
      context = { teardown: undefined, closed: undefined, last: undefined };
      this.nodes.set(node, context);
    }
    return context;
  }
}
