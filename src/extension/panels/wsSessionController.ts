/**
 * One interactive WebSocket session behind a session panel, without `vscode` (so unit tests drive it
 * against a real server in plain Node): connect, send the block's messages with their pauses, then stay
 * open; stream frames to the webview in batches (FrameLog); send / ping / close on request, checking
 * what the webview asked for; close the session when disposed.
 */
import type { WsExchange, WsFrame, WsState } from '../../core/exchange';
import type { WsRequestSpec } from '../../core/request';
import type { WsSession } from '../../core/sockets/ws';
import { formatBytes } from '../../common/format';
import type { HostToSession, SessionRequest, WsInputFormat, WsSessionInfo, WsSessionMessage } from '../../shared/messages';
import { closeCodeProblem, closeReasonProblem, parseHexInput } from '../../shared/wsInput';
import { FrameLog, type FrameLogOptions } from './wsFrameLog';
import { sessionInfo } from './wsSessionContent';

/** The parts of core's WsSession the controller uses. */
export type WsSessionLike = Pick<WsSession, 'exchange' | 'state' | 'open' | 'sendText' | 'sendBinary' | 'ping' | 'close' | 'whenClosed' | 'on' | 'off'>;

export interface ActionResult {
  ok: boolean;
  message: string;
}

export interface ControllerOptions extends FrameLogOptions {
  /** Epoch ms (tests pass a fake clock). */
  now?: () => number;
  /** How long a close waits for the peer's close frame before the socket is cut. */
  closeWaitMs?: number;
}

/** The close a panel sends when it is closed. */
export const PANEL_CLOSED = { code: 1001, reason: 'NetReq panel closed' } as const;

export class WsSessionController {
  readonly log: FrameLog;
  private readonly script: WsSessionInfo['script'];
  private detached = false;
  /** Aborted by the run's cancel and by dispose: stops the connect and the script. */
  private readonly stop = new AbortController();
  private readonly now: () => number;
  private readonly closeWaitMs: number;
  /** Messages posted to the webview (for tests and the API). */
  readonly posted = { snapshots: 0, updates: 0, batches: 0, frames: 0 };

  constructor(
    readonly session: WsSessionLike,
    readonly spec: WsRequestSpec,
    public title: string,
    private readonly post: (m: HostToSession) => void,
    opts: ControllerOptions = {},
  ) {
    this.now = opts.now ?? Date.now;
    this.closeWaitMs = opts.closeWaitMs ?? 2000;
    this.script = { total: spec.messages.length, sent: 0, running: false };
    this.log = new FrameLog((frames, total) => {
      this.posted.batches++;
      this.posted.frames += frames.length;
      this.send({ type: 'wsFrames', sessionId: this.exchange.id, frames, total });
    }, opts);
    session.on('frame', this.onFrame);
    session.on('state', this.onState);
  }

  get exchange(): WsExchange {
    return this.session.exchange;
  }

  get state(): WsState {
    return this.session.state;
  }

  get scriptRunning(): boolean {
    return this.script.running;
  }

  info(): WsSessionInfo {
    return sessionInfo({ title: this.title, exchange: this.exchange, script: this.script, logCap: this.log.cap, frameDataLimit: this.log.frameDataLimit, now: this.now() });
  }

  snapshotMessage(): WsSessionMessage {
    const { frames, total } = this.log.snapshot();
    return { type: 'wsSession', info: this.info(), frames, total };
  }

  /** The whole state (a new session, or the webview said `ready`). */
  postSnapshot(): void {
    this.posted.snapshots++;
    this.send(this.snapshotMessage());
  }

  /** The state changed: pending frames first, then the info. */
  postUpdate(): void {
    this.log.flush();
    this.posted.updates++;
    this.send({ type: 'wsUpdate', info: this.info() });
  }

  /**
   * Connects, then sends the block's messages (each after its pause). Resolves when the script is done;
   * the session stays open. `signal` (the run's cancel) aborts the connect, or stops the script and closes.
   */
  async run(signal: AbortSignal): Promise<WsExchange> {
    const cancel = () => this.stop.abort();
    if (signal.aborted) cancel();
    signal.addEventListener('abort', cancel, { once: true });
    this.script.running = true;
    this.postUpdate();
    try {
      const ok = await this.session.open(this.stop.signal);
      if (!ok || this.detached) return this.exchange;
      this.postUpdate();
      for (const m of this.spec.messages) {
        if (m.pauseMs) await this.pause(m.pauseMs);
        if (this.state !== 'open' || this.stop.signal.aborted) break;
        try {
          if (m.type === 'text') this.session.sendText(m.data.toString('utf8'));
          else this.session.sendBinary(m.data);
        } catch {
          break; // closed in between: the state update says so
        }
        this.script.sent++;
        this.postUpdate();
      }
      if (signal.aborted && this.state === 'open') await this.session.close(1000, 'cancelled', this.closeWaitMs);
      return this.exchange;
    } finally {
      signal.removeEventListener('abort', cancel);
      this.script.running = false;
      if (!this.detached) this.postUpdate();
    }
  }

  /** Send / ping / close from the panel (or the API). Never throws; the result is for the reply line. */
  handle(req: Extract<SessionRequest, { type: 'wsSend' | 'wsPing' | 'wsClose' }>): ActionResult {
    switch (req.type) {
      case 'wsSend':
        return this.sendMessage(req.format, req.data);
      case 'wsPing':
        return this.ping();
      case 'wsClose':
        return this.close(req.code, req.reason);
    }
  }

  sendMessage(format: WsInputFormat, data: string): ActionResult {
    const closed = this.notOpen('send');
    if (closed) return closed;
    try {
      if (format === 'hex') {
        const hex = parseHexInput(data);
        if (!hex.ok) return { ok: false, message: hex.error };
        this.session.sendBinary(Buffer.from(hex.bytes));
        return { ok: true, message: `Sent a binary message (${formatBytes(hex.bytes.length)}).` };
      }
      this.session.sendText(data);
      return { ok: true, message: `Sent a text message (${formatBytes(Buffer.byteLength(data, 'utf8'))}).` };
    } catch (err) {
      return { ok: false, message: err instanceof Error ? err.message : String(err) };
    }
  }

  ping(): ActionResult {
    const closed = this.notOpen('ping');
    if (closed) return closed;
    try {
      this.session.ping();
      return { ok: true, message: 'Ping sent.' };
    } catch (err) {
      return { ok: false, message: err instanceof Error ? err.message : String(err) };
    }
  }

  close(code: number, reason: string): ActionResult {
    const bad = closeCodeProblem(code) ?? closeReasonProblem(reason);
    if (bad) return { ok: false, message: bad };
    const closed = this.notOpen('close');
    if (closed) return closed;
    // Code and reason were checked above, so the engine takes them; the state updates tell the rest.
    this.session.close(code, reason, this.closeWaitMs).catch(() => undefined);
    return { ok: true, message: `Close frame sent (${code}${reason ? `: ${reason}` : ''}); waiting for the server's close.` };
  }

  /** A kept frame's full data, for "Open in editor": text as UTF-8, anything else as spaced hex. */
  frameText(seq: number): { content: string; language: string } | undefined {
    const f = this.log.find(seq);
    if (!f) return undefined;
    if (f.opcode === 'text') return { content: f.data.toString('utf8'), language: looksLikeJson(f.data) ? 'json' : 'plaintext' };
    if (f.opcode === 'close') return { content: `close ${f.closeCode ?? '(no code)'}${f.data.length ? ` ${f.data.toString('utf8')}` : ''}`, language: 'plaintext' };
    const lines: string[] = [];
    for (let i = 0; i < f.data.length; i += 16) lines.push([...f.data.subarray(i, i + 16)].map((b) => b.toString(16).padStart(2, '0')).join(' '));
    return { content: lines.join('\n'), language: 'plaintext' };
  }

  /**
   * Stops talking to the webview and lets the session go: closes it (1001 when the panel closed) unless
   * `keepOpen`. Resolves when the session is closed.
   */
  async dispose(close: { code: number; reason: string } | 'keep-open' = PANEL_CLOSED): Promise<void> {
    if (this.detached) return;
    this.detached = true;
    this.stop.abort();
    this.session.off('frame', this.onFrame);
    this.session.off('state', this.onState);
    this.log.dispose();
    if (close === 'keep-open') return;
    if (this.state === 'open') await this.session.close(close.code, close.reason, this.closeWaitMs).catch(() => undefined);
    else if (this.state !== 'closed') {
      // Connecting (aborted just now) or closing: either way it ends within its own limits.
      await Promise.race([this.session.whenClosed(), new Promise((r) => setTimeout(r, this.closeWaitMs + 500))]);
    }
  }

  private readonly onFrame = (f: WsFrame): void => {
    this.log.push(f);
  };

  private readonly onState = (): void => {
    if (this.state === 'closed') this.stop.abort();
    this.postUpdate();
  };

  private notOpen(what: string): ActionResult | undefined {
    const s = this.state;
    if (s === 'open') return undefined;
    const why = s === 'connecting' ? 'is still connecting' : s === 'closing' ? 'is closing' : 'is closed';
    return { ok: false, message: `Cannot ${what}: the WebSocket ${why}${s === 'closed' ? ' (use Connect again for a new session)' : ''}.` };
  }

  /** Waits `ms`, or less when cancelled, disposed or the session closed. */
  private pause(ms: number): Promise<void> {
    const signal = this.stop.signal;
    if (signal.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(t);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const t = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  private send(m: HostToSession): void {
    if (!this.detached) this.post(m);
  }
}

function looksLikeJson(b: Buffer): boolean {
  const s = b.subarray(0, 64).toString('utf8').trimStart();
  return s.startsWith('{') || s.startsWith('[');
}
