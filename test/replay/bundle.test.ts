/**
 * `taskd bundle` → `taskd replay bundle.tar.gz`: journals and a redacted config travel in one
 * archive (made and read by the system tar), and replay from it as from the data directory.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runBundle } from '../../src/replay/index.ts';
import { clusterJournals, clusterTasks, T } from './cluster-scenario.ts';
import { replay, replayJson, type TempDir, tempDir, writeJournal, writeTaskLog } from './replay-fixture.ts';

const TOKEN = 'tok-3f9a8c1e5b7d2f40aa';
const ZK_PASSWORD = 'zk-pass-77c1';
const ESDB_PASSWORD = 'esdb-pass-51e0';

let dir: TempDir;
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(() => dir.remove());

/** A node's data directory: its journal and a config with secrets in it. */
async function dataDir(node: string): Promise<string> {
  const path = join(dir.path, node);
  await writeJournal(path, node, clusterJournals()[node] ?? []);
  await writeFile(
    join(path, 'taskd.yaml'),
    [
      `nodeId: ${node}`,
      'zookeeper:',
      '  hosts: [zk1:2181]',
      `  auth: { user: taskd, password: ${ZK_PASSWORD} }`,
      'taskLog:',
      '  backend: eventstoredb',
      `  esdbUrl: esdb://admin:${ESDB_PASSWORD}@esdb1:2113?tls=false`,
      'health:',
      '  rise: 2',
      'api:',
      `  token: ${TOKEN}`,
      '',
    ].join('\n'),
  );
  return path;
}

describe('bundles', () => {
  it('holds the journals, the config with every secret redacted, and the taskd version', async () => {
    const out = join(dir.path, 'n1.tar.gz');
    const { manifest } = await runBundle(await dataDir('n1'), out, { now: () => new Date(T) });
    const version = JSON.parse(
      await readFile(new URL('../../package.json', import.meta.url), 'utf8'),
    ).version;
    expect(manifest).toMatchObject({
      node: 'n1',
      taskdVersion: version,
      journals: ['journals/journal-n1.jsonl'],
      config: 'config.yaml',
    });
    const archive = gunzipSync(await readFile(out)).toString('latin1');
    for (const secret of [TOKEN, ZK_PASSWORD, ESDB_PASSWORD]) expect(archive).not.toContain(secret);
    expect(archive).toContain('journal-n1.jsonl');
    expect(archive).toContain('token: "[redacted]"');
    expect(archive).toContain('esdb://admin:[redacted]@esdb1:2113');
  });

  it('replays from the bundle, folding with the bundled config, naming files inside the bundle', async () => {
    const out = join(dir.path, 'n1.tar.gz');
    await runBundle(await dataDir('n1'), out);
    const { report } = await replayJson({ inputs: [out], at: String(T + 1_250) });
    expect(report.inputs[0]).toMatchObject({ kind: 'bundle', path: out, nodes: ['n1'], skippedCount: 0 });
    expect(report.nodes[0]).toMatchObject({ node: 'n1', config: 'bundle' });
    expect(report.timeline[0]?.location.source).toBe(`${out}!/journals/journal-n1.jsonl`);
    // rise 2 from the bundle: two good checks make n1 healthy (the default needs three).
    expect(report.state?.nodes[0]?.health).toBe('healthy');
    const raw = await replayJson({ inputs: [join(dir.path, 'n1')], at: String(T + 1_250) });
    expect(raw.report.state?.nodes[0]?.health).toBe('unknown');
  });

  it('replays several bundles at once, with a bundled file task log', async () => {
    const log = join(dir.path, 'tasks.log.jsonl');
    await writeTaskLog(log, clusterTasks());
    const first = join(dir.path, 'n1.tar.gz');
    const second = join(dir.path, 'n2.tar.gz');
    await runBundle(await dataDir('n1'), first, { taskLog: log });
    await runBundle(await dataDir('n2'), second);
    const { report } = await replayJson({ inputs: [first, second] });
    expect(report.nodes.map((node) => node.node)).toEqual(['n1', 'n2']);
    expect(report.inputs.map((input) => [input.kind, input.events])).toEqual([
      ['bundle', clusterJournals().n1?.length],
      ['bundle', clusterJournals().n2?.length],
      ['task-log', 8],
    ]);
    expect(report.inputs[2]?.path).toBe(`${first}!/task-log/tasks.log.jsonl`);
  });

  it('refuses an archive that would write outside its folder, and one that is no bundle', async () => {
    const staging = join(dir.path, 'staging');
    await mkdir(staging);
    await writeFile(join(staging, 'x.txt'), 'x');
    const evil = join(dir.path, 'evil.tar.gz');
    spawnSync('tar', ['-czf', evil, '-C', staging, '--transform', 's,^,../,', 'x.txt']);
    const refused = await replay({ inputs: [evil] });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('refusing the archive member "../x.txt"');
    const plain = join(dir.path, 'plain.tar.gz');
    spawnSync('tar', ['-czf', plain, '-C', dir.path, 'staging']);
    const notBundle = await replay({ inputs: [plain] });
    expect(notBundle.code).toBe(2);
    expect(notBundle.stderr).toContain('not a taskd bundle');
  });

  it('says so when the data directory holds no journal', async () => {
    const empty = join(dir.path, 'empty');
    await mkdir(empty);
    await expect(runBundle(empty, join(dir.path, 'x.tar.gz'))).rejects.toThrow('no node journal');
  });
});
