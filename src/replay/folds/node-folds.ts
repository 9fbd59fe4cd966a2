/**
 * Every node's state, folded from its journal with the node domain's `evolve`, from
 * `initialState(config)` (a bundle's config, or the defaults): what the daemon itself does at start
 * (a journal outlives processes; ProcessStarted marks each new one).
 */
import type { Anomaly, DomainEvent, EventLocation } from '../../domain/event.ts';
import {
  defaultNodeConfig,
  evolve,
  initialState,
  type NodeConfig,
  type NodeEvent,
  type NodeState,
} from '../../domain/node/index.ts';
import { stateHash } from '../../infra/state-hash.ts';
import type { JournalChain } from '../inputs/input-model.ts';
import { addedAnomalies, type NodeStep } from './replay-step.ts';

const ENVELOPE_KINDS = new Set(['malformed-event', 'unknown-event-type', 'unsupported-event-version']);
const NO_ANOMALIES: readonly Anomaly[] = Object.freeze([]);

interface Fold {
  node: string | undefined;
  config: NodeConfig | undefined;
  state: NodeState | undefined;
}

export class NodeFolds {
  private readonly folds: Fold[];

  constructor(chains: readonly JournalChain[]) {
    this.folds = chains.map((chain) => ({
      node: chain.node,
      config: chain.config,
      state:
        chain.node === undefined ? undefined : initialState(chain.config ?? defaultNodeConfig(chain.node)),
    }));
  }

  /** Folds one entry of chain `chain`. */
  apply(chain: number, event: DomainEvent, location: EventLocation): NodeStep {
    const fold = this.folds[chain] as Fold;
    const before = this.stateOf(fold, event);
    const after = evolve(before, event as NodeEvent);
    fold.state = after;
    // Most events apply cleanly and are no checkpoint: no anomaly arrays to build for them.
    const clean = after.anomalyCount === before.anomalyCount && event.type !== 'StateCheckpoint';
    const anomalies = clean
      ? NO_ANOMALIES
      : [...addedAnomalies(before, after), ...checkpointMismatch(before, event)].map((anomaly) => ({
          ...anomaly,
          location,
        }));
    return {
      kind: 'node',
      node: before.config.node,
      event: event as NodeEvent,
      valid: clean || !anomalies.some((anomaly) => ENVELOPE_KINDS.has(anomaly.kind)),
      at: event.meta.at,
      location,
      before,
      after,
      anomalies,
    };
  }

  /** Each node's latest state, by node. */
  states(): Map<string, NodeState> {
    const states = new Map<string, NodeState>();
    for (const fold of this.folds)
      if (fold.state !== undefined) states.set(fold.state.config.node, fold.state);
    return states;
  }

  /** The node of a chain, once known. */
  nodeOf(chain: number): string | undefined {
    return this.folds[chain]?.state?.config.node ?? this.folds[chain]?.node;
  }

  private stateOf(fold: Fold, event: DomainEvent): NodeState {
    if (fold.state === undefined) {
      // A single oddly named file: its first event names the node.
      const node = fold.node ?? event.meta.node;
      fold.node = node;
      fold.state = initialState(fold.config ?? defaultNodeConfig(node));
    }
    return fold.state;
  }
}

/** A StateCheckpoint whose node hash is not the hash of the state this replay rebuilt. */
function checkpointMismatch(before: NodeState, event: DomainEvent): Anomaly[] {
  if (event.type !== 'StateCheckpoint') return [];
  const expected = (event.data as { node?: unknown }).node;
  const actual = stateHash(before);
  if (typeof expected !== 'string' || expected === actual) return [];
  return [
    {
      kind: 'checkpoint-mismatch',
      message: `the live node's state hashed ${expected}, the replayed state hashes ${actual}`,
      at: event.meta.at,
      eventType: event.type,
    },
  ];
}
