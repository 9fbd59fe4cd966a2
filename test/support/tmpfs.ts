/**
 * A small tmpfs mounted by a test on a folder of its own, to make a disk fail on demand: filled to
 * the last byte, writes fail with ENOSPC. (Remounting it read-only is not a fault a test can make:
 * the kernel refuses while a file there is open for writing, as a journal is.) Recorded in the mount
 * registry before it is mounted, so it is unmounted even when the test dies.
 */
import { execFileSync } from 'node:child_process';
import {
  closeSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { recordMount, unmountRecorded } from './mount-registry.ts';

export const MOUNT_INSTALL_COMMAND = 'apt-get install -y mount';
const FILLER = 'disk-filler.bin';
const CHUNK = Buffer.alloc(1024 * 1024);

export interface TmpfsMount {
  readonly dir: string;
  /** Writes a filler file until the filesystem is full (ENOSPC); returns the bytes it took. */
  fill(): number;
  /** Deletes the filler: the disk has room again. */
  free(): void;
  /** Moves what the filesystem holds (filler excepted) onto the folder under it, then unmounts. Idempotent. */
  unmount(): void;
}

/** Mounts a tmpfs of `sizeBytes` on `dir` (created if needed); throws with the install command when it cannot. */
export function mountTmpfs(dir: string, sizeBytes: number): TmpfsMount {
  if (process.getuid?.() !== 0)
    throw new Error(`mounting a tmpfs needs root: run the tests as root (${MOUNT_INSTALL_COMMAND})`);
  mkdirSync(dir, { recursive: true });
  recordMount(dir);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeBytes},mode=0700`, 'tmpfs', dir], {
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 15_000,
    });
  } catch (error) {
    unmountRecorded(dir);
    const why = (error as { stderr?: Buffer }).stderr?.toString().trim() ?? String(error);
    throw new Error(
      `cannot mount a tmpfs on ${dir}: ${why} (is \`mount\` installed? ${MOUNT_INSTALL_COMMAND})`,
    );
  }
  let mounted = true;
  return {
    dir,
    fill: () => fillUp(join(dir, FILLER)),
    free: () => rmSync(join(dir, FILLER), { force: true }),
    unmount: () => {
      if (!mounted) return;
      mounted = false;
      rmSync(join(dir, FILLER), { force: true });
      const saved = mkdtempSync(join(dirname(dir), '.tmpfs-saved-'));
      if (existsSync(dir)) cpSync(dir, saved, { recursive: true });
      unmountRecorded(dir);
      for (const name of readdirSync(saved)) renameSync(join(saved, name), join(dir, name));
      rmSync(saved, { recursive: true, force: true });
    },
  };
}

/** Appends to `path` until the filesystem says ENOSPC. */
function fillUp(path: string): number {
  const fd = openSync(path, 'a');
  let written = 0;
  try {
    for (;;) written += writeSync(fd, CHUNK);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
  return written;
}
