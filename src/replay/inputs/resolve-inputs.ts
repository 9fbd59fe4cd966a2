/**
 * From the paths and the task-log spec on the command line to ReplayInputs: folders and files of
 * journals, bundles (.tar.gz, recognised by their gzip magic), and the task log. A journal given
 * twice is read once; a bundle's task log is used when no other was given.
 */
import { open, realpath, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseJournalName } from '../../infra/journal/journal-files.ts';
import { journalChainsAt } from '../../infra/journal/read-journal.ts';
import { JOURNALS_DIR, TASK_LOG_DIR } from '../bundle/manifest.ts';
import { nodeConfigOf, nodeIdOfConfig } from '../bundle/node-config-of.ts';
import { type OpenedBundle, openBundle } from '../bundle/read-bundle.ts';
import { ReplayInputError } from '../replay-input-error.ts';
import { describeTaskLogSpec, parseTaskLogSpec } from '../task-log/task-log-spec.ts';
import type { InputSource, JournalChain, ReplayInputs, TaskLogInput } from './input-model.ts';
import { mergedBatches, mergedItems } from './merged-items.ts';

export interface InputRequest {
  /** Journal files, folders of journals, bundles. */
  readonly paths: readonly string[];
  /** A task-log spec (file path, zk://…, esdb://…). */
  readonly taskLog?: string;
}

/** Resolves every input; throws ReplayInputError for a path that does not exist or a bad spec. */
export async function resolveInputs(request: InputRequest): Promise<ReplayInputs> {
  const sources: InputSource[] = [];
  const chains: JournalChain[] = [];
  const bundles: OpenedBundle[] = [];
  const seenFiles = new Set<string>();
  const seenNodes = new Map<string, string>();
  let bundledTaskLog: { readonly path: string; readonly display: string } | undefined;
  const close = async () => {
    await Promise.all(bundles.splice(0).map((bundle) => bundle.close()));
  };
  try {
    for (const path of request.paths) {
      const input = sources.length;
      const kind = (await isBundle(path)) ? 'bundle' : 'journal';
      const bundle = kind === 'bundle' ? await openBundle(path) : undefined;
      if (bundle !== undefined) bundles.push(bundle);
      const source: InputSource = {
        kind,
        path,
        notes: [...(bundle?.manifest.notes ?? [])],
        ...(bundle === undefined ? {} : { taskdVersion: bundle.manifest.taskdVersion }),
      };
      sources.push(source);
      const found = await journalChainsAt(bundle?.journalsDir ?? path);
      if (found.length === 0) source.notes.push('no node journal (journal-<node>.jsonl) found here');
      for (const files of found) {
        const node = parseJournalName(basename(files[0] ?? ''))?.node;
        const real = await Promise.all(files.map((file) => realpath(file)));
        if (real.some((file) => seenFiles.has(file)) || (node !== undefined && seenNodes.has(node))) {
          source.notes.push(`journal of ${node ?? files[0]} given twice: ${files.join(', ')} ignored`);
          continue;
        }
        for (const file of real) seenFiles.add(file);
        if (node !== undefined) seenNodes.set(node, path);
        const config = bundle === undefined ? undefined : bundleConfigFor(bundle, node);
        const displayFiles = files.map((file) =>
          bundle === undefined ? file : inBundle(path, JOURNALS_DIR, file),
        );
        chains.push({ input, node, files, displayFiles, config });
      }
      if (bundle?.taskLog !== undefined) {
        if (bundledTaskLog === undefined && request.taskLog === undefined) {
          bundledTaskLog = { path: bundle.taskLog, display: inBundle(path, TASK_LOG_DIR, bundle.taskLog) };
        } else source.notes.push('its task log is not used: another one was given first');
      }
    }
    const taskLog =
      request.taskLog !== undefined
        ? taskLogInput(request.taskLog, sources)
        : bundledTaskLog === undefined
          ? undefined
          : taskLogInput(bundledTaskLog.path, sources, bundledTaskLog.display);
    if (chains.length === 0 && taskLog === undefined) {
      throw new ReplayInputError('nothing to replay: give journals, folders of journals, bundles or --log');
    }
    const journalBytes = await totalBytes(chains.flatMap((chain) => chain.files));
    return {
      sources,
      chains,
      taskLog,
      journalBytes,
      items: () => mergedItems(chains, taskLog),
      batches: () => mergedBatches(chains, taskLog),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

function taskLogInput(text: string, sources: InputSource[], display?: string): TaskLogInput {
  const parsed = parseTaskLogSpec(text);
  if (!parsed.ok) throw new ReplayInputError(parsed.message);
  const source = display ?? describeTaskLogSpec(parsed.spec);
  sources.push({ kind: 'task-log', path: source, notes: [] });
  return { input: sources.length - 1, spec: parsed.spec, source };
}

/** `<bundle>!/<dir>/<file>`: a bundle member, named so that it can be found again. */
function inBundle(bundle: string, dir: string, file: string): string {
  return `${bundle}!/${dir}/${basename(file)}`;
}

function bundleConfigFor(bundle: OpenedBundle, node: string | undefined): JournalChain['config'] {
  const configured = nodeIdOfConfig(bundle.config) ?? bundle.manifest.node ?? undefined;
  if (bundle.config === undefined || node === undefined || configured !== node) return undefined;
  return nodeConfigOf(node, bundle.config);
}

async function isBundle(path: string): Promise<boolean> {
  const info = await stat(path).catch((error: unknown) => {
    throw new ReplayInputError(`cannot read ${path}: ${(error as Error).message}`, { cause: error });
  });
  if (!info.isFile()) return false;
  const handle = await open(path, 'r');
  try {
    const magic = Buffer.alloc(2);
    await handle.read(magic, 0, 2, 0);
    return magic[0] === 0x1f && magic[1] === 0x8b; // gzip
  } finally {
    await handle.close();
  }
}

async function totalBytes(files: readonly string[]): Promise<number> {
  const sizes = await Promise.all(files.map(async (file) => (await stat(file)).size));
  return sizes.reduce((sum, size) => sum + size, 0);
}
