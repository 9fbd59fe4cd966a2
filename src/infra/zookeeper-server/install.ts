import { existsSync, readdirSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { ErrorCodes, TaskdError } from '../../errors.ts';

/** Where a ZooKeeper server can be run from: the java binary and the classpath to hand it. */
export interface ZooKeeperInstall {
  readonly java: string;
  readonly jar: string;
  readonly classpath: readonly string[];
}

const DEBIAN_JAR = '/usr/share/java/zookeeper.jar';
const INSTALL_HINT = 'run `bash scripts/ensure-zookeeper` (installs Debian zookeeper) or set ZOOKEEPER_HOME';

/**
 * Finds ZooKeeper and Java the way scripts/ensure-zookeeper does (ZOOKEEPER_JAR, then ZOOKEEPER_HOME,
 * then Debian's jar), without installing anything.
 */
export function findZooKeeperInstall(env: NodeJS.ProcessEnv = process.env): ZooKeeperInstall {
  const java = findJava(env);
  const fromHome = env.ZOOKEEPER_HOME ? findInHome(env.ZOOKEEPER_HOME) : undefined;
  if (env.ZOOKEEPER_JAR && existsSync(env.ZOOKEEPER_JAR)) {
    return { java, jar: env.ZOOKEEPER_JAR, classpath: withLogBinding([env.ZOOKEEPER_JAR]) };
  }
  if (fromHome) return { java, ...fromHome };
  if (existsSync(DEBIAN_JAR)) return { java, jar: DEBIAN_JAR, classpath: withLogBinding([DEBIAN_JAR]) };
  throw new TaskdError(ErrorCodes.CONFIG_INVALID, `ZooKeeper is not installed: ${INSTALL_HINT}`, {
    ZOOKEEPER_HOME: env.ZOOKEEPER_HOME,
    ZOOKEEPER_JAR: env.ZOOKEEPER_JAR,
  });
}

function findJava(env: NodeJS.ProcessEnv): string {
  const candidates = [
    ...(env.JAVA_HOME ? [join(env.JAVA_HOME, 'bin', 'java')] : []),
    ...(env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'java')),
    '/usr/bin/java',
  ];
  const java = candidates.find((path) => path !== 'java' && existsSync(path));
  if (!java) throw new TaskdError(ErrorCodes.CONFIG_INVALID, `no java runtime found: ${INSTALL_HINT}`);
  return java;
}

/** A release tarball: every jar of lib/ goes on the classpath (it ships its own logback binding). */
function findInHome(home: string): Omit<ZooKeeperInstall, 'java'> | undefined {
  for (const folder of [join(home, 'lib'), home]) {
    const jars = existsSync(folder) ? readdirSync(folder).filter((name) => name.endsWith('.jar')) : [];
    const server = jars.find((name) => /^zookeeper-\d.*\.jar$/.test(name));
    if (server) return { jar: join(folder, server), classpath: jars.map((name) => join(folder, name)) };
  }
  return undefined;
}

/**
 * Debian's jar pulls its dependencies through its manifest but no slf4j binding, so the server would
 * log nothing; slf4j-simple writes to stderr, which the launcher sends to the server's own log file.
 */
function withLogBinding(jars: readonly string[]): string[] {
  const folders = [...new Set([...jars.map((jar) => dirname(jar)), '/usr/share/java'])];
  const binding = folders.map((folder) => join(folder, 'slf4j-simple.jar')).find((path) => existsSync(path));
  return binding ? [...jars, binding] : [...jars];
}
