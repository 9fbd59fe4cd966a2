import { describe, expect, it } from 'vitest';
import type { Detector } from '../../../src/replay/detectors/detector.ts';
import type { FindingSink } from '../../../src/replay/detectors/finding.ts';
import { FoldAnomaliesDetector } from '../../../src/replay/detectors/fold-anomalies.ts';
import { TaskEvidence } from '../../../src/replay/detectors/task-evidence.ts';
import type { ReplayStep } from '../../../src/replay/folds/replay-step.ts';
import {
  assigned,
  epochStarted,
  interrupted,
  ref,
  requeued,
  started,
  submitted,
  succeeded,
  T0,
} from '../../domain/task/fixtures.ts';
import { at000, JournalScript, SEED_000_NODE, seed000Journal } from '../seed-journals.ts';
import { detect, replaySteps } from '../steps.ts';

/** The detector with the evidence index fed after it, as DetectorSet does. */
function withEvidence(sink: FindingSink): Detector {
  const evidence = new TaskEvidence();
  const detector: Detector = new FoldAnomaliesDetector(sink, evidence);
  return {
    observe(step: ReplayStep) {
      detector.observe(step);
      evidence.observe(step);
    },
    finish: (end) => detector.finish(end),
  };
}

describe("the domain folds' anomalies", () => {
  it('seed 000: reports the second teardown and every step after close, each with the event it repeats', () => {
    const found = detect(withEvidence, replaySteps({ [SEED_000_NODE]: seed000Journal() }));
    expect(found.map((finding) => [finding.kind, finding.at, finding.source])).toEqual([
      ['shutdown-twice', at000('01:45:07.801932'), 'node-fold'],
      ['teardown-step-after-close', at000('01:45:07.819953'), 'node-fold'],
      ['session-closed-twice', at000('01:45:07.851056'), 'node-fold'],
      ['session-event-after-close', at000('01:45:07.874543'), 'node-fold'],
    ]);
    const [twice, stepAfterClose] = found;
    expect(twice?.evidence.map((item) => [item.type, item.note])).toEqual([
      ['ShutdownRequested', 'the teardown that ran'],
      ['ShutdownRequested', undefined],
    ]);
    expect(stepAfterClose?.evidence.map((item) => item.type)).toEqual([
      'ShutdownRequested',
      'SessionClosed',
      'TeardownStepStarted',
    ]);
    for (const finding of found)
      expect(finding.evidence.at(-1)?.location.source).toBe(`journal-${SEED_000_NODE}.jsonl`);
  });

  it('reports a process that died without a teardown, pointing at its last event', () => {
    const n = new JournalScript('n1').boot(T0, '0x1');
    n.add(T0 + 5_000, 'HealthChecked', { probe: 'p', ok: true, detail: '' });
    n.boot(T0 + 9_000, '0x2');
    const found = detect(withEvidence, replaySteps({ n1: n.events }));
    expect(found.map((finding) => finding.kind)).toEqual(['process-died-without-teardown']);
    expect(found[0]?.evidence.map((item) => [item.type, item.at])).toEqual([
      ['HealthChecked', T0 + 5_000],
      ['ProcessStarted', T0 + 9_000],
    ]);
  });

  it('reports a zombie write with the assignment it no longer holds', () => {
    const first = ref('t1', { node: 'n1', epoch: 1 });
    const second = ref('t1', { node: 'n2', epoch: 2, attempt: 2 });
    const tasks = [
      submitted('t1', {}, T0),
      epochStarted(1, 'n0', 1, T0 + 1),
      assigned('t1', first, T0 + 2),
      started(first, T0 + 3),
      epochStarted(2, 'n2', 1, T0 + 10),
      interrupted('t1', 1, 'runner lost', 2, T0 + 11),
      requeued('t1', 2, T0 + 11, 2, T0 + 12),
      assigned('t1', second, T0 + 13),
      succeeded(first, null, T0 + 20),
    ];
    const found = detect(withEvidence, replaySteps({}, tasks));
    expect(found.map((finding) => [finding.kind, finding.taskId, finding.nodes])).toEqual([
      ['zombie-write', 't1', ['n1']],
    ]);
    expect(found[0]?.evidence.map((item) => [item.type, item.location.position, item.note])).toEqual([
      ['TaskAssigned', 8, 'the current assignment'],
      ['TaskSucceeded', 9, undefined],
    ]);
  });
});
