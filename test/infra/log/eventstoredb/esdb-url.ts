/**
 * Reading TASKD_ESDB_URL for the contract run: can its connection go through the interrupting proxy?
 * Only a single node over plain TCP can: gossip discovery (esdb+discover://, several hosts) would hand
 * the client the nodes' own addresses, and TLS would check the certificate against the proxy's address.
 */

export interface ProxyableEsdbUrl {
  /** The server the proxy forwards to. */
  readonly target: { readonly host: string; readonly port: number };
  /** The same connection string, aimed at a proxy listening on 127.0.0.1:`port`. */
  readonly through: (port: number) => string;
}

const DEFAULT_PORT = 2113;

/** How to route `connectionString` through a proxy, or undefined when it cannot be. */
export function proxyableEsdbUrl(connectionString: string): ProxyableEsdbUrl | undefined {
  let url: URL;
  try {
    url = new URL(connectionString);
  } catch {
    return undefined; // several hosts, or not a URL: let the client report it
  }
  const tls = [...url.searchParams].find(([key]) => key.toLowerCase() === 'tls')?.[1];
  if (url.protocol !== 'esdb:' || tls?.toLowerCase() !== 'false') return undefined;
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = url.port === '' ? DEFAULT_PORT : Number(url.port);
  return {
    target: { host, port },
    through: (proxyPort) => {
      const proxied = new URL(connectionString);
      proxied.hostname = '127.0.0.1';
      proxied.port = String(proxyPort);
      return proxied.toString();
    },
  };
}
