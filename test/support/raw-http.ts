/**
 * HTTP/1.1 over a bare socket, for what `fetch` will not send: an invalid `Host`, a lying
 * `Content-Length`, a request target that is not a path, a body that never ends.
 */
import { connect, type Socket } from 'node:net';

/** The status codes of every response in `text` (several when a connection carried several). */
export function statuses(text: string): number[] {
  return [...text.matchAll(/^HTTP\/1\.1 (\d{3})/gm)].map((match) => Number(match[1]));
}

/** A request of `method` for `target` with these headers and no body, closing the connection after the answer. */
export function rawRequest(method: string, target: string, headers: Record<string, string>): string {
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
  const length = method === 'POST' ? ['content-length: 0'] : [];
  return `${method} ${target} HTTP/1.1\r\n${[...lines, ...length, 'connection: close'].join('\r\n')}\r\n\r\n`;
}

function open(origin: string): Socket {
  const { hostname, port } = new URL(origin);
  return connect(Number(port), hostname === 'localhost' ? '127.0.0.1' : hostname);
}

/** Writes `request` (a string as Latin-1, byte for byte) and returns all the server sent until it closed the connection. */
export function rawExchange(origin: string, request: string | Uint8Array, options: { end?: boolean } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = open(origin);
    let received = '';
    socket.setTimeout(15_000, () => socket.destroy(new Error('no answer from the server')));
    socket.on('data', (data) => (received += data.toString('latin1')));
    socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? resolve(received) : reject(error)));
    socket.on('close', () => resolve(received));
    socket.write(typeof request === 'string' ? Buffer.from(request, 'latin1') : request);
    if (options.end) socket.end();
  });
}

/**
 * Sends `head` and then a chunked body of up to `limit` bytes, as fast as the server takes it,
 * until the server answers or closes. Returns the answer and how many body bytes were sent:
 * far fewer than `limit` when the server stopped receiving.
 */
export function streamUntilAnswered(origin: string, head: string, limit: number): Promise<{ received: string; sent: number }> {
  return new Promise((resolve, reject) => {
    const socket = open(origin);
    const chunk = Buffer.from(`4000\r\n${'a'.repeat(0x4000)}\r\n`, 'latin1');
    let received = '';
    let sent = 0;
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      socket.destroy();
      resolve({ received, sent });
    };
    socket.setTimeout(15_000, () => {
      finished = true;
      socket.destroy();
      reject(new Error('no answer from the server'));
    });
    socket.on('data', (data) => {
      received += data.toString('latin1');
      if (/\r\n\r\n/.test(received)) finish();
    });
    socket.on('error', finish);
    socket.on('close', finish);
    const pump = () => {
      while (!finished && sent < limit) {
        sent += 0x4000;
        if (!socket.write(chunk)) return void socket.once('drain', pump);
      }
    };
    socket.write(head);
    pump();
  });
}
