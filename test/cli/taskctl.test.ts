import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { runTaskctl } from '../../src/cli/taskctl/program.ts';
import { ErrorCodes, TaskdError } from '../../src/errors.ts';
import { waitFor } from '../support/wait-for.ts';
import { deadEndpoint, startTaskctlFixture, TOKEN } from './taskctl-fixture.ts';

let fixture: Awaited<ReturnType<typeof startTaskctlFixture>>;
beforeAll(async () => {
  fixture = await startTaskctlFixture();
});
afterAll(() => fixture.close());
beforeEach(() => {
  vi.restoreAllMocks();
});

/** The task most recently submitted through the fake. */
const lastTaskId = () =>
  fixture.service.appended.filter((e) => e.type === 'TaskSubmitted').at(-1)!.data.taskId as string;

describe('taskctl submit', () => {
  it('submits a task and says so, for people', async () => {
    const result = await fixture.run([
      'submit',
      'sleep',
      '--payload',
      '{"ms":5}',
      '--max-attempts',
      '2',
      '--timeout-ms',
      '1000',
    ]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe(`submitted ${lastTaskId()} (sleep, pending)\n`);
    expect(fixture.service.get(lastTaskId())).toMatchObject({
      payload: { ms: 5 },
      maxAttempts: 2,
      timeoutMs: 1000,
    });
  });

  it('prints the API answer as JSON with --json, and says when an idempotency key matched', async () => {
    const first = await fixture.run(['--json', 'submit', 'noop', '--idempotency-key', 'cli-k']);
    expect(JSON.parse(first.stdout)).toMatchObject({ created: true, task: { type: 'noop' } });
    const again = await fixture.run(['submit', 'noop', '--idempotency-key', 'cli-k', '--json']);
    const answer = JSON.parse(again.stdout);
    expect(answer).toMatchObject({ created: false, task: { taskId: JSON.parse(first.stdout).task.taskId } });
    const human = await fixture.run(['submit', 'noop', '--idempotency-key', 'cli-k']);
    expect(human.stdout).toMatch(/was already submitted with idempotency key "cli-k"/);
  });

  it('exits 1 with the field at fault on one stderr line when the server refuses the task', async () => {
    const result = await fixture.run(['submit', 'noop', '--max-attempts', '0']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^taskctl: server answered 400: invalid request: maxAttempts: .+\n$/);
  });

  it('exits 1 naming the token when none is given', async () => {
    const result = await fixture.run(['submit', 'noop'], { env: {} });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^taskctl: server answered 401: .*TASKD_API_TOKEN.*\n$/);
  });

  it('takes the token from --token as well as from the environment', async () => {
    const result = await fixture.run(['--token', TOKEN, 'submit', 'noop'], { env: {} });
    expect(result.code).toBe(0);
  });
});

describe('taskctl get and list', () => {
  it('shows one task field by field, or as JSON', async () => {
    await fixture.run(['submit', 'noop', '--payload', '[1,2]']);
    const id = lastTaskId();
    const text = await fixture.run(['get', id]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`^id: +${id}\\ntype: +noop\\nstatus: +pending\\n`));
    expect(text.stdout).toContain('payload:    [1,2]\n');
    const json = await fixture.run(['get', id, '--json']);
    expect(JSON.parse(json.stdout).task).toEqual(fixture.service.get(id));
  });

  it('exits 1 for an unknown task', async () => {
    const result = await fixture.run(['get', 'no-such-task']);
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toBe('taskctl: server answered 404: no task "no-such-task"\n');
  });

  it('lists tasks in aligned columns, filtered by state and node', async () => {
    await fixture.run(['submit', 'list-me']);
    const id = lastTaskId();
    fixture.service.run(id, 'node-b');
    const result = await fixture.run(['list', '--node', 'node-b', '--state', 'running']);
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID +TYPE +STATUS +ATTEMPT +NODE +SUBMITTED$/);
    expect(lines.slice(1).map((l) => l.split(/ {2,}/).slice(0, 5))).toContainEqual([
      id,
      'list-me',
      'running',
      '1/3',
      'node-b',
    ]);
    // Columns line up: every row puts STATUS where the header does.
    const statusAt = lines[0]!.indexOf('STATUS');
    for (const line of lines.slice(1)) expect(line.slice(statusAt)).toMatch(/^running /);
  });

  it('lists as JSON with --json, and exits 1 naming a bad state', async () => {
    const json = await fixture.run(['--json', 'list', '--limit', '2']);
    expect(JSON.parse(json.stdout).tasks.length).toBeLessThanOrEqual(2);
    const bad = await fixture.run(['list', '--state', 'bogus']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/state: must be one of/);
  });
});

describe('taskctl cancel', () => {
  it('requests a cancellation, then exits 1 once the task has finished', async () => {
    await fixture.run(['submit', 'noop']);
    const id = lastTaskId();
    const requested = await fixture.run(['cancel', id, '--reason', 'changed my mind']);
    expect(requested).toMatchObject({ code: 0, stdout: `cancel requested for ${id} (pending)\n` });
    expect(fixture.service.get(id)?.cancelRequest?.reason).toBe('changed my mind');
    const other = (await fixture.run(['--json', 'submit', 'noop'])).stdout;
    const otherId = JSON.parse(other).task.taskId;
    fixture.service.succeed(otherId);
    const finished = await fixture.run(['cancel', otherId]);
    expect(finished.code).toBe(1);
    expect(finished.stderr).toMatch(/409: task .* already finished \(succeeded\)/);
  });
});

describe('taskctl nodes, drain, undrain', () => {
  it('shows the cluster with a row per member', async () => {
    fixture.service.degraded = ['vip: no such device eth9'];
    const result = await fixture.run(['nodes']);
    fixture.service.degraded = [];
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^node-a sees: leader node-a .*VIP on node-a, session connected\n/);
    expect(result.stdout).toContain('degraded: vip: no such device eth9\n');
    expect(result.stdout).toMatch(/NODE +ADDRESS +HEALTH +DRAINING +RUNNING +ROLE\n/);
    expect(result.stdout).toMatch(/node-a +127\.0\.0\.1:7070 +healthy +no +\d+\/4 +leader,vip\n/);
    const json = await fixture.run(['nodes', '--json']);
    expect(JSON.parse(json.stdout).members.map((m: { node: string }) => m.node)).toEqual([
      'node-a',
      'node-b',
    ]);
  });

  it('drains and undrains a node, and exits 1 for an unknown one', async () => {
    expect((await fixture.run(['drain', 'node-b'])).stdout).toBe(
      'node-b is draining: it takes no new tasks\n',
    );
    expect(fixture.service.members.find((m) => m.node === 'node-b')?.draining).toBe(true);
    expect((await fixture.run(['undrain', 'node-b'])).code).toBe(0);
    expect(fixture.service.members.find((m) => m.node === 'node-b')?.draining).toBe(false);
    expect((await fixture.run(['drain', 'node-z'])).code).toBe(1);
  });
});

describe('taskctl watch', () => {
  it('prints each change of one task and exits 0 when it finishes', async () => {
    await fixture.run(['submit', 'noop']);
    const id = lastTaskId();
    const watch = fixture.start(['watch', id, '--interval-ms', '100']);
    await waitFor(() => watch.stdout().includes(' pending '), { what: 'the first sighting' });
    fixture.service.run(id, 'node-b');
    await waitFor(() => watch.stdout().includes(' running '), { what: 'the running line' });
    fixture.service.succeed(id);
    const result = await watch.done;
    expect(result.code).toBe(0);
    const statuses = result.stdout
      .trimEnd()
      .split('\n')
      .map((line) => line.split(/ {2}/)[2]);
    expect(statuses).toEqual(['pending', 'running', 'succeeded']);
  });

  it('without an id, follows every task until none is unfinished, one JSON line per change with --json', async () => {
    for (const task of fixture.service.list({ limit: 1000 })) {
      if (task.status === 'pending' || task.status === 'running') fixture.service.succeed(task.taskId);
    }
    await fixture.run(['submit', 'noop']);
    const id = lastTaskId();
    const watch = fixture.start(['--json', 'watch', '--interval-ms', '100']);
    await waitFor(() => watch.stdout().includes(`"taskId":"${id}"`), { what: 'the task in the watch' });
    fixture.service.succeed(id);
    const result = await watch.done;
    expect(result.code).toBe(0);
    const ofTask = result.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((t) => t.taskId === id);
    expect(ofTask.map((t) => t.status)).toEqual(['pending', 'succeeded']);
  });

  it('stops with exit 0 on Ctrl-C', async () => {
    await fixture.run(['submit', 'noop']);
    const id = lastTaskId();
    const interrupt = new AbortController();
    const watch = fixture.start(['watch', id, '--interval-ms', '100'], { signal: interrupt.signal });
    await waitFor(() => watch.stdout().includes(' pending '), { what: 'the first sighting' });
    interrupt.abort();
    expect((await watch.done).code).toBe(0);
  });

  it('refuses an interval outside its bounds as a usage error', async () => {
    const result = await fixture.run(['watch', 'x', '--interval-ms', '5']);
    expect(result.code).toBe(2);
  });
});

describe('exit codes', () => {
  it.each([
    [['bogus-command']],
    [['get']],
    [['list', '--limit', 'many']],
    [['submit', 'noop', '--payload', '{not json']],
    [['submit', 'noop', '--unknown-flag']],
    [['get', 'a', 'b']],
    [[]],
  ])('exits 2 for the usage error %j', async (argv) => {
    const result = await fixture.run(argv);
    expect(result.code).toBe(2);
    expect(result.stderr).not.toBe('');
  });

  it('exits 2 for an endpoint that is not a URL', async () => {
    const out: string[] = [];
    const code = await runTaskctl({
      argv: ['--endpoint', 'not a url', 'nodes'],
      stdout: { write: () => true },
      stderr: { write: (s: string) => out.push(s) },
      env: {},
    });
    expect(code).toBe(2);
    expect(out.join('')).toMatch(/^taskctl: --endpoint "not a url" is not a URL/);
  });

  it('exits 0 and prints help for --help', async () => {
    const result = await fixture.run(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: taskctl');
    expect(result.stdout).not.toContain(TOKEN);
  });

  it('exits 3 when nobody listens at the endpoint', async () => {
    const endpoint = await deadEndpoint();
    const err: string[] = [];
    const code = await runTaskctl({
      argv: ['nodes'],
      stdout: { write: () => true },
      stderr: { write: (s: string) => err.push(s) },
      env: { TASKD_ENDPOINT: endpoint },
    });
    expect(code).toBe(3);
    expect(err.join('')).toMatch(new RegExp(`^taskctl: cannot reach ${endpoint}: .*ECONNREFUSED.*\\n$`));
  });

  it('exits 3 naming the body size and limit when the node cuts a request short while it is sent', async () => {
    // What undici's fetch throws when the node has closed the connection on an oversized body.
    const cutShort = Object.assign(new TypeError('fetch failed'), {
      cause: Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }),
    });
    const submitCutShort = async (argv: readonly string[]) => {
      const err: string[] = [];
      const code = await runTaskctl({
        argv: ['submit', 'noop', ...argv],
        stdout: { write: () => true },
        stderr: { write: (s: string) => err.push(s) },
        env: { TASKD_ENDPOINT: fixture.endpoint, TASKD_API_TOKEN: TOKEN },
        fetch: () => Promise.reject(cutShort),
      });
      return { code, stderr: err.join('') };
    };
    const large = await submitCutShort(['--payload', JSON.stringify('x'.repeat(2_000))]);
    expect(large.code).toBe(3);
    expect(large.stderr).toMatch(
      /^taskctl: cannot reach .+: write EPIPE \(the node closed the connection while the \d+-byte request was being sent: a body over its api\.bodyLimitBytes, 1 MiB by default, is refused that way\)\n$/,
    );
    // A body too small to be over any node's limit was cut short for another reason: no such hint.
    const small = await submitCutShort([]);
    expect(small.stderr).toMatch(/^taskctl: cannot reach .+: write EPIPE\n$/);
  });

  it('exits 4 with the retry hint when the task log is unavailable (503)', async () => {
    fixture.service.failNextAppend(new TaskdError(ErrorCodes.LOG_UNAVAILABLE, 'down'));
    const result = await fixture.run(['submit', 'noop']);
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(
      /^taskctl: server answered 503: the task log cannot take writes now \(retry after 1 s\) \(request id .+\)\n$/,
    );
  });

  it('exits 4 with the request id when the server fails (500)', async () => {
    vi.spyOn(fixture.service, 'cluster').mockImplementation(() => {
      throw new Error('bug');
    });
    const result = await fixture.run(['nodes']);
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(
      /^taskctl: server answered 500: internal error \(request id [0-9a-f-]+\)\n$/,
    );
  });
});
