#!/usr/bin/env node
// Runs the compiled CLI when `npm run build` made one, else the TypeScript source through tsx.
// TASKD_FROM_SOURCE=1 forces the source (the test suite sets it, so a stale dist/ is never tested).
import { existsSync } from 'node:fs';

const compiled = new URL('../dist/cli/taskd-main.js', import.meta.url);
if (existsSync(compiled) && process.env.TASKD_FROM_SOURCE !== '1') {
  await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('../src/cli/taskd-main.ts', import.meta.url).href);
}
