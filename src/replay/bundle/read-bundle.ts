/**
 * Opens a bundle for replay: checks what the archive holds before anything is written (one top
 * folder, plain files and folders only, no absolute or ".." paths), extracts it into a private temp
 * directory, and reads its manifest and redacted config. close() removes the extraction.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ReplayInputError } from '../replay-input-error.ts';
import { type BundleManifest, JOURNALS_DIR, MANIFEST_NAME, manifestSchema } from './manifest.ts';
import { type ArchiveMember, extractArchive, listArchive } from './tar.ts';

export interface OpenedBundle {
  readonly file: string;
  readonly manifest: BundleManifest;
  /** The extracted folder of journals. */
  readonly journalsDir: string;
  /** The redacted config as a plain tree, when the bundle has one. */
  readonly config: unknown;
  /** The extracted file task log, when the bundle has one. */
  readonly taskLog?: string;
  /** Removes the extraction; idempotent. */
  close(): Promise<void>;
}

/** Extracts and reads the bundle at `file`; throws ReplayInputError when it is not a taskd bundle. */
export async function openBundle(file: string): Promise<OpenedBundle> {
  const top = topFolderOf(file, await listArchive(file));
  const dir = await mkdtemp(join(tmpdir(), 'taskd-replay-'));
  const close = () => rm(dir, { recursive: true, force: true });
  try {
    await extractArchive(file, dir);
    const root = join(dir, top);
    const manifest = await readManifest(file, join(root, MANIFEST_NAME));
    const config =
      manifest.config === null ? undefined : parse(await readFile(join(root, manifest.config), 'utf8'));
    return {
      file,
      manifest,
      journalsDir: join(root, JOURNALS_DIR),
      config,
      ...(manifest.taskLog === null ? {} : { taskLog: join(root, manifest.taskLog) }),
      close,
    };
  } catch (error) {
    await close();
    if (error instanceof ReplayInputError) throw error;
    throw new ReplayInputError(`${file}: cannot read the bundle: ${String(error)}`, { cause: error });
  }
}

/** The one folder every member lives in; refuses anything that could write outside it. */
function topFolderOf(file: string, members: readonly ArchiveMember[]): string {
  const tops = new Set<string>();
  for (const { name, type } of members) {
    const parts = name.split('/').filter((part) => part !== '' && part !== '.');
    if (name.startsWith('/') || parts.includes('..') || parts.length === 0) {
      throw new ReplayInputError(
        `${file}: refusing the archive member "${name}" (absolute or outside the bundle)`,
      );
    }
    if (type !== '-' && type !== 'd') {
      throw new ReplayInputError(
        `${file}: refusing the archive member "${name}" (not a plain file or folder)`,
      );
    }
    tops.add(parts[0] as string);
  }
  const [top, ...others] = [...tops];
  if (top === undefined || others.length > 0) {
    throw new ReplayInputError(`${file}: not a taskd bundle (expected one top folder, found ${tops.size})`);
  }
  return top;
}

async function readManifest(file: string, path: string): Promise<BundleManifest> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new ReplayInputError(`${file}: not a taskd bundle (no readable ${MANIFEST_NAME})`, {
      cause: error,
    });
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ReplayInputError(
      `${file}: unsupported bundle manifest: ${parsed.error.issues[0]?.message ?? ''}`,
    );
  }
  for (const named of [parsed.data.config, parsed.data.taskLog]) {
    if (named !== null && (named.startsWith('/') || named.split('/').includes('..'))) {
      throw new ReplayInputError(`${file}: the manifest names "${named}", outside the bundle`);
    }
  }
  return parsed.data;
}
