/**
 * An HTTP/2 proxy on loopback in front of the real API server, for tests of how a client survives
 * what a network and a server can do to it: it terminates TLS with the API server's own serving
 * certificate (valid for 127.0.0.1, signed by the CA every kubeconfig of the run trusts), forwards
 * each stream as it is (the client's own token authenticates it upstream, so RBAC is unchanged), and
 * on the test's word cuts every client connection or writes a line of its own into open watches.
 */
import * as fs from 'node:fs';
import * as http2 from 'node:http2';
import * as net from 'node:net';
import * as path from 'node:path';
import { ClusterConnection } from './connection';

/** Headers that belong to one hop of HTTP/2, not to the request. */
const HOP_HEADERS = new Set([':authority', ':scheme', ':status', 'connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection']);

/** A watch stream passing through: its path and how to write into its answer. */
interface OpenWatch {
  readonly path: string;
  /** Writes `line` at the next line boundary of the answer. */
  inject(line: string): void;
}

export class FaultProxy {
  /** Starts a proxy in front of the control plane of `connection` on a free loopback port. */
  public static async start(connection: ClusterConnection): Promise<FaultProxy> {
    const pki = path.join(connection.runDir, 'pki');
    const server = http2.createSecureServer({
      cert: fs.readFileSync(path.join(pki, 'apiserver.crt')),
      key: fs.readFileSync(path.join(pki, 'apiserver.key')),
    });
    const proxy = new FaultProxy(server, connection);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  private readonly sessions = new Set<http2.ServerHttp2Session>();
  private readonly watches = new Set<OpenWatch>();
  private upstream?: http2.ClientHttp2Session;
  private sessionsSeen = 0;
  private readonly watchPaths: string[] = [];

  private constructor(private readonly server: http2.Http2SecureServer, private readonly connection: ClusterConnection) {
    server.on('session', (session) => {
      this.sessionsSeen++;
      this.sessions.add(session);
      session.on('close', () => this.sessions.delete(session));
      session.on('error', () => undefined);
    });
    server.on('stream', (stream, headers) => this.forward(stream as http2.ServerHttp2Stream, headers));
  }

  /** The proxy's URL, for a kubeconfig. */
  public get url(): string {
    return `https://127.0.0.1:${(this.server.address() as net.AddressInfo).port}`;
  }

  /** How many client connections were ever accepted. */
  public get connectionsAccepted(): number {
    return this.sessionsSeen;
  }

  /** The paths of the watches open now. */
  public openWatches(): string[] {
    return [...this.watches].map((w) => w.path);
  }

  /** How many watches on a path with `pathPart` were ever opened. */
  public watchesOpened(pathPart: string): number {
    return this.watchPaths.filter((p) => p.includes(pathPart)).length;
  }

  /** Writes `line` (and a newline) into every open watch whose path includes `pathPart`; returns how many. */
  public inject(pathPart: string, line: string): number {
    const targets = [...this.watches].filter((w) => w.path.includes(pathPart));
    for (const watch of targets) watch.inject(line);
    return targets.length;
  }

  /** Destroys every client connection at once, as a dropped network path does. */
  public cutClientConnections(): number {
    const count = this.sessions.size;
    for (const session of this.sessions) session.destroy();
    return count;
  }

  public async close(): Promise<void> {
    this.cutClientConnections();
    this.upstream?.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private upstreamSession(): http2.ClientHttp2Session {
    if (!this.upstream || this.upstream.closed || this.upstream.destroyed) {
      this.upstream = http2.connect(this.connection.server, { ca: fs.readFileSync(this.connection.caFile) });
      this.upstream.on('error', () => undefined);
    }
    return this.upstream;
  }

  private forward(stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders): void {
    stream.on('error', () => undefined);
    const requestPath = String(headers[':path'] ?? '/');
    const forwarded: http2.OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(headers)) if (!HOP_HEADERS.has(name)) forwarded[name] = value;
    let up: http2.ClientHttp2Stream;
    try {
      up = this.upstreamSession().request(forwarded);
    } catch {
      stream.destroy();
      return;
    }
    up.on('error', () => stream.destroy());
    stream.on('close', () => up.destroy());
    stream.pipe(up);
    up.on('response', (answer) => {
      const back: http2.OutgoingHttpHeaders = { ':status': answer[':status'] };
      for (const [name, value] of Object.entries(answer)) if (!HOP_HEADERS.has(name)) back[name] = value;
      if (stream.destroyed) return;
      stream.respond(back);
      const isWatch = /[?&]watch=(1|true)\b/.test(requestPath);
      if (!isWatch) {
        up.pipe(stream);
        return;
      }
      let atLineStart = true;
      const pending: string[] = [];
      const watch: OpenWatch = {
        path: requestPath,
        inject: (line) => {
          if (atLineStart) stream.write(`${line}\n`);
          else pending.push(line);
        },
      };
      this.watches.add(watch);
      this.watchPaths.push(requestPath);
      stream.on('close', () => this.watches.delete(watch));
      up.on('data', (chunk: Buffer) => {
        stream.write(chunk);
        atLineStart = chunk[chunk.length - 1] === 0x0a;
        if (atLineStart) for (const line of pending.splice(0)) stream.write(`${line}\n`);
      });
      up.on('end', () => stream.end());
    });
  }
}
