import { startZooKeeper } from '../src/infra/zookeeper-server/index.ts';
const zk = await startZooKeeper({ servers: 1 });
console.log(zk.connectString);
process.on('SIGTERM', async () => { await zk.destroy(); process.exit(0); });
setInterval(() => {}, 1000);
