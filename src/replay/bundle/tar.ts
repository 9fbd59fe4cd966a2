/**
 * Bundles are gzipped tar archives made and read by the system `tar` (GNU tar, always on Debian):
 * spawned with an argv, never through a shell, so no path can be read as a command.
 */
import { spawn } from 'node:child_process';
import { ReplayInputError } from '../replay-input-error.ts';

/** One member of an archive: its path and its type ('-' file, 'd' directory, 'l' symlink, 'h' hard link…). */
export interface ArchiveMember {
  readonly name: string;
  readonly type: string;
}

const MAX_OUTPUT_BYTES = 16 * 1024 * 1024;

/** Writes `<parent>/<entry>` (a directory) to a gzipped tar at `outFile`; owners and group/other modes are dropped. */
export async function createArchive(parent: string, entry: string, outFile: string): Promise<void> {
  await runTar([
    '--create',
    '--gzip',
    '--file',
    outFile,
    '--owner=0',
    '--group=0',
    '--numeric-owner',
    '--mode=go-rwx',
    '--directory',
    parent,
    '--',
    entry,
  ]);
}

/** The members of a gzipped tar, in archive order. */
export async function listArchive(file: string): Promise<ArchiveMember[]> {
  const names = splitLines(await runTar(['--list', '--gzip', '--file', file]));
  const verbose = splitLines(await runTar(['--list', '--verbose', '--gzip', '--file', file]));
  if (names.length !== verbose.length) {
    throw new ReplayInputError(`${file}: cannot list the archive (names and types disagree)`);
  }
  return names.map((name, i) => ({ name, type: (verbose[i] as string).charAt(0) }));
}

/** Extracts a gzipped tar into `dir`, with the extracting user as owner and default modes. */
export async function extractArchive(file: string, dir: string): Promise<void> {
  await runTar([
    '--extract',
    '--gzip',
    '--file',
    file,
    '--directory',
    dir,
    '--no-same-owner',
    '--no-same-permissions',
  ]);
}

function runTar(args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('tar', args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LC_ALL: 'C' },
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes <= MAX_OUTPUT_BYTES) out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error) => {
      const hint = (error as NodeJS.ErrnoException).code === 'ENOENT' ? ' (is GNU tar installed?)' : '';
      reject(new ReplayInputError(`cannot run tar${hint}: ${error.message}`, { cause: error }));
    });
    child.on('close', (code, signal) => {
      if (code === 0) {
        resolve(Buffer.concat(out).toString('utf8'));
        return;
      }
      const why = Buffer.concat(err).toString('utf8').trim().split('\n').slice(-3).join('; ');
      const status = signal === null ? `exit ${code}` : `signal ${signal}`;
      reject(new ReplayInputError(`tar ${args[0]} failed (${status}): ${why || 'no message'}`));
    });
  });
}

function splitLines(text: string): string[] {
  return text.split('\n').filter((line) => line !== '');
}
