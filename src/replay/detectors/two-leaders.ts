/**
 * Two nodes leading at once, each by its own journal: a node leads from the event its fold turns
 * `leader` on (LeadershipAcquired) until the one that turns it off (lost, resigned, session lost,
 * a new process). Fencing keeps a deposed leader from writing, but two nodes believing they lead
 * for longer than clock skew explains is exactly what a post-mortem must see.
 *
 * A journal only shows what a node did. A leader that went silent (killed, frozen by SIGSTOP)
 * before another node started a newer term is taken to have led until its last journaled event;
 * if it speaks again while its fold still says leader, it leads again from that moment, and that
 * overlap with the newer term is what gets reported.
 */
import type { NodeState } from '../../domain/node/index.ts';
import type { ReplayStep } from '../folds/replay-step.ts';
import type { Detector, ReplayEnd } from './detector.ts';
import { evidenceOf, type FindingSink } from './finding.ts';
import { OverlapTracker } from './overlap-tracker.ts';

export class TwoLeadersDetector implements Detector {
  private readonly leaders: OverlapTracker;
  /** Each leading node's last journaled event. */
  private readonly lastSeen = new Map<string, NodeReplayStep>();
  /** Epoch each leading node leads, as its fold says (open or closed for silence). */
  private readonly leading = new Map<string, number>();

  constructor(sink: FindingSink, toleranceMs: number) {
    this.leaders = new OverlapTracker({ kind: 'two-leaders', verb: 'led', toleranceMs }, sink);
  }

  observe(step: ReplayStep): void {
    if (step.kind !== 'node') return;
    const was = epochLed(step.before);
    const is = epochLed(step.after);
    if (was !== undefined && (is === undefined || is !== was)) {
      this.leaders.end(step.node, step.at, evidenceOf(step, `stopped leading epoch ${was}`));
      this.leading.delete(step.node);
    } else if (was !== undefined && is === was && !this.leaders.isOpen(step.node)) {
      // Silent while a newer term began, and now acting again as leader: it leads again from here.
      this.leaders.start(step.node, step.at, evidenceOf(step, `still leading epoch ${was} after a silence`));
    }
    if (is !== undefined && is !== was) {
      this.closeSilentLeaders(step.node, is, step.at);
      this.leaders.start(step.node, step.at, evidenceOf(step, `epoch ${is}`));
      this.leading.set(step.node, is);
    }
    // Only a leading node's last event is ever asked for, and a node leads exactly while its fold says
    // so (`leading` follows it): the last event of the others need not be kept at every step.
    if (is !== undefined) this.lastSeen.set(step.node, step);
  }

  finish(end: ReplayEnd): void {
    // A leader whose journal simply ends (killed) led until its last event, not until the inputs end.
    for (const node of this.leading.keys()) {
      const last = this.lastSeen.get(node);
      if (last !== undefined && last.at < end.at && this.leaders.isOpen(node)) {
        this.leaders.end(node, last.at, evidenceOf(last, 'its journal ends here'));
      }
    }
    this.leaders.finish(end.at);
  }

  /** Ends, at their last event, the terms of older leaders that fell silent before this one began. */
  private closeSilentLeaders(node: string, epoch: number, at: number): void {
    for (const [other, otherEpoch] of this.leading) {
      const last = this.lastSeen.get(other);
      if (other === node || otherEpoch >= epoch || last === undefined || last.at >= at) continue;
      if (this.leaders.isOpen(other)) {
        this.leaders.end(
          other,
          last.at,
          evidenceOf(last, `silent from here on, before epoch ${epoch} began`),
        );
      }
    }
  }
}

type NodeReplayStep = Extract<ReplayStep, { kind: 'node' }>;

function epochLed(state: NodeState): number | undefined {
  return state.role.status === 'leader' ? state.role.epoch : undefined;
}
