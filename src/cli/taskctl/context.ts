/** What every taskctl command gets: the client, where to print, and whether to print JSON. */
import type { ApiClient } from './client.ts';

/** Something text can be written to: process.stdout, or a buffer in tests. */
export interface Output {
  write(text: string): unknown;
}

export interface CommandContext {
  readonly client: ApiClient;
  readonly json: boolean;
  readonly stdout: Output;
  /** Aborted by Ctrl-C. */
  readonly signal?: AbortSignal;
}

/** Prints `value` as JSON with --json, else the text for people. */
export function print(context: CommandContext, value: unknown, text: () => string): void {
  context.stdout.write(context.json ? `${JSON.stringify(value, null, 2)}\n` : text());
}
