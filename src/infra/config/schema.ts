/**
 * The one schema for a node's configuration. Every source (YAML file, TASKD_* environment, flags) is
 * merged first and validated here once, so a wrong value is reported with its key before anything starts.
 */
import { z } from 'zod';

const hostPort = z
  .string()
  .regex(/^[A-Za-z0-9.\-_:[\]]+:\d{1,5}$/, 'must be host:port')
  .refine((v) => {
    const port = Number(v.slice(v.lastIndexOf(':') + 1));
    return port > 0 && port < 65536;
  }, 'port must be 1-65535');

const name = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/,
    'must be 1-63 letters, digits, ".", "_" or "-", starting with a letter or digit',
  );

const ms = (min: number, max: number) => z.number().int().min(min).max(max);

export const zooKeeperSchema = z
  .object({
    hosts: z.array(hostPort).min(1, 'needs at least one host:port'),
    auth: z
      .object({ user: z.string().min(1), password: z.string().min(1) })
      .strict()
      .optional(),
    sessionTimeoutMs: ms(400, 120_000).default(6_000),
    /** Fraction of the negotiated session timeout after which a disconnected node treats its session as lost. */
    suspicionFraction: z.number().gt(0).lt(1).default(0.6),
    requestTimeoutMs: ms(100, 60_000).default(3_000),
  })
  .strict();

export const taskLogSchema = z
  .object({
    backend: z.enum(['zookeeper', 'eventstoredb', 'file']).default('zookeeper'),
    esdbUrl: z
      .string()
      .startsWith('esdb', 'must be an esdb:// or esdb+discover:// connection string')
      .optional(),
    fsync: z.union([z.literal('always'), ms(1, 60_000)]).default('always'),
  })
  .strict()
  .refine((v) => v.backend !== 'eventstoredb' || v.esdbUrl !== undefined, {
    message: 'backend "eventstoredb" needs esdbUrl',
    path: ['esdbUrl'],
  });

export const runnerSchema = z
  .object({
    capacity: z.number().int().min(1).max(10_000).default(4),
    /**
     * Assignments this node takes beyond its capacity, queued and started as slots free (never a task
     * with a timeout). 0: a task is assigned only to a free slot. Raise it for many short tasks.
     */
    prefetch: z.number().int().min(0).max(10_000).default(0),
    /** Commands `exec` may run (argv[0] as written in the task must be on this list). Empty: exec is off. */
    execAllow: z.array(z.string().min(1)).default([]),
    execOutputLimitBytes: z
      .number()
      .int()
      .min(0)
      .max(64 * 1024 * 1024)
      .default(64 * 1024),
    /** Handler modules: paths to ES modules exporting `default { type, run }`. */
    handlerModules: z.array(z.string().min(1)).default([]),
  })
  .strict();

export const vipSchema = z
  .object({
    address: z.string().min(1),
    prefix: z.number().int().min(0).max(128).default(24),
    iface: z.string().min(1),
    arpCount: z.number().int().min(0).max(20).default(3),
    /** arping takes whole seconds: values below 1000 are rounded up. */
    arpIntervalMs: ms(1_000, 10_000).default(1_000),
  })
  .strict();

export const healthSchema = z
  .object({
    peers: z.array(hostPort).default([]),
    intervalMs: ms(50, 60_000).default(1_000),
    probeTimeoutMs: ms(10, 60_000).default(500),
    command: z.array(z.string().min(1)).min(1).optional(),
    commandTimeoutMs: ms(10, 600_000).default(2_000),
    rise: z.number().int().min(1).max(100).default(2),
    fall: z.number().int().min(1).max(100).default(3),
    resignCooldownMs: ms(0, 3_600_000).default(30_000),
  })
  .strict();

export const restartSchema = z
  .object({
    initialBackoffMs: ms(0, 600_000).default(500),
    maxBackoffMs: ms(0, 3_600_000).default(30_000),
    multiplier: z.number().min(1).max(10).default(2),
    /** Restarts allowed within windowMs before the node gives up (in-process) or exits 75 for systemd. */
    budget: z.number().int().min(1).max(1_000).default(5),
    windowMs: ms(1_000, 86_400_000).default(600_000),
    exitOnSessionLoss: z.boolean().default(false),
  })
  .strict();

export const apiSchema = z
  .object({
    listen: hostPort.default('127.0.0.1:7070'),
    token: z.string().min(16, 'must be at least 16 characters').optional(),
    bodyLimitBytes: z
      .number()
      .int()
      .min(1_024)
      .max(64 * 1024 * 1024)
      .default(1024 * 1024),
    batchLimit: z.number().int().min(1).max(10_000).default(1_000),
  })
  .strict();

export const configSchema = z
  .object({
    nodeId: name,
    cluster: name.default('taskd'),
    priority: z.number().int().min(0).max(1_000).default(100),
    dataDir: z.string().min(1).default('/var/lib/taskd'),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
    /** How often state hashes are journaled for replay to check (StateCheckpoint). */
    checkpointIntervalMs: z.number().int().min(100).max(3_600_000).default(10_000),
    zookeeper: zooKeeperSchema,
    taskLog: taskLogSchema.prefault({}),
    runner: runnerSchema.prefault({}),
    vip: vipSchema.optional(),
    health: healthSchema.prefault({}),
    restart: restartSchema.prefault({}),
    api: apiSchema.prefault({}),
  })
  .strict();

/** A node's validated configuration. */
export type Config = z.infer<typeof configSchema>;
