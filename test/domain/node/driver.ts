/**
 * A pure stand-in for the streams layer of one node, for scenario tests: it journals observations,
 * asks the decide functions, journals what they decide, and plays the effects' results (VIP add/del,
 * teardown steps) back as events. Everything it does is in `journal`, folded into `state`.
 */
import {
  decideShutdown,
  decideTeardown,
  decideVip,
  fold,
  initialState,
  type NodeConfig,
  type NodeEvent,
  type NodeEventData,
  type NodeEventType,
  type NodeState,
  recordEvent,
  type ShutdownTrigger,
  type TeardownStep,
} from '../../../src/domain/node/index.ts';

export class NodeDriver {
  state: NodeState;
  readonly journal: NodeEvent[] = [];

  constructor(config: NodeConfig) {
    this.state = initialState(config);
  }

  get node(): string {
    return this.state.config.node;
  }

  /** Journals events and folds them. */
  record(events: readonly NodeEvent[]): readonly NodeEvent[] {
    this.journal.push(...events);
    this.state = fold(this.state, events);
    return events;
  }

  /** Journals an observation made now, in the current incarnation. */
  observe<T extends NodeEventType>(now: number, type: T, data: NodeEventData<T>): void {
    this.record([recordEvent(this.state, now, type, data)]);
  }

  /** Journals what a decision returns. */
  decide(decision: (state: NodeState) => readonly NodeEvent[]): readonly NodeEvent[] {
    return this.record(decision(this.state));
  }

  /** Asks decideVip and plays a successful `ip addr add/del`. */
  reconcileVip(now: number): void {
    const vip = decideVip({ now }, this.state);
    if (vip.action === 'acquire') this.observe(now, 'VipAcquired', { address: vip.address });
    if (vip.action === 'release') this.observe(now, 'VipReleased', { address: vip.address });
  }

  /** A shutdown trigger, as every path (signal, session loss, destructor) would push it. */
  trigger(now: number, trigger: ShutdownTrigger, detail?: string): readonly NodeEvent[] {
    return this.decide((state) =>
      decideShutdown({ now, trigger, ...(detail === undefined ? {} : { detail }) }, state),
    );
  }

  /**
   * Runs the teardown as its single owner would: start the next step, play its outcome, repeat
   * until finished. `outcome` may fail a step; each step takes `stepMs`.
   */
  runTeardown(
    now: number,
    stepMs = 10,
    outcome: (step: TeardownStep) => 'ok' | 'timeout' = () => 'ok',
  ): number {
    let t = now;
    for (;;) {
      const [next] = this.decide((state) => decideTeardown({ now: t }, state));
      if (next === undefined || next.type === 'TeardownFinished') return t;
      if (next.type !== 'TeardownStepStarted') return t;
      const { step } = next.data;
      t += stepMs;
      if (outcome(step) === 'ok') this.observe(t, 'TeardownStepCompleted', { step });
      else this.observe(t, 'TeardownStepFailed', { step, error: `${step} timed out`, timedOut: true });
      const vip = this.state.config.vip;
      if (step === 'vip' && vip !== null) this.observe(t, 'VipReleased', { address: vip.address });
      if (step === 'zk-close') this.observe(t, 'SessionClosed', {});
    }
  }

  /** Journal entries of one type. */
  entries<T extends NodeEventType>(type: T): Extract<NodeEvent, { type: T }>[] {
    return this.journal.filter((event): event is Extract<NodeEvent, { type: T }> => event.type === type);
  }
}
