/**
 * `taskd bundle <dataDir> -o file.tar.gz`: what a post-mortem needs from one node, in one file that
 * can leave the machine: its journals, its configuration with every secret redacted, the file task
 * log when asked for, and the taskd version. Staged in a private temp directory, then archived.
 */
import { chmod, copyFile, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { parseDocument, stringify } from 'yaml';
import { listJournalChains } from '../../infra/journal/journal-files.ts';
import { ReplayInputError } from '../replay-input-error.ts';
import {
  BUNDLE_FORMAT,
  BUNDLE_FORMAT_VERSION,
  type BundleManifest,
  CONFIG_NAME,
  JOURNALS_DIR,
  MANIFEST_NAME,
  TASK_LOG_DIR,
} from './manifest.ts';
import { redactSecrets } from './redact.ts';
import { createArchive } from './tar.ts';
import { taskdVersion } from './taskd-version.ts';

export interface BundleOptions {
  /** The node's config file; default: the first of CONFIG_CANDIDATES found in the data directory. */
  readonly config?: string;
  /** A file task log to ship as well. */
  readonly taskLog?: string;
  /** Clock for the manifest and the folder name (tests). */
  readonly now?: () => Date;
}

export interface BundleResult {
  readonly file: string;
  readonly manifest: BundleManifest;
}

export const CONFIG_CANDIDATES = [
  'taskd.yaml',
  'taskd.yml',
  'config.yaml',
  'config.yml',
  'taskd.json',
  'config.json',
];

/** Writes the bundle of `dataDir` to `outFile`; throws ReplayInputError when there is nothing to bundle. */
export async function runBundle(
  dataDir: string,
  outFile: string,
  options: BundleOptions = {},
): Promise<BundleResult> {
  if (!(await isDirectory(dataDir))) throw new ReplayInputError(`${dataDir} is not a directory`);
  const chains = await listJournalChains(dataDir);
  if (chains.length === 0) throw new ReplayInputError(`no node journal (journal-<node>.jsonl) in ${dataDir}`);
  const notes: string[] = [];
  const config = await readConfig(dataDir, options.config, notes);
  const now = (options.now ?? (() => new Date()))();
  const node = nodeIdOf(config) ?? chains[0]?.node ?? null;
  const entry = `taskd-bundle-${node ?? 'node'}-${now.toISOString().replace(/[:.]/g, '-')}`;
  const staging = await mkdtemp(join(tmpdir(), 'taskd-bundle-'));
  const target = resolve(outFile);
  try {
    const root = join(staging, entry);
    await mkdir(join(root, JOURNALS_DIR), { recursive: true, mode: 0o700 });
    const journals: string[] = [];
    for (const file of chains.flatMap((chain) => chain.files)) {
      await copyFile(file, join(root, JOURNALS_DIR, basename(file)));
      journals.push(`${JOURNALS_DIR}/${basename(file)}`);
    }
    if (config !== undefined) {
      await writeFile(join(root, CONFIG_NAME), stringify(redactSecrets(config)), { mode: 0o600 });
    }
    const taskLog = await stageTaskLog(root, options.taskLog);
    const manifest: BundleManifest = {
      format: BUNDLE_FORMAT,
      formatVersion: BUNDLE_FORMAT_VERSION,
      taskdVersion: await taskdVersion(),
      createdAt: now.toISOString(),
      node,
      journals,
      config: config === undefined ? null : CONFIG_NAME,
      taskLog,
      notes,
    };
    await writeFile(join(root, MANIFEST_NAME), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
    try {
      await createArchive(staging, entry, target);
      await chmod(target, 0o600); // journals say a lot about a cluster: not world-readable
    } catch (error) {
      await rm(target, { force: true });
      throw error;
    }
    return { file: target, manifest };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** The parsed config, or undefined (with a note saying why) when there is none that can be redacted. */
async function readConfig(dataDir: string, given: string | undefined, notes: string[]): Promise<unknown> {
  const path = given ?? (await firstExisting(CONFIG_CANDIDATES.map((name) => join(dataDir, name))));
  if (path === undefined) {
    notes.push(`no config file in ${dataDir} (looked for ${CONFIG_CANDIDATES.join(', ')})`);
    return undefined;
  }
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ReplayInputError(`cannot read the config ${path}: ${String(error)}`, { cause: error });
  }
  const doc = parseDocument(text, { uniqueKeys: false });
  if (doc.errors.length > 0) {
    // Its secrets cannot be found in a file that does not parse: ship nothing rather than a leak.
    notes.push(
      `config ${basename(path)} not shipped: it does not parse (${doc.errors[0]?.message.split('\n')[0]})`,
    );
    return undefined;
  }
  return doc.toJS() ?? {};
}

async function stageTaskLog(root: string, taskLog: string | undefined): Promise<string | null> {
  if (taskLog === undefined) return null;
  if (!(await isFile(taskLog))) throw new ReplayInputError(`the task log ${taskLog} is not a file`);
  await mkdir(join(root, TASK_LOG_DIR), { mode: 0o700 });
  await copyFile(taskLog, join(root, TASK_LOG_DIR, basename(taskLog)));
  return `${TASK_LOG_DIR}/${basename(taskLog)}`;
}

function nodeIdOf(config: unknown): string | undefined {
  if (typeof config !== 'object' || config === null) return undefined;
  const nodeId = (config as { nodeId?: unknown }).nodeId;
  return typeof nodeId === 'string' && nodeId !== '' ? nodeId : undefined;
}

async function firstExisting(paths: readonly string[]): Promise<string | undefined> {
  for (const path of paths) if (await isFile(path)) return path;
  return undefined;
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() ?? false;
}

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}
