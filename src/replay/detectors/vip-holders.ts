/**
 * One VIP on two nodes at once: each node holds an address from its VipAcquired to its VipReleased.
 * Only a release removes it: a failed release, a session loss or a crashed process leave the
 * address configured on the interface (which is why a new process cleans a stale VIP at start).
 */
import type { ReplayStep } from '../folds/replay-step.ts';
import type { Detector, ReplayEnd } from './detector.ts';
import { evidenceOf, type FindingSink } from './finding.ts';
import { OverlapTracker } from './overlap-tracker.ts';

export class VipHoldersDetector implements Detector {
  private readonly byAddress = new Map<string, OverlapTracker>();

  constructor(
    private readonly sink: FindingSink,
    private readonly toleranceMs: number,
  ) {}

  observe(step: ReplayStep): void {
    if (step.kind !== 'node' || !step.valid) return;
    const { event } = step;
    if (event.type === 'VipAcquired') {
      this.tracker(event.data.address).start(step.node, step.at, evidenceOf(step));
    } else if (event.type === 'VipReleased') {
      this.tracker(event.data.address).end(step.node, step.at, evidenceOf(step));
    }
  }

  finish(end: ReplayEnd): void {
    for (const tracker of this.byAddress.values()) tracker.finish(end.at);
  }

  private tracker(address: string): OverlapTracker {
    let tracker = this.byAddress.get(address);
    if (tracker === undefined) {
      const what = {
        kind: 'vip-on-two-nodes',
        verb: `held the VIP ${address}`,
        toleranceMs: this.toleranceMs,
      };
      tracker = new OverlapTracker(what, this.sink);
      this.byAddress.set(address, tracker);
    }
    return tracker;
  }
}
