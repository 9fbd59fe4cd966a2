/**
 * A session lost shortly after the node's own event loop stalled (seed 000: "Exceeded deadline by
 * 2689ms" and the session expired on reconnect). The stall is the likelier cause than the network:
 * heartbeats were not sent while the loop was blocked.
 */
import type { ReplayStep } from '../folds/replay-step.ts';
import { formatDuration } from '../time/durations.ts';
import type { Detector } from './detector.ts';
import { type Evidence, evidenceOf, type FindingSink } from './finding.ts';

interface Stall {
  readonly delayMs: number;
  readonly evidence: Evidence;
}

export class StallBeforeLossDetector implements Detector {
  private readonly stalls = new Map<string, Stall>();

  constructor(
    private readonly sink: FindingSink,
    private readonly windowMs: number,
  ) {}

  observe(step: ReplayStep): void {
    if (step.kind !== 'node' || !step.valid) return;
    const { event } = step;
    if (event.type === 'EventLoopStalled') {
      this.stalls.set(step.node, { delayMs: event.data.delayMs, evidence: evidenceOf(step) });
      return;
    }
    if (step.after.session.status !== 'lost' || step.before.session.status === 'lost') return;
    const stall = this.stalls.get(step.node);
    if (stall === undefined) return;
    this.stalls.delete(step.node);
    const after = step.at - stall.evidence.at;
    if (after < 0 || after > this.windowMs) return;
    const reason = step.after.session.status === 'lost' ? step.after.session.reason : 'lost';
    this.sink.report({
      kind: 'session-loss-after-stall',
      severity: 'error',
      source: 'replay',
      at: stall.evidence.at,
      until: step.at,
      nodes: [step.node],
      message: `session lost (${reason}) ${formatDuration(after)} after a ${formatDuration(stall.delayMs)} event-loop stall: heartbeats could not be sent while the loop was blocked`,
      evidence: [stall.evidence, evidenceOf(step)],
    });
  }

  finish(): void {}
}
