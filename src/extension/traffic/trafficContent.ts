/**
 * What the traffic panel hands to its webview and to the editor, as pure functions (no `vscode`): the
 * HTML shell, and the replay text of a stored row.
 */
import { flowToCurl } from './curl';
import { datagramToNetreq, flowToNetreq } from './replay';
import type { StoredDatagram, StoredFlow } from './trafficStore';
import { renderWebviewHtml } from '../panels/webviewShell';

export const TRAFFIC_VIEW_TYPE = 'netreq.traffic';

export interface TrafficHtmlParams {
  cspSource: string;
  /** asWebviewUri(dist/webview/traffic.js) */
  scriptUri: string;
  /** asWebviewUri(media/response.css), asWebviewUri(media/traffic.css) */
  styleUris: readonly string[];
  nonce?: string;
}

export function renderTrafficHtml(params: TrafficHtmlParams): string {
  return renderWebviewHtml({ ...params, title: 'NetReq traffic' });
}

export function storedFlowAsNetreq(s: StoredFlow): string {
  return flowToNetreq(s.flow);
}

export function storedFlowAsCurl(s: StoredFlow): string {
  return flowToCurl(s.flow);
}

/** Undefined when the listener that got it is not known (it always is for datagrams the services record). */
export function storedDatagramAsNetreq(s: StoredDatagram): string | undefined {
  return s.source ? datagramToNetreq(s.datagram, s.source) : undefined;
}
