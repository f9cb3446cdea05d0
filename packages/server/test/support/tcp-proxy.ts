import { createServer, type Server, type Socket, connect } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A TCP proxy on a loopback port in front of a real server (PostgreSQL), for fault tests: `cut()` drops
 * every open connection (both ends reset) and stops listening, so new connections are refused, as when
 * the database restarts or the network fails; `restore()` listens again on the same port.
 */
export interface TcpProxy {
  /** `127.0.0.1:<port>` */
  host: string;
  port: number;
  /** Connections made through the proxy so far. */
  connections(): number;
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export const startTcpProxy = async (target: { host: string; port: number }): Promise<TcpProxy> => {
  const open = new Set<Socket>();
  let made = 0;
  const server: Server = createServer((client) => {
    made += 1;
    const upstream = connect(target.port, target.host);
    open.add(client).add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  await listen(0);
  const { port } = server.address() as AddressInfo;
  const stop = async () => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of open) socket.resetAndDestroy();
    open.clear();
    await closed;
  };
  return {
    host: '127.0.0.1',
    port,
    connections: () => made,
    cut: async () => {
      if (server.listening) await stop();
    },
    restore: () => listen(port),
    close: stop,
  };
};
