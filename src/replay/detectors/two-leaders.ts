/**
 * Two nodes leading at once, each by its own journal: a node leads from the event its fold turns
 * `leader` on (LeadershipAcquired) until the one that turns it off (lost, resigned, session lost,
 * a new process). Fencing keeps a deposed leader from writing, but two nodes believing they lead
 * for longer than clock skew explains is exactly what a post-mortem must see.
 */
import type { NodeState } from '../../domain/node/index.ts';
import type { ReplayStep } from '../folds/replay-step.ts';
import type { Detector, ReplayEnd } from './detector.ts';
import { evidenceOf, type FindingSink } from './finding.ts';
import { OverlapTracker } from './overlap-tracker.ts';

export class TwoLeadersDetector implements Detector {
  private readonly leaders: OverlapTracker;

  constructor(sink: FindingSink, toleranceMs: number) {
    this.leaders = new OverlapTracker({ kind: 'two-leaders', verb: 'led', toleranceMs }, sink);
  }

  observe(step: ReplayStep): void {
    if (step.kind !== 'node') return;
    const was = epochLed(step.before);
    const is = epochLed(step.after);
    if (was !== undefined && (is === undefined || is !== was)) {
      this.leaders.end(step.node, step.at, evidenceOf(step, `stopped leading epoch ${was}`));
    }
    if (is !== undefined && is !== was) {
      this.leaders.start(step.node, step.at, evidenceOf(step, `epoch ${is}`));
    }
  }

  finish(end: ReplayEnd): void {
    this.leaders.finish(end.at);
  }
}

function epochLed(state: NodeState): number | undefined {
  return state.role.status === 'leader' ? state.role.epoch : undefined;
}
