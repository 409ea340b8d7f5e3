/**
 * A small pool of HTTP/2 sessions to the API server, as client-go keeps one: every request and every
 * watch is a stream on a shared connection, so a thousand open watches do not keep a thousand
 * sockets, and a create never waits behind them for a socket. The API server caps the streams of
 * one connection (`SETTINGS_MAX_CONCURRENT_STREAMS`, kube-apiserver's
 * `--http2-max-streams-per-connection`; 100 from v1.37.2 as the e2e tests start it): a full session
 * is left alone and another one opened. Each session is pinged, so a connection that died without a
 * word (a lost node, a silent middlebox) is closed within seconds and its streams fail, instead of
 * waiting for TCP to give up.
 */
import * as http2 from 'node:http2';
import { Logger, SILENT } from './log';

/**
 * How often a session is pinged. client-go pings a connection after 30 s without a frame and
 * gives it 15 s; pinging every 10 s regardless costs a few bytes and notices a dead connection
 * sooner, which is what an idle watch needs.
 */
export const PING_INTERVAL_MS = 10_000;
/** How long a ping may go unanswered before the session is taken for dead. */
export const PING_TIMEOUT_MS = 5_000;
/** How long a connection (TCP, TLS and the server's SETTINGS) may take. */
export const CONNECT_TIMEOUT_MS = 10_000;

/** How a pool opens and checks its sessions. */
export interface SessionPoolOptions {
  /** Opens a new session to the API server (TLS and ALPN `h2` in production, anything in tests). */
  readonly connect: () => http2.ClientHttp2Session;
  /** @default PING_INTERVAL_MS */
  readonly pingIntervalMs?: number;
  /** @default PING_TIMEOUT_MS */
  readonly pingTimeoutMs?: number;
  /** @default CONNECT_TIMEOUT_MS */
  readonly connectTimeoutMs?: number;
  /** Where closed and failed sessions are told. @default - nowhere */
  readonly log?: Logger;
}

/** A stream slot taken on a session: `release()` gives it back once the stream is closed. */
export interface StreamSlot {
  readonly session: http2.ClientHttp2Session;
  release(): void;
}

interface PooledSession {
  readonly session: http2.ClientHttp2Session;
  /** Streams open or being opened on it. */
  active: number;
  /** False once it is going away (GOAWAY, closing, dead): it takes no new stream. */
  open: boolean;
  /** Pings it now, unless a ping is on its way. */
  readonly pingNow: () => void;
  readonly stopPings: () => void;
}

/** HTTP/2 sessions shared by every request of a client; see the file's comment. */
export class SessionPool {
  private sessions: PooledSession[] = [];
  private connecting?: Promise<void>;
  private closed = false;

  constructor(private readonly options: SessionPoolOptions) {}

  /** How many sessions are open (metrics and tests). */
  public get size(): number {
    return this.sessions.filter((s) => s.open && !s.session.destroyed).length;
  }

  /** A slot for one stream on a session with room for it, opening a session when every one is full. */
  public async acquire(): Promise<StreamSlot> {
    for (;;) {
      if (this.closed) throw new Error('the API client is closed');
      const pooled = this.sessions.find((s) => s.open && !s.session.destroyed && s.active < capacityOf(s.session));
      if (pooled) {
        // Like the free sockets of a keep-alive agent, a connection with nothing in flight does not
        // keep the process alive on its own.
        if (pooled.active++ === 0) pooled.session.ref();
        let released = false;
        return {
          session: pooled.session,
          release: () => {
            if (released) return;
            released = true;
            if (--pooled.active === 0 && !pooled.session.destroyed) pooled.session.unref();
          },
        };
      }
      // One connection at a time: callers that find every session full wait for the same new one.
      this.connecting ??= this.openSession().finally(() => { this.connecting = undefined; });
      await this.connecting;
    }
  }

  /**
   * Checks `session` at once with a ping (a request on it timed out): a dead connection is closed
   * within the ping timeout, not at the next regular ping.
   */
  public probe(session: http2.ClientHttp2Session): void {
    this.sessions.find((s) => s.session === session)?.pingNow();
  }

  /**
   * Lets the open sessions finish their streams but gives them no new one (new credentials: the
   * next stream opens a session with them).
   */
  public drain(): void {
    for (const pooled of this.sessions) this.retire(pooled);
  }

  /** Closes every session at once; streams still open fail. */
  public close(): void {
    this.closed = true;
    for (const pooled of this.sessions) {
      pooled.open = false;
      pooled.stopPings();
      pooled.session.destroy();
    }
    this.sessions = [];
  }

  private openSession(): Promise<void> {
    const connectTimeoutMs = this.options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS;
    return new Promise<void>((resolve, reject) => {
      let session: http2.ClientHttp2Session;
      try {
        session = this.options.connect();
      } catch (error) {
        reject(error);
        return;
      }
      const fail = (error: Error) => {
        clearTimeout(timer);
        session.destroy();
        reject(error);
      };
      const timer = setTimeout(() => fail(new Error(`no HTTP/2 connection to the API server within ${connectTimeoutMs} ms`)), connectTimeoutMs);
      const closedEarly = () => fail(new Error('the API server closed the connection before its HTTP/2 settings'));
      session.once('error', fail);
      session.once('close', closedEarly);
      // The server's first SETTINGS frame says how many streams it takes; until then the limit is unknown.
      session.once('remoteSettings', () => {
        clearTimeout(timer);
        session.off('error', fail);
        session.off('close', closedEarly);
        if (this.closed) {
          session.destroy();
          reject(new Error('the API client is closed'));
          return;
        }
        this.adopt(session);
        resolve();
      });
    });
  }

  private adopt(session: http2.ClientHttp2Session): void {
    session.unref();
    const pings = this.pingEvery(session);
    const pooled: PooledSession = { session, active: 0, open: true, pingNow: pings.now, stopPings: pings.stop };
    this.sessions.push(pooled);
    const log = this.options.log ?? SILENT;
    log.info('API server connection opened', { maxConcurrentStreams: capacityOf(session), connections: this.size });
    // The server stops taking streams on this connection (idle, shutting down): open the next one elsewhere.
    session.on('goaway', (code: number) => {
      log.debug('API server connection going away', { code });
      this.retire(pooled);
    });
    session.on('error', (error: Error) => log.warn('API server connection failed', { error: String(error) }));
    session.on('close', () => {
      pooled.open = false;
      pooled.stopPings();
      this.sessions = this.sessions.filter((s) => s !== pooled);
    });
  }

  /** No new streams; the session closes once its streams are done. */
  private retire(pooled: PooledSession): void {
    if (!pooled.open) return;
    pooled.open = false;
    pooled.stopPings();
    if (!pooled.session.closed && !pooled.session.destroyed) pooled.session.close();
  }

  /** Pings `session` now and then; one unanswered ping destroys it, which fails its streams. */
  private pingEvery(session: http2.ClientHttp2Session): { now: () => void; stop: () => void } {
    const intervalMs = this.options.pingIntervalMs ?? PING_INTERVAL_MS;
    const timeoutMs = this.options.pingTimeoutMs ?? PING_TIMEOUT_MS;
    let waiting: NodeJS.Timeout | undefined;
    const ping = () => {
      if (waiting || session.destroyed) return;
      waiting = setTimeout(() => {
        (this.options.log ?? SILENT).warn('API server connection did not answer a ping, closing it', { timeoutMs });
        session.destroy(new Error(`the API server connection did not answer a ping within ${timeoutMs} ms`));
      }, timeoutMs);
      waiting.unref();
      const sent = session.ping((error) => {
        clearTimeout(waiting);
        waiting = undefined;
        if (error && !session.destroyed) session.destroy(error);
      });
      if (!sent) {
        clearTimeout(waiting);
        waiting = undefined;
      }
    };
    const interval = setInterval(ping, intervalMs);
    interval.unref();
    return {
      now: ping,
      stop: () => {
        clearInterval(interval);
        clearTimeout(waiting);
      },
    };
  }
}

/** The streams the server lets this session have open at once. */
function capacityOf(session: http2.ClientHttp2Session): number {
  const max = session.remoteSettings.maxConcurrentStreams;
  return max === undefined || max <= 0 ? 1 : max;
}
