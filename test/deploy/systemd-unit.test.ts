/**
 * deploy/taskd.service and deploy/taskd.yaml.example agree with the code: the exit codes, the
 * teardown's hard deadline, the data directory, and a configuration that loads.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/cli/exit-codes.ts';
import { loadConfig } from '../../src/infra/config/load.ts';
import { DEFAULT_STEP_TIMEOUT_MS } from '../../src/streams/task-server.ts';

const UNIT_PATH = new URL('../../deploy/taskd.service', import.meta.url);
const EXAMPLE_PATH = new URL('../../deploy/taskd.yaml.example', import.meta.url);

type Unit = Map<string, Map<string, string[]>>;

/** Sections of key=value lines; a key given twice keeps both values, comments and blanks are skipped. */
function parseUnit(text: string): Unit {
  const unit: Unit = new Map();
  let section: Map<string, string[]> | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header?.[1] !== undefined) {
      section = new Map();
      unit.set(header[1], section);
      continue;
    }
    const at = line.indexOf('=');
    if (section === undefined || at < 1) throw new Error(`not a unit line: ${raw}`);
    const key = line.slice(0, at).trim();
    section.set(key, [...(section.get(key) ?? []), line.slice(at + 1).trim()]);
  }
  return unit;
}

const text = readFileSync(UNIT_PATH, 'utf8');
const unit = parseUnit(text);

/** Every value of `key` in `section`, split on whitespace (systemd's list syntax). */
function values(section: string, key: string): string[] {
  return (unit.get(section)?.get(key) ?? []).flatMap((v) => v.split(/\s+/)).filter(Boolean);
}

function single(section: string, key: string): string | undefined {
  const all = unit.get(section)?.get(key);
  return all?.[all.length - 1];
}

/** systemd time spans as used here: "70", "70s", "1min 10s". */
function seconds(span: string): number {
  const units: Record<string, number> = { '': 1, s: 1, sec: 1, min: 60, m: 60, h: 3600 };
  return span.split(/\s+/).reduce((sum, part) => {
    const match = /^(\d+)([a-z]*)$/.exec(part);
    const factor = match ? units[match[2] ?? ''] : undefined;
    if (match === null || factor === undefined) throw new Error(`unknown time span ${span}`);
    return sum + Number(match[1]) * factor;
  }, 0);
}

/** The TaskServer's hard deadline for a teardown: five step bounds plus a 5 s margin (task-server.ts). */
const hardDeadlineSeconds = (5 * DEFAULT_STEP_TIMEOUT_MS + 5_000) / 1000;

describe('deploy/taskd.service', () => {
  it('never restarts after a configuration error', () => {
    expect(values('Service', 'RestartPreventExitStatus')).toContain(String(ExitCode.CONFIG));
  });

  it('restarts after every other failure exit', () => {
    expect(single('Service', 'Restart')).toBe('on-failure');
    const prevented = values('Service', 'RestartPreventExitStatus');
    const success = values('Service', 'SuccessExitStatus');
    for (const code of [
      ExitCode.FATAL,
      ExitCode.TEARDOWN_DEADLINE,
      ExitCode.SESSION_LOST,
      ExitCode.RESTART_BUDGET_EXHAUSTED,
    ]) {
      expect(prevented).not.toContain(String(code));
      expect(success).not.toContain(String(code));
    }
  });

  it('waits longer for a stop than taskd’s own teardown deadline', () => {
    expect(single('Service', 'KillSignal')).toBe('SIGTERM');
    const timeout = single('Service', 'TimeoutStopSec');
    expect(timeout).toBeDefined();
    expect(seconds(timeout as string)).toBeGreaterThan(hardDeadlineSeconds);
  });

  it('leaves the restart budget to taskd: systemd never stops restarting', () => {
    expect(single('Unit', 'StartLimitIntervalSec')).toBe('0');
  });

  it('explains every exit code of taskd in its comments', () => {
    for (const [name, code] of Object.entries(ExitCode)) {
      expect(text).toMatch(new RegExp(`^#\\s+${code}\\s+${name}\\s`, 'm'));
    }
  });

  it('runs taskd with the example configuration’s path and data directory', () => {
    expect(single('Service', 'ExecStart')).toMatch(/ taskd start --config \/etc\/taskd\/taskd\.yaml$/);
    expect(single('Service', 'StateDirectory')).toBe('taskd');
    expect(single('Service', 'StateDirectoryMode')).toBe('0700');
    expect(values('Service', 'ReadWritePaths')).toContain('/var/lib/taskd');
  });
});

describe('deploy/taskd.yaml.example', () => {
  it('is a valid configuration whose data directory is the unit’s state directory', () => {
    const config = loadConfig({ file: EXAMPLE_PATH.pathname, env: {} });
    expect(config.nodeId).toBe('node-1');
    expect(config.dataDir).toBe(`/var/lib/${single('Service', 'StateDirectory')}`);
    expect(config.taskLog.backend).toBe('zookeeper');
  });

  it('stays valid with its commented-out vip section enabled', () => {
    const dir = mkdtempSync(join(tmpdir(), 'taskd-example-'));
    try {
      const file = join(dir, 'taskd.yaml');
      writeFileSync(file, uncommentSection(readFileSync(EXAMPLE_PATH, 'utf8'), 'vip'));
      const config = loadConfig({ file, env: {} });
      expect(config.vip?.address).toBeDefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** `# key:` and the `#   ...` lines under it, without their comment marks. */
function uncommentSection(yaml: string, key: string): string {
  let inside = false;
  return yaml
    .split('\n')
    .map((line) => {
      if (line === `# ${key}:`) inside = true;
      else if (!line.startsWith('#   ')) inside = false;
      return inside ? line.slice(2) : line;
    })
    .join('\n');
}
