/** The terminal form of a socket transcript (the stream and datagram kinds): each chunk, the totals, why it stopped. */
import type { SocketExchange } from '../exchange';
import { formatBytes, formatMs } from '../../common/format';
import { chunkText, safeLine } from '../text';
import { errorLine, hexDump, indent, type RenderOptions, type Style, timingLine, tlsLine } from './render';

export function transcriptText(x: SocketExchange, style: Style, { header, verbose }: RenderOptions): string {
  const out: string[] = [style.bold(header), style.cyan(safeLine(`${x.request.protocol.toUpperCase()} ${x.request.target}`))];
  for (const e of x.transcript) {
    const arrow = e.dir === 'sent' ? style.cyan('→') : style.green('←');
    out.push(`${arrow} ${style.dim(`${formatMs(e.at).padStart(9)}  ${formatBytes(e.data.length).padStart(8)}${e.peer ? `  ${safeLine(e.peer)}` : ''}`)}`);
    out.push(indent(chunkText(e.data)));
    if (verbose) out.push(style.dim(indent(hexDump(e.data))));
  }
  const chunks = (d: 'sent' | 'received') => x.transcript.filter((e) => e.dir === d).length;
  out.push(style.dim(`sent ${formatBytes(x.sentBytes)} in ${chunks('sent')} · received ${formatBytes(x.receivedBytes)} in ${x.datagramsReceived ?? chunks('received')} · stopped: ${safeLine(x.stopDetail)}`));
  if (x.captureNote) out.push(style.yellow(`[${safeLine(x.captureNote)}]`));
  else if (x.uncapturedBytes) out.push(style.yellow(`[the transcript keeps the first ${formatBytes(x.receivedBytes - x.uncapturedBytes)}; ${formatBytes(x.uncapturedBytes)} more were counted, not kept]`));
  if (x.echoMatches !== undefined) out.push(x.echoMatches ? style.green('echo: what came back equals what was sent ✓') : style.red('echo: what came back differs from what was sent ✗'));
  if (x.error) out.push(errorLine(x.error, style));
  out.push(style.dim(`timing  ${timingLine(x.timings)}`));
  if (x.tls) out.push(tlsLine(x.tls, style));
  return out.join('\n');
}
