/**
 * The text of a response body as the read-only body editor shows it (the `netreq-response:` documents):
 * decoded by its charset and, for JSON, pretty-printed, both in slices that yield to the event loop so a
 * 50 MB body never blocks the extension host for long. Pure functions (no `vscode` import): unit tests
 * and bench/bodyformat.ts drive them in plain Node.
 */
import { classifyBody, parseContentType } from '../../common/format';
import { prettyJsonAsync, type AsyncOptions } from '../../common/prettyJson';

const LANGUAGE_BY_MIME: Record<string, string> = {
  'application/json': 'json',
  'text/json': 'json',
  'text/html': 'html',
  'application/xhtml+xml': 'html',
  'application/xml': 'xml',
  'text/xml': 'xml',
  'image/svg+xml': 'xml',
  'text/css': 'css',
  'text/javascript': 'javascript',
  'application/javascript': 'javascript',
  'text/markdown': 'markdown',
  'application/yaml': 'yaml',
  'text/yaml': 'yaml',
  'text/csv': 'plaintext',
};

/** The file extension a document of a language gets (VS Code picks the language from it too). */
const EXT_BY_LANGUAGE: Record<string, string> = { json: '.json', html: '.html', xml: '.xml', css: '.css', javascript: '.js', markdown: '.md', yaml: '.yaml', plaintext: '.txt' };

export function languageForMime(mime: string): string {
  if (LANGUAGE_BY_MIME[mime]) return LANGUAGE_BY_MIME[mime];
  if (mime.endsWith('+json')) return 'json';
  if (mime.endsWith('+xml')) return 'xml';
  return 'plaintext';
}

export function extensionForLanguage(language: string): string {
  return EXT_BY_LANGUAGE[language] ?? '.txt';
}

/** Bytes re-coded per slice. */
export const DECODE_SLICE = 1024 * 1024;

/** The next turn of the event loop. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

const isUtf8 = (charset?: string) => !charset || /^(utf-?8|us-ascii|ascii)$/i.test(charset);

/** Bytes in another charset as UTF-8, a slice at a time (a sequence split between slices is kept whole). */
export async function toUtf8(bytes: Uint8Array, charset: string, pause: () => Promise<void> = nextTurn, slice = DECODE_SLICE): Promise<Uint8Array> {
  let decoder: InstanceType<typeof TextDecoder>;
  try {
    decoder = new TextDecoder(charset);
  } catch {
    return bytes; // a charset nobody knows: the bytes as they came (the editor reads them as UTF-8)
  }
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += slice) {
    parts.push(encoder.encode(decoder.decode(bytes.subarray(i, i + slice), { stream: i + slice < bytes.length })));
    if (i + slice < bytes.length) await pause();
  }
  return parts.length === 1 ? parts[0] : Buffer.concat(parts);
}

export type BodyDocument =
  | {
      kind: 'text';
      /** UTF-8, what the editor shows. */
      bytes: Uint8Array;
      language: string;
      /** JSON re-indented (else the text as it came). */
      pretty: boolean;
      /** Why a JSON body is shown as it came, or that a cut one ends early. */
      note?: string;
    }
  | { kind: 'binary'; mime: string };

/**
 * A body as the editor shows it: JSON pretty (when it is JSON), other text as it came, both as UTF-8 bytes
 * (a UTF-8 body is not copied); binary refused.
 */
export async function bodyDocument(body: Uint8Array, contentType: string | undefined, opts: AsyncOptions = {}): Promise<BodyDocument> {
  const { mime, charset } = parseContentType(contentType);
  const kind = classifyBody(mime, body, charset);
  if (kind === 'binary' || kind === 'image') return { kind: 'binary', mime };
  const bytes = isUtf8(charset) ? body : await toUtf8(body, charset!, opts.pause);
  const language = kind === 'json' ? 'json' : kind === 'empty' ? 'plaintext' : languageForMime(mime);
  if (kind !== 'json') return { kind: 'text', bytes, language, pretty: false };
  const r = await prettyJsonAsync(bytes, opts);
  if (!r.ok) return { kind: 'text', bytes, language, pretty: false, note: `shown as it came, ${r.error}` };
  return { kind: 'text', bytes: r.pretty, language, pretty: true, note: r.complete ? undefined : 'the JSON ends early, where the body was cut' };
}
