/**
 * What a benchmark must undo, undone in reverse order of acquisition: processes first stopped, then
 * their folders removed. A failing step never keeps the others from running.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type CleanupStep = () => Promise<unknown> | unknown;

/** A stack of undo steps. */
export class Cleanup {
  private readonly steps: CleanupStep[] = [];

  /** Registers a step; returns a function that runs it now (and only once). */
  add(step: CleanupStep): () => Promise<void> {
    let done = false;
    const once: CleanupStep = async () => {
      if (done) return;
      done = true;
      await step();
    };
    this.steps.push(once);
    return async () => {
      this.steps.splice(this.steps.indexOf(once), 1);
      await once();
    };
  }

  /** A fresh folder under the system's temp folder, removed at cleanup. */
  tempDir(prefix: string): string {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    this.add(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  }

  /** A nested stack, run as one step of this one (or earlier, by calling its run()). */
  child(): Cleanup {
    const nested = new Cleanup();
    this.add(() => nested.run());
    return nested;
  }

  /** Runs every step still registered, newest first. */
  async run(): Promise<void> {
    for (const step of this.steps.splice(0).reverse()) {
      await Promise.resolve()
        .then(step)
        .catch((error: unknown) => console.error(`cleanup: ${String(error)}`));
    }
  }
}
