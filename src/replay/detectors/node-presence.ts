/**
 * When each node went away, by its own journal (its session lost or closed, its services stopped,
 * a new incarnation that can no longer run old assignments), and the freshest member view any node
 * journaled, for nodes whose journal is not among the inputs.
 */
import type { NodeState } from '../../domain/node/index.ts';
import type { NodeStep, ReplayStep } from '../folds/replay-step.ts';
import { type Evidence, evidenceOf } from './finding.ts';

export interface Departure {
  readonly at: number;
  readonly why: string;
  readonly evidence: Evidence;
}

interface MemberView {
  readonly at: number;
  readonly members: ReadonlySet<string>;
  readonly evidence: Evidence;
}

export class NodePresence {
  private readonly departures = new Map<string, Departure>();
  private readonly incarnations = new Map<string, Evidence>();
  /** The latest member view, as its step: made into a MemberView only when asked (views are frequent, questions rare). */
  private latestViewStep: NodeStep | undefined;

  observe(step: ReplayStep): void {
    if (step.kind !== 'node') return;
    const { before, after, node } = step;
    if (step.valid && step.event.type === 'MembersObserved') this.latestViewStep = step;
    if (before === after) return; // the fold changed nothing (evolve returns the same state)
    if (isPresent(before) && !isPresent(after)) {
      this.departures.set(node, { at: step.at, why: absence(after), evidence: evidenceOf(step) });
    } else if (isPresent(after)) {
      this.departures.delete(node);
    }
    if (after.incarnation !== before.incarnation) this.incarnations.set(node, evidenceOf(step));
  }

  /** Why and since when `node` cannot run an assignment of `incarnation`, judged from `state`; undefined if it can. */
  goneFor(node: string, incarnation: number, state: NodeState | undefined): Departure | undefined {
    if (state !== undefined) {
      const departure = this.departures.get(node);
      if (!isPresent(state) && departure !== undefined) return departure;
      const started = this.incarnations.get(node);
      if (state.incarnation !== incarnation && started !== undefined) {
        const why = `it runs incarnation ${state.incarnation} now; the assignment was for incarnation ${incarnation}`;
        return { at: started.at, why, evidence: started };
      }
      return undefined;
    }
    const view = this.latestView();
    if (view === undefined || view.members.has(node)) return undefined;
    return {
      at: view.at,
      why: `it is not a member in ${view.evidence.node}'s latest view`,
      evidence: view.evidence,
    };
  }

  private latestView(): MemberView | undefined {
    const step = this.latestViewStep;
    if (step === undefined || step.event.type !== 'MembersObserved') return undefined;
    const members = new Set(step.event.data.members.map((member) => member.node));
    return { at: step.at, members, evidence: evidenceOf(step) };
  }
}

/** Up and in a session: able to run what it was assigned. */
function isPresent(state: NodeState): boolean {
  const session = state.session.status;
  return (
    state.lifecycle.status === 'running' &&
    (session === 'connected' || session === 'suspended' || session === 'connecting')
  );
}

function absence(state: NodeState): string {
  if (state.lifecycle.status !== 'running') return `its services are ${state.lifecycle.status}`;
  return `its session is ${state.session.status}`;
}
