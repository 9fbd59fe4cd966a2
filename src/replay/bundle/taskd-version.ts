/**
 * The version of taskd that is running, from its package.json (two levels above this folder, in
 * the sources as in the build's dist/ folder).
 */
import { readFile } from 'node:fs/promises';

/** "0.1.0", or "unknown" when package.json cannot be read. */
export async function taskdVersion(): Promise<string> {
  try {
    const text = await readFile(new URL('../../../package.json', import.meta.url), 'utf8');
    const version = (JSON.parse(text) as { version?: unknown }).version;
    return typeof version === 'string' ? version : 'unknown';
  } catch {
    return 'unknown';
  }
}
