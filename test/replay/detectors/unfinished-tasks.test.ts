import { describe, expect, it } from 'vitest';
import type { Detector } from '../../../src/replay/detectors/detector.ts';
import { DEFAULT_DETECTOR_SETTINGS } from '../../../src/replay/detectors/detector.ts';
import type { FindingSink } from '../../../src/replay/detectors/finding.ts';
import { TaskEvidence } from '../../../src/replay/detectors/task-evidence.ts';
import { UnfinishedTasksDetector } from '../../../src/replay/detectors/unfinished-tasks.ts';
import {
  assigned,
  epochStarted,
  interrupted,
  member,
  ref,
  requeued,
  started,
  submitted,
  succeeded,
  T0,
} from '../../domain/task/fixtures.ts';
import { JournalScript } from '../seed-journals.ts';
import { detect, replaySteps } from '../steps.ts';

function unfinished(sink: FindingSink): Detector {
  const evidence = new TaskEvidence();
  const detector = new UnfinishedTasksDetector(sink, evidence, DEFAULT_DETECTOR_SETTINGS);
  return {
    observe(step) {
      detector.observe(step);
      evidence.observe(step);
    },
    finish: (end) => detector.finish(end),
  };
}

/** n0 leads and watches members until T0+200 s; n2 runs tasks and loses its session at T0+10 s. */
function cluster(members: readonly string[] = ['n0', 'n2']) {
  const n0 = new JournalScript('n0').boot(T0 - 1_000, '0x0');
  n0.add(T0 - 500, 'MembersObserved', { members: members.map((node) => member(node)) });
  n0.add(T0 + 200_000, 'HealthChecked', { probe: 'p', ok: true, detail: '' });
  const n2 = new JournalScript('n2').boot(T0 - 1_000, '0x2');
  n2.add(T0 + 10_000, 'SessionLost', { reason: 'expired' });
  return { n0: n0.events, n2: n2.events };
}

describe('tasks left behind', () => {
  it('reports a task still running on a node that is gone and was never requeued', () => {
    const onN2 = ref('t1', { node: 'n2' });
    const tasks = [
      submitted('t1', {}, T0),
      epochStarted(1, 'n0', 1, T0 + 1),
      assigned('t1', onN2, T0 + 2),
      started(onN2, T0 + 3),
    ];
    const found = detect(unfinished, replaySteps(cluster(), tasks));
    expect(found.map((finding) => [finding.kind, finding.taskId, finding.nodes])).toEqual([
      ['task-stranded', 't1', ['n2']],
    ]);
    expect(found[0]?.message).toContain('task t1 attempt 1 is running on n2, which is gone since');
    expect(found[0]?.message).toContain('its session is lost');
    expect(found[0]?.evidence.map((item) => [item.node, item.type])).toEqual([
      ['n0', 'TaskAssigned'],
      ['n2', 'SessionLost'],
    ]);
  });

  it('judges a node without a journal by the latest member view', () => {
    const onN3 = ref('t1', { node: 'n3' });
    const tasks = [submitted('t1', {}, T0), epochStarted(1, 'n0', 1, T0 + 1), assigned('t1', onN3, T0 + 2)];
    const found = detect(unfinished, replaySteps(cluster(['n0', 'n2']), tasks));
    expect(found.map((finding) => finding.kind)).toEqual(['task-stranded']);
    expect(found[0]?.message).toContain("not a member in n0's latest view");
    expect(found[0]?.message).toContain('it was already gone when assigned');
  });

  it('is content when the task was interrupted, requeued and finished elsewhere', () => {
    const onN2 = ref('t1', { node: 'n2' });
    const onN0 = ref('t1', { node: 'n0', attempt: 2 });
    const tasks = [
      submitted('t1', {}, T0),
      epochStarted(1, 'n0', 1, T0 + 1),
      assigned('t1', onN2, T0 + 2),
      interrupted('t1', 1, 'runner lost', 1, T0 + 20_000),
      requeued('t1', 2, T0 + 20_000, 1, T0 + 20_001),
      assigned('t1', onN0, T0 + 20_002),
      succeeded(onN0, null, T0 + 21_000),
    ];
    expect(detect(unfinished, replaySteps(cluster(), tasks))).toEqual([]);
  });

  it('reports a task submitted long before the log ends and never finished, but not one just submitted', () => {
    const tasks = [
      submitted('old', {}, T0),
      submitted('new', {}, T0 + 150_000),
      epochStarted(1, 'n0', 1, T0 + 160_000),
    ];
    const found = detect(unfinished, replaySteps(cluster(), tasks));
    expect(found.map((finding) => [finding.kind, finding.taskId, finding.severity])).toEqual([
      ['task-lost', 'old', 'warning'],
    ]);
    expect(found[0]?.message).toMatch(
      /^task old \(noop\) submitted at .* is still pending \(attempt 1 of 3\) when the log ends 2m40s later/,
    );
    expect(found[0]?.evidence.map((item) => item.type)).toEqual(['TaskSubmitted']);
  });

  it('judges nothing without a task log', () => {
    expect(detect(unfinished, replaySteps(cluster()))).toEqual([]);
  });
});
