import { describe, expect, it } from 'vitest';
import {
  defaultNodeConfig,
  fold,
  initialState,
  type NodeEvent,
  nodeEvent,
} from '../../../src/domain/node/index.ts';
import { stateHash } from '../../../src/infra/state-hash.ts';
import { NodeFolds } from '../../../src/replay/folds/node-folds.ts';

const meta = (at: number) => ({ node: 'n1', incarnation: 1, at });
const config = { ...defaultNodeConfig('n1'), health: { rise: 2, fall: 3 } };
const history: NodeEvent[] = [
  nodeEvent('ProcessStarted', { pid: 7, version: '0.1.0', config }, { ...meta(1), incarnation: 0 }),
  nodeEvent('ServicesStarted', { incarnation: 1 }, meta(2)),
  nodeEvent('HealthChecked', { probe: 'peers', ok: true, detail: 'ok' }, meta(3)),
  nodeEvent('HealthChecked', { probe: 'peers', ok: true, detail: 'ok' }, meta(4)),
];

function replay(events: readonly NodeEvent[]) {
  const folds = new NodeFolds([{ input: 0, node: 'n1', files: [], displayFiles: [], config: undefined }]);
  return events.flatMap((event, line) => folds.apply(0, event, { line }).anomalies);
}

describe('state checkpoints in a journal', () => {
  it('pass when the replayed state hashes as the live one did (the journaled config is used)', () => {
    const live = fold(initialState(config), history);
    expect(live.health.status).toBe('healthy'); // rise 2 from the journaled config, not the default 3
    const anomalies = replay([...history, nodeEvent('StateCheckpoint', { node: stateHash(live) }, meta(5))]);
    expect(anomalies).toEqual([]);
  });

  it('are reported when the replayed state differs from the live one', () => {
    const anomalies = replay([
      ...history,
      nodeEvent('StateCheckpoint', { node: 'not-the-live-hash' }, meta(5)),
    ]);
    expect(anomalies.map((a) => a.kind)).toEqual(['checkpoint-mismatch']);
    expect(anomalies[0]?.location).toEqual({ line: 4 });
  });
});
