/** The terminal form of a WebSocket exchange: the handshake, each frame, how it closed. */
import type { WsExchange } from '../../exchange';
import { formatBytes, formatMs } from '../../../common/format';
import { describeClose } from '../../sockets/ws';
import { safeLine, safeText } from '../../text';
import { errorLine, hexDump, indent, type RenderOptions, type Style, timingLine, tlsLine } from '../render';

export function wsText(x: WsExchange, style: Style, { header, verbose }: RenderOptions): string {
  const out: string[] = [style.bold(header), style.cyan(safeLine(`WS ${x.request.url}`))];
  const h = x.handshake;
  if (verbose && h.requestHead) out.push(style.dim(indent(safeText(h.requestHead).trimEnd())));
  if (h.status !== undefined) {
    const status = `${h.status} ${safeLine(h.reason ?? '')}`;
    out.push(`${h.status === 101 ? style.green(status) : style.red(status)}${h.protocol ? style.dim(`  subprotocol ${safeLine(h.protocol)}`) : ''}`);
    if (verbose) for (const [k, v] of h.responseHeaders) out.push(style.dim(`    ${safeLine(k)}: ${safeLine(v)}`));
  }
  if (x.framesDropped) out.push(style.dim(`… ${x.framesDropped} earlier frames not kept (the newest ${x.frames.length} follow)`));
  for (const f of x.frames) {
    const arrow = f.dir === 'sent' ? style.cyan('→') : style.green('←');
    const body = f.opcode === 'binary' ? hexDump(f.data, 256) : f.opcode === 'close' ? `${f.closeCode ?? ''} ${safeLine(f.data.toString('utf8'))}`.trim() : safeText(f.data.toString('utf8'));
    out.push(`${arrow} ${style.dim(`${formatMs(f.at).padStart(9)}  ${f.opcode.padEnd(6)} ${formatBytes(f.data.length).padStart(8)}`)}  ${body.includes('\n') ? `\n${indent(body)}` : body}`);
  }
  if (x.closeCode !== undefined) out.push(style.dim(`closed by ${x.closedBy ?? '?'}: ${safeLine(describeClose(x.closeCode, x.closeReason))}`));
  if (x.error) out.push(errorLine(x.error, style));
  if (h.responseBody?.length) out.push(indent(safeText(h.responseBody.toString('utf8'))));
  out.push(style.dim(`timing  ${timingLine(x.timings)}`));
  if (x.tls) out.push(tlsLine(x.tls, style));
  return out.join('\n');
}
