/**
 * The detail of a proxy flow with its bodies decoded: a body that came with a Content-Encoding (gzip,
 * deflate, br) is decoded by core's `decodeStart` (the HTTP client's codings) for display, at most
 * DECODED_LIMIT bytes of it, off the event loop. The bytes as they came stay in the detail too. Plain
 * TypeScript (no `vscode`).
 */
import type { HeaderList } from '../../core/exchange';
import { decodeStart } from '../../core/http/decode';
import type { DecodedBody, FlowDetail } from '../../shared/trafficMessages';
import { flowDetail, type StoredFlow } from './trafficStore';

/** The most decoded bytes the detail carries per body (a 64 KB gzip preview may stand for far more). */
export const DECODED_LIMIT = 1024 * 1024;

/** Every Content-Encoding header's codings in order ("gzip" or "gzip, br"); undefined when none changes the bytes. */
export function contentEncoding(headers: HeaderList | undefined): string | undefined {
  const values = (headers ?? []).filter(([k]) => k.toLowerCase() === 'content-encoding').map(([, v]) => v.trim());
  const codings = values.join(', ').split(',').map((c) => c.trim()).filter((c) => c && c.toLowerCase() !== 'identity');
  return codings.length ? codings.join(', ') : undefined;
}

export async function decodeFlowBody(body: Buffer | undefined, headers: HeaderList | undefined, limit = DECODED_LIMIT): Promise<DecodedBody | undefined> {
  const encoding = contentEncoding(headers);
  if (!encoding || !body || body.length === 0) return undefined;
  const r = await decodeStart(body, encoding, limit);
  const out: DecodedBody = { encoding };
  if (r.decoded) out.body = r.body.toString('base64');
  if (r.cut) out.cut = true;
  if (r.partial) out.partial = true;
  if (r.error) out.error = r.error;
  return out;
}

/** What the detail pane gets for a flow: flowDetail plus the decoded bodies. Never rejects. */
export async function decodedFlowDetail(s: StoredFlow, limit = DECODED_LIMIT): Promise<FlowDetail> {
  const d = flowDetail(s);
  const f = s.flow;
  // The bodies as they are now: the store may let go of them meanwhile (its memory budget), these stay valid.
  const [req, res] = await Promise.all([decodeFlowBody(f.requestBody, f.requestHeaders, limit), decodeFlowBody(f.responseBody, f.responseHeaders, limit)]);
  if (req) d.requestDecoded = req;
  if (res) d.responseDecoded = res;
  return d;
}
