/**
 * A client connection over a raw socket, for tests that must see every byte the server sends on
 * one connection (keep-alive, `Connection: close`, requests that get no answer).
 */
import { connect, type Socket } from 'node:net';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** One client connection: writes requests as given, parses every answer (Content-Length bodies). */
export class RawConnection {
  readonly responses: RawResponse[] = [];
  readonly closed: Promise<void>;
  private buffer = Buffer.alloc(0);
  private waiting: (() => void)[] = [];
  private ended = false;
  constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.parse();
    });
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) =>
      socket.once('close', () => {
        this.ended = true;
        this.wake();
        resolve();
      }),
    );
  }
  static open(port: number): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => resolve(new RawConnection(socket)));
      socket.once('error', reject);
    });
  }
  get(path: string): void {
    this.socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
  }
  /** Raw bytes: a request in parts, to hold it in progress (headers sent, body not yet complete). */
  write(text: string): void {
    this.socket.write(text);
  }
  /** Sends one request and resolves with its answer, or with undefined when the connection closes first. */
  async send(text: string): Promise<RawResponse | undefined> {
    const before = this.responses.length;
    if (this.ended) return undefined;
    this.socket.write(text);
    while (this.responses.length === before && !this.ended) await new Promise<void>((resolve) => this.waiting.push(resolve));
    return this.responses[before];
  }
  destroy(): void {
    this.socket.destroy();
  }
  private parse(): void {
    for (;;) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const [statusLine, ...lines] = this.buffer.subarray(0, end).toString('latin1').split('\r\n');
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      const length = Number(headers['content-length'] ?? 0);
      if (this.buffer.length < end + 4 + length) return;
      this.responses.push({ status: Number(statusLine!.split(' ')[1]), headers, body: this.buffer.subarray(end + 4, end + 4 + length).toString('utf8') });
      this.buffer = this.buffer.subarray(end + 4 + length);
      this.wake();
    }
  }
  private wake(): void {
    for (const resolve of this.waiting.splice(0)) resolve();
  }
}
