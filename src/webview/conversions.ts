/**
 * The response panel's note of what NetReq changed from what the file says (REST Client conveniences: Basic
 * encoded, GraphQL body built, file lines inlined, AWS signature, …) and, for Authorization: Digest, the first
 * exchange the server answered with a 401 challenge. Text nodes only; fields checked before use.
 */
import type { ExchangeMessage } from '../shared/messages';
import type { Builder, DomElement } from './dom';

type X = ExchangeMessage['exchange'];

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : []);

/** Undefined when nothing was converted and no challenge came first. */
export function conversionsSection(b: Builder, x: X): DomElement | undefined {
  const list = strings(x.request?.conversions);
  const ch = x.authChallenge;
  const note = typeof x.authNote === 'string' ? x.authNote : undefined;
  if (list.length === 0 && !ch && !note) return undefined;
  const box = b.el('div', 'conversions');
  if (ch && typeof ch === 'object' && ch.request) {
    const res = ch.response;
    const status = res && typeof res.status === 'number' ? `${res.status} ${typeof res.reason === 'string' ? res.reason : ''}`.trim() : 'no response';
    const www = res && Array.isArray(res.headers) ? res.headers.find((h) => Array.isArray(h) && String(h[0]).toLowerCase() === 'www-authenticate') : undefined;
    const row = b.el('div', 'auth-challenge');
    b.add(
      row,
      b.el('span', 'conversions-title', `${status.startsWith('401') ? '401 Digest challenge → answered' : `first try: ${status}`}`),
      b.el('span', 'muted', ` first try ${String(ch.request.method)} ${String(ch.request.url)}${www ? ` · WWW-Authenticate: ${String(www[1])}` : ''}`),
    );
    box.appendChild(row);
  }
  if (note) box.appendChild(b.el('div', 'notice notice-info', note));
  if (list.length > 0) {
    box.appendChild(b.el('div', 'conversions-title', 'Not sent exactly as written:'));
    const items = b.el('div', 'conversions-list');
    for (const c of list) items.appendChild(b.el('div', 'conversion', `• ${c}`));
    box.appendChild(items);
  }
  return box;
}
