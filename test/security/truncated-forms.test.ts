import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newSecretToken } from '../../server/secrets';
import { startLiveServer, type LiveServer } from '../helpers/live-server';

/** Sends raw HTTP bytes and returns what came back before the server or the client closed. */
async function rawExchange(url: string, request: string, { hangUp }: { hangUp: boolean }): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => {
      socket.write(request);
      if (hangUp) socket.destroy();
    });
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
    socket.setTimeout(5000, () => socket.destroy());
  });
}

describe('form bodies that never fully arrive', () => {
  let server: LiveServer;

  beforeAll(async () => {
    server = await startLiveServer('sqlite');
  });

  afterAll(async () => {
    await server?.close();
  });

  it('are a client problem, not a server error, whether the client hangs up or not', async () => {
    const path = `/s/${newSecretToken().token}`;
    const head = (length: number) =>
      `POST ${path} HTTP/1.1\r\nHost: ${new URL(server.url).host}\r\nOrigin: ${server.url}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${length}\r\n\r\n`;

    // Promises 1,000 bytes, sends 14, hangs up.
    await rawExchange(server.url, `${head(1000)}intent=submit&`, { hangUp: true });
    // A complete small form on a fresh connection still gets a real answer (no CSRF token: 403).
    const complete = await rawExchange(server.url, `${head(13)}intent=submit`.replace('\r\n\r\n', '\r\nConnection: close\r\n\r\n'), { hangUp: false });
    expect(complete).toMatch(/^HTTP\/1\.1 403 /);

    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(server.context.logger.errors).toEqual([]);
  });
});
