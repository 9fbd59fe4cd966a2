/**
 * A throwaway local ZooKeeper for trying taskd by hand: `npx tsx scripts/zk-up.mts [1|3]` starts a
 * standalone server (or an ensemble of 3) on free loopback ports in a temporary folder, prints the
 * connect string, and removes everything on Ctrl-C or SIGTERM.
 */
import { startZooKeeper } from '../src/infra/zookeeper-server/index.ts';

const servers = process.argv[2] === '3' ? 3 : 1;
const zk = await startZooKeeper({ servers });
console.log(zk.connectString);
const stop = async () => {
  await zk.destroy();
  process.exit(0);
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
setInterval(() => undefined, 60_000);
