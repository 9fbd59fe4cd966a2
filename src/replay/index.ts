/**
 * `taskd replay` and `taskd bundle`: post-mortems from node journals, bundles and the task log,
 * folded with the domain's own `evolve` (DESIGN §7).
 */
export { type BundleOptions, type BundleResult, runBundle } from './bundle/write-bundle.ts';
export { bundleCommand, replayCommand } from './commands.ts';
export { DEFAULT_DETECTOR_SETTINGS, type DetectorSettings } from './detectors/detector.ts';
export { isReplayInputError, ReplayInputError } from './replay-input-error.ts';
export type { ReplayFormat, ReplayIo, ReplayOptions } from './replay-options.ts';
export * from './report/report-schema.ts';
export { ReplayExit, runReplay } from './run-replay.ts';
