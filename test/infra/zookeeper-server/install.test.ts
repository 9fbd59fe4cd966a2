import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findZooKeeperInstall } from '../../../src/infra/zookeeper-server/index.ts';

const scratch = mkdtempSync(join(tmpdir(), 'taskd-zk-install-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function touch(path: string): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, '');
  return path;
}

describe('finding the ZooKeeper install', () => {
  const java = touch(join(scratch, 'jdk/bin/java'));
  const env = { JAVA_HOME: join(scratch, 'jdk'), PATH: '' };

  it('puts every jar of a release tarball (ZOOKEEPER_HOME/lib) on the classpath', () => {
    const home = join(scratch, 'apache-zookeeper');
    const server = touch(join(home, 'lib/zookeeper-3.9.2.jar'));
    const logback = touch(join(home, 'lib/logback-classic-1.2.13.jar'));
    const install = findZooKeeperInstall({ ...env, ZOOKEEPER_HOME: home });
    expect(install).toEqual({ java, jar: server, classpath: expect.arrayContaining([server, logback]) });
  });

  it('prefers ZOOKEEPER_JAR over ZOOKEEPER_HOME', () => {
    const jar = touch(join(scratch, 'custom/zookeeper.jar'));
    const install = findZooKeeperInstall({
      ...env,
      ZOOKEEPER_JAR: jar,
      ZOOKEEPER_HOME: join(scratch, 'apache-zookeeper'),
    });
    expect(install.jar).toBe(jar);
    expect(install.classpath[0]).toBe(jar);
  });

  it('finds the Debian package when nothing is named', () => {
    expect(findZooKeeperInstall({ PATH: process.env.PATH }).jar).toBe('/usr/share/java/zookeeper.jar');
  });
});
