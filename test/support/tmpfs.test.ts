/**
 * The test tmpfs that makes a journal's disk fail: filled, a write fails with ENOSPC; freed, it works
 * again; unmounted, what it held is on the disk folder under it and nothing is left mounted. Needs
 * root, like the network-namespace tests.
 */
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isMountPoint, MOUNT_REGISTRY_DIR } from './mount-registry.ts';
import { mountTmpfs, type TmpfsMount } from './tmpfs.ts';

let mounted: TmpfsMount | undefined;
let folder: string | undefined;

afterEach(() => {
  mounted?.unmount();
  if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
  mounted = undefined;
  folder = undefined;
});

function mountSmall(): TmpfsMount {
  folder = mkdtempSync(join(tmpdir(), 'taskd-tmpfs-test-'));
  mounted = mountTmpfs(join(folder, 'data'), 1024 * 1024);
  return mounted;
}

describe('a test tmpfs', () => {
  it('is mounted and recorded for the reaper until unmounted', () => {
    const disk = mountSmall();
    expect(isMountPoint(disk.dir)).toBe(true);
    expect(readFileSync(join(MOUNT_REGISTRY_DIR, `${process.pid}.json`), 'utf8')).toContain(disk.dir);
    disk.unmount();
    expect(isMountPoint(disk.dir)).toBe(false);
    expect(existsSync(join(MOUNT_REGISTRY_DIR, `${process.pid}.json`))).toBe(false);
  });

  it('makes writes fail with ENOSPC once filled, and take them again once freed', () => {
    const disk = mountSmall();
    const file = join(disk.dir, 'journal.jsonl');
    appendFileSync(file, 'before\n');
    expect(disk.fill()).toBeGreaterThan(0);
    expect(() => appendFileSync(file, 'x'.repeat(64 * 1024))).toThrow(/ENOSPC/);
    disk.free();
    appendFileSync(file, 'after\n');
    expect(readFileSync(file, 'utf8')).toMatch(/^before\n[\s\S]*after\n$/);
  });

  it('leaves what it held on the disk folder under it once unmounted (the filler excepted)', () => {
    const disk = mountSmall();
    appendFileSync(join(disk.dir, 'journal.jsonl'), 'kept\n');
    disk.fill();
    disk.unmount();
    expect(readFileSync(join(disk.dir, 'journal.jsonl'), 'utf8')).toBe('kept\n');
    expect(existsSync(join(disk.dir, 'disk-filler.bin'))).toBe(false);
  });
});
