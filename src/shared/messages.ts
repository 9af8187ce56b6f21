/**
 * Typed messages between the extension host and the response webview. Imported by both sides,
 * so this file imports neither `vscode` nor the DOM (only types from core).
 *
 * Network data only ever travels inside these messages (body bytes as base64, see core/serialize);
 * the webview renders it with text nodes, never as HTML.
 */
import type { ExchangeJson } from '../core/serialize';

export type { ExchangeJson };

/** A request is on its way (the panel keeps the previous exchange underneath, dimmed). */
export interface SendingMessage {
  type: 'sending';
  title: string;
  method: string;
  url: string;
  /** Epoch ms. */
  startedAt: number;
}

/** The finished exchange (success or failure) for this panel's block. */
export interface ExchangeMessage {
  type: 'exchange';
  title: string;
  /**
   * Body capped at `previewLimit` bytes (`body.totalLength` is set when it was cut).
   * `response.rawBody` is not carried (length 0, `totalLength` = its real size): the Raw tab shows `received`.
   */
  exchange: ExchangeJson;
  /** Bytes of body the panel renders (setting netreq.response.previewBytes). */
  previewLimit: number;
  /** The cap on bodies kept in memory (setting netreq.maxResponseBytes), for the "cut" notice. */
  maxResponseBytes: number;
}

/** The answer to a WebviewRequest, matched by id. */
export interface ReplyMessage {
  type: 'reply';
  id: number;
  ok: boolean;
  /** A sentence to show next to the button that asked (e.g. "Saved to /tmp/body.json"). */
  message?: string;
}

export type HostToWebview = SendingMessage | ExchangeMessage | ReplyMessage;

/** Webview → host requests that get a ReplyMessage with the same id. */
export type WebviewRequest =
  | { type: 'openBodyInEditor'; id: number }
  | { type: 'saveBody'; id: number }
  | { type: 'copy'; id: number; text: string };

export type WebviewToHost =
  /** The script loaded (again): send the current state. */
  | { type: 'ready' }
  /** Send this panel's block again. */
  | { type: 'resend' }
  /** Cancel the running request of this panel's block. */
  | { type: 'cancel' }
  | WebviewRequest;

export type WebviewRequestType = WebviewRequest['type'];

const SIMPLE: ReadonlySet<string> = new Set(['ready', 'resend', 'cancel']);
const REQUESTS: ReadonlySet<string> = new Set(['openBodyInEditor', 'saveBody', 'copy']);

/** Host-side check of what the webview posted (a webview is less trusted than the host). */
export function isWebviewToHost(m: unknown): m is WebviewToHost {
  if (typeof m !== 'object' || m === null) return false;
  const o = m as Record<string, unknown>;
  if (typeof o.type !== 'string') return false;
  if (SIMPLE.has(o.type)) return true;
  if (!REQUESTS.has(o.type) || typeof o.id !== 'number' || !Number.isInteger(o.id)) return false;
  if (o.type === 'copy') return typeof o.text === 'string';
  return true;
}

export function isWebviewRequest(m: WebviewToHost): m is WebviewRequest {
  return REQUESTS.has(m.type);
}

/** Webview-side check of what the host posted. */
export function isHostToWebview(m: unknown): m is HostToWebview {
  if (typeof m !== 'object' || m === null) return false;
  const t = (m as { type?: unknown }).type;
  return t === 'sending' || t === 'exchange' || t === 'reply';
}
