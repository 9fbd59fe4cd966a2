/**
 * The manifest at the top of a bundle: what the archive holds and which taskd wrote it.
 *
 *   taskd-bundle-<node>-<stamp>/
 *     manifest.json          this file
 *     config.yaml            the node's configuration, secrets redacted (absent when none was found)
 *     journals/              journal-<node>[.<n>].jsonl, as they were in the data directory
 *     task-log/<name>        the file task log, when one was given
 */
import { z } from 'zod';

export const BUNDLE_FORMAT = 'taskd-bundle';
export const BUNDLE_FORMAT_VERSION = 1;
export const MANIFEST_NAME = 'manifest.json';
export const CONFIG_NAME = 'config.yaml';
export const JOURNALS_DIR = 'journals';
export const TASK_LOG_DIR = 'task-log';

export const manifestSchema = z.object({
  format: z.literal(BUNDLE_FORMAT),
  formatVersion: z.literal(BUNDLE_FORMAT_VERSION),
  taskdVersion: z.string(),
  createdAt: z.string(),
  /** The node of the data directory, from its config or its journals; null when neither says. */
  node: z.string().nullable(),
  journals: z.array(z.string()),
  /** Bundle-relative path of the redacted config, or null. */
  config: z.string().nullable(),
  /** Bundle-relative path of the file task log, or null. */
  taskLog: z.string().nullable(),
  /** Why something expected is missing (e.g. a config that could not be parsed, so not shipped). */
  notes: z.array(z.string()),
});

export type BundleManifest = z.infer<typeof manifestSchema>;
