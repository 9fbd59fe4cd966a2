/**
 * The HTML report is ONE self-contained file: inline style and script, the data embedded, nothing
 * fetched; one lane per node. (html-render.test.ts renders it in a real browser.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeEvent } from '../../src/domain/node/index.ts';
import { writeCluster } from './cluster-scenario.ts';
import { replay, type TempDir, tempDir, writeJournal } from './replay-fixture.ts';
import { JournalScript } from './seed-journals.ts';

let dir: TempDir;
let html: string;
beforeAll(async () => {
  dir = await tempDir();
  const paths = await writeCluster(dir.path);
  // A third node whose journal carries markup, which must not break out of the embedded data.
  const n3 = new JournalScript('n3').boot(Date.UTC(2024, 0, 1, 12, 0, 0), '0x3');
  n3.events.push(
    nodeEvent(
      'ShutdownRequested',
      { trigger: 'api', detail: '</script><script>alert(1)</script>' },
      { node: 'n3', incarnation: 1, at: Date.UTC(2024, 0, 1, 12, 0, 5) },
    ),
  );
  await writeJournal(paths.journals, 'n3', n3.events);
  const result = await replay({ inputs: [paths.journals], log: paths.taskLog, format: 'html' });
  expect(result.code).toBe(0);
  html = result.stdout;
});
afterAll(() => dir.remove());

function embedded(): {
  lanes: { node: string }[];
  tasks: { taskId: string; node: string; status: string }[];
} {
  const match = /<script type="application\/json" id="replay-data">([\s\S]*?)<\/script>/.exec(html);
  return JSON.parse(match?.[1] ?? 'null');
}

describe('the HTML report', () => {
  it('is one document with its style and script inline and no external reference', () => {
    expect(html.match(/<html/g)).toHaveLength(1);
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?\s*(https?:|\/\/)/i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/<script[^>]+src=/i);
    expect(html).not.toMatch(/@import|url\(/i);
    expect(html.match(/<\/script>/g)).toHaveLength(2);
  });

  it('carries one lane per node and a bar per task attempt on the node it ran on', () => {
    const data = embedded();
    expect(data.lanes.map((lane) => lane.node)).toEqual(['n1', 'n2', 'n3']);
    expect(data.tasks.map((bar) => [bar.taskId, bar.node, bar.status])).toEqual([
      ['a', 'n2', 'succeeded'],
      ['b', 'n1', 'running'],
    ]);
  });

  it('draws the lanes from script only (the static page has none)', () => {
    expect(html).not.toContain('class="lane"');
    expect(html).toContain("section.className = 'lane'");
  });
});
