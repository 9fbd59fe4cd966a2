import type { Client } from 'node-zookeeper-client';

/** Creates a persistent znode holding `data` (promisified node-zookeeper-client call). */
export function createNode(client: Client, path: string, data: string): Promise<string> {
  return new Promise((resolve, reject) =>
    client.create(path, Buffer.from(data), (error, created) => (error ? reject(error) : resolve(created))),
  );
}

/** Reads a znode's data as text. */
export function readNode(client: Client, path: string): Promise<string> {
  return new Promise((resolve, reject) =>
    client.getData(path, (error, data) => (error ? reject(error) : resolve(data?.toString('utf8') ?? ''))),
  );
}
