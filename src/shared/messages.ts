/**
 * Typed messages between the extension host and the webviews (response panel, socket transcript
 * panel, WebSocket session panel). Imported by both sides, so this file imports neither `vscode`
 * nor the DOM (only types from core).
 *
 * Network data only ever travels inside these messages (bytes as base64, see core/serialize);
 * the webviews render it with text nodes, never as HTML. Each panel has its own pair of unions and
 * its own guards; the host checks everything a webview posts (a webview is less trusted than the host).
 */
import type { BytesJson, HttpExchangeJson, SocketExchangeJson, WsExchangeJson, WsFrameJson } from '../core/serialize';
import type { WsState } from '../core/exchange';
import { isAssertsShape, type AssertsMessage } from './assertMessages';
import { isJsonViewerAnswer, isJsonViewerAnswerType, isJsonViewerRequest, JSON_REQUESTS, type JsonViewerAnswer, type JsonViewerRequest } from './bodyMessages';
import { isCount, isExchangeShape, isLogFrames, isNum, isOptional, isRefusedShape, isSessionInfo, isStr, isTranscriptShape, record } from './shapes';

export type { BytesJson, HttpExchangeJson, SocketExchangeJson, WsExchangeJson, WsFrameJson };
export type { AssertsMessage, AssertResultView } from './assertMessages';
export type { JsonViewerAnswer, JsonViewerRequest } from './bodyMessages';

/** A request is on its way (the panel keeps the previous exchange underneath, dimmed). */
export interface SendingMessage {
  type: 'sending';
  title: string;
  method: string;
  url: string;
  /** Epoch ms. */
  startedAt: number;
  /** Bytes received so far (HTTP; posted again as they come, a few times a second). */
  receivedBytes?: number;
}

/** The finished exchange (success or failure) for this panel's block. */
export interface ExchangeMessage {
  type: 'exchange';
  title: string;
  /**
   * Body capped at `previewLimit` bytes (`body.totalLength` is set when it was cut).
   * `response.rawBody` is not carried (length 0, `totalLength` = its real size): the Raw tab shows `received`.
   */
  exchange: HttpExchangeJson;
  /** Bytes of body the panel renders (setting netreq.response.previewBytes). */
  previewLimit: number;
  /** The cap on bodies kept in memory (setting netreq.maxResponseBytes), for the "cut" notice. */
  maxResponseBytes: number;
  /** Names the whole body the host keeps for this exchange: the JSON viewer asks for its lines with it. */
  bodyKey?: string;
}

/**
 * The block was not sent: it does not resolve in a way the panel explains (today: Restricted Mode refused
 * something it would have read). Replaces what the panel showed until the next send.
 */
export interface RefusedMessage {
  type: 'refused';
  title: string;
  /** Why, one line per problem, as "line:col: message" (1-based, as the CLI prints them). */
  problems: string[];
  /** Restricted Mode refused it: the panel offers Manage Workspace Trust. */
  restricted: boolean;
}

/** The answer to a WebviewRequest, matched by id. */
export interface ReplyMessage {
  type: 'reply';
  id: number;
  ok: boolean;
  /** A sentence to show next to the button that asked (e.g. "Saved to /tmp/body.json"). */
  message?: string;
}

export type HostToWebview = SendingMessage | ExchangeMessage | RefusedMessage | ReplyMessage | AssertsMessage | JsonViewerAnswer;

/** Webview → host requests that get a ReplyMessage with the same id. */
export type WebviewRequest =
  | { type: 'openBodyInEditor'; id: number }
  | { type: 'saveBody'; id: number }
  /** Copy the whole body the host kept (not the page's preview). */
  | { type: 'copyBody'; id: number }
  | { type: 'copy'; id: number; text: string };

export type WebviewToHost =
  /** The script loaded (again): send the current state. */
  | { type: 'ready' }
  /** Send this panel's block again. */
  | { type: 'resend' }
  /** Cancel the running request of this panel's block. */
  | { type: 'cancel' }
  /** Open VS Code's Workspace Trust editor (after a Restricted Mode refusal). */
  | { type: 'manageTrust' }
  | WebviewRequest
  /** The JSON viewer pulls lines and searches (answered with their own messages, not a reply). */
  | JsonViewerRequest;

export type WebviewRequestType = WebviewRequest['type'];

const SIMPLE: ReadonlySet<string> = new Set(['ready', 'resend', 'cancel']);
const RESPONSE_SIMPLE: ReadonlySet<string> = new Set([...SIMPLE, 'manageTrust']);
const REQUESTS: ReadonlySet<string> = new Set(['openBodyInEditor', 'saveBody', 'copyBody', 'copy']);

/** Host-side check of what the webview posted (a webview is less trusted than the host). */
export function isWebviewToHost(m: unknown): m is WebviewToHost {
  if (typeof m !== 'object' || m === null) return false;
  const o = m as Record<string, unknown>;
  if (typeof o.type !== 'string') return false;
  if (RESPONSE_SIMPLE.has(o.type)) return true;
  if (JSON_REQUESTS.has(o.type)) return isJsonViewerRequest(o);
  if (!REQUESTS.has(o.type) || typeof o.id !== 'number' || !Number.isInteger(o.id)) return false;
  if (o.type === 'copy') return typeof o.text === 'string';
  return true;
}

export function isWebviewRequest(m: WebviewToHost): m is WebviewRequest {
  return REQUESTS.has(m.type);
}

/**
 * Webview-side check of what the host posted: the fields the page reads, as their types (a malformed
 * message is dropped rather than rendered half-way).
 */
export function isHostToWebview(m: unknown): m is HostToWebview {
  const o = record(m);
  if (!o) return false;
  if (o.type === 'exchange') return isExchangeShape(o) && isOptional(o.bodyKey, isStr);
  if (isJsonViewerAnswerType(o.type)) return isJsonViewerAnswer(o);
  return isCommon(o);
}

// ==================================================================== helpers for the guards

/** The messages every block panel gets: sending, refused, reply. */
function isCommon(o: Record<string, unknown>): boolean {
  switch (o.type) {
    case 'sending':
      return isStr(o.title) && isStr(o.method) && isStr(o.url) && isNum(o.startedAt) && isOptional(o.receivedBytes, isCount);
    case 'refused':
      return isRefusedShape(o);
    case 'reply':
      return isReply(o);
    case 'asserts':
      return isAssertsShape(o);
    default:
      return false;
  }
}

function isReply(o: Record<string, unknown>): boolean {
  return isId(o.id) && typeof o.ok === 'boolean' && isOptional(o.message, isStr);
}

function isId(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v);
}

// ==================================================================== socket transcript panel

/** A finished TCP / TLS / QOTD / DAYTIME / ECHO / UDP / MULTICAST exchange for this panel's block. */
export interface TranscriptMessage {
  type: 'transcript';
  title: string;
  /**
   * Chunks carry at most `dataLimit` bytes in all (earliest first); a chunk past the budget carries the
   * first part or nothing, with `data.totalLength` set to its real size.
   */
  exchange: SocketExchangeJson;
  /** The budget of chunk bytes carried (setting netreq.response.previewBytes). */
  dataLimit: number;
}

export type HostToTranscript = SendingMessage | TranscriptMessage | RefusedMessage | ReplyMessage | AssertsMessage;

export type TranscriptRequest = { type: 'copy'; id: number; text: string };

export type TranscriptToHost =
  /** The script loaded (again): send the current state. */
  | { type: 'ready' }
  /** Send this panel's block again. */
  | { type: 'resend' }
  /** Cancel the running request of this panel's block. */
  | { type: 'cancel' }
  /** Open VS Code's Workspace Trust editor (after a Restricted Mode refusal). */
  | { type: 'manageTrust' }
  | TranscriptRequest;

/** Host-side check of what the transcript webview posted. */
export function isTranscriptToHost(m: unknown): m is TranscriptToHost {
  const o = record(m);
  if (!o || typeof o.type !== 'string') return false;
  if (RESPONSE_SIMPLE.has(o.type)) return true;
  return o.type === 'copy' && isId(o.id) && typeof o.text === 'string';
}

/** Webview-side check of what the host posted to the transcript panel. */
export function isHostToTranscript(m: unknown): m is HostToTranscript {
  const o = record(m);
  if (!o) return false;
  if (o.type === 'transcript') return isTranscriptShape(o);
  return isCommon(o);
}

// ==================================================================== WebSocket session panel

/** One frame of the live log: the engine's frame (data capped, see WsFramesMessage) with its number in the session. */
export interface WsLogFrame extends WsFrameJson {
  /** 1, 2, 3… in the order the frames happened; the webview ignores numbers it already has. */
  seq: number;
  /** Close frames: the code and reason in words ("1000 normal closure: bye"). */
  closeWords?: string;
}

/** Everything about the session except its frames (sent again whenever the state, handshake or close changes). */
export interface WsSessionInfo {
  /** The session's exchange id: frames and updates of an older session are ignored. */
  sessionId: string;
  title: string;
  state: WsState;
  /** The exchange without frames; handshake.responseBody (a refused upgrade's body) capped. */
  exchange: Omit<WsExchangeJson, 'frames'>;
  /** "1000 normal closure: bye" once closed. */
  closeWords?: string;
  /** How long the session has lasted (ms): until now while open, until the close once closed. */
  elapsedMs: number;
  /** The block's scripted messages: how many there are and how many went out. */
  script: { total: number; sent: number; running: boolean };
  /** The log keeps the last `logCap` frames. */
  logCap: number;
  /** Bytes of each frame carried to the webview (the rest opens in an editor). */
  frameDataLimit: number;
}

/** The whole state: sent when the webview says `ready` and when a new session starts. */
export interface WsSessionMessage {
  type: 'wsSession';
  info: WsSessionInfo;
  /** The retained log (at most info.logCap frames, the newest). */
  frames: WsLogFrame[];
  /** Frames in the session so far (so `total - frames.length` older frames were dropped). */
  total: number;
}

/** The state, handshake or close changed (pending frames are flushed first). */
export interface WsUpdateMessage {
  type: 'wsUpdate';
  info: WsSessionInfo;
}

/** Frames since the last batch, coalesced on the host (one message per ~50 ms at most). */
export interface WsFramesMessage {
  type: 'wsFrames';
  sessionId: string;
  frames: WsLogFrame[];
  /** Frames in the session so far. */
  total: number;
}

export type HostToSession = WsSessionMessage | WsUpdateMessage | WsFramesMessage | ReplyMessage | AssertsMessage;

/** What the message box sends: text as typed, or hex bytes (pairs of hex digits, whitespace optional). */
export type WsInputFormat = 'text' | 'hex';

/** Session webview → host requests that get a ReplyMessage with the same id. */
export type SessionRequest =
  | { type: 'wsSend'; id: number; format: WsInputFormat; data: string }
  | { type: 'wsPing'; id: number }
  | { type: 'wsClose'; id: number; code: number; reason: string }
  /** Open a retained frame's full data in an editor. */
  | { type: 'wsOpenFrame'; id: number; seq: number }
  | { type: 'copy'; id: number; text: string };

export type SessionToHost =
  | { type: 'ready' }
  /** Connect again: send this panel's block again (a new session replaces the current one). */
  | { type: 'resend' }
  /** Cancel the connect / the block's scripted messages. */
  | { type: 'cancel' }
  | SessionRequest;

/** Longest text or hex input the host accepts from the message box (characters). */
export const MAX_INPUT_CHARS = 16 * 1024 * 1024;

const SESSION_REQUESTS: ReadonlySet<string> = new Set(['wsSend', 'wsPing', 'wsClose', 'wsOpenFrame', 'copy']);

/** Host-side check of what the session webview posted (shape only; hex, close codes etc. are checked when handled). */
export function isSessionToHost(m: unknown): m is SessionToHost {
  const o = record(m);
  if (!o || typeof o.type !== 'string') return false;
  if (SIMPLE.has(o.type)) return true;
  if (!SESSION_REQUESTS.has(o.type) || !isId(o.id)) return false;
  switch (o.type) {
    case 'wsSend':
      return (o.format === 'text' || o.format === 'hex') && typeof o.data === 'string' && o.data.length <= MAX_INPUT_CHARS;
    case 'wsPing':
      return true;
    case 'wsClose':
      return typeof o.code === 'number' && Number.isInteger(o.code) && typeof o.reason === 'string' && o.reason.length <= 1024;
    case 'wsOpenFrame':
      return typeof o.seq === 'number' && Number.isSafeInteger(o.seq) && o.seq > 0;
    case 'copy':
      return typeof o.text === 'string';
  }
  return false;
}

export function isSessionRequest(m: SessionToHost): m is SessionRequest {
  return SESSION_REQUESTS.has(m.type);
}

/** Webview-side check of what the host posted to the session panel. */
export function isHostToSession(m: unknown): m is HostToSession {
  const o = record(m);
  switch (o?.type) {
    case 'wsSession':
      return isSessionInfo(o.info) && isLogFrames(o.frames) && isCount(o.total);
    case 'wsUpdate':
      return isSessionInfo(o.info);
    case 'wsFrames':
      return isStr(o.sessionId) && isLogFrames(o.frames) && isCount(o.total);
    case 'reply':
      return isReply(o);
    case 'asserts':
      return isAssertsShape(o) && isStr(o.sessionId);
    default:
      return false;
  }
}
