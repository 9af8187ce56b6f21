/**
 * curl's bodies, byte for byte as curl 7.88 builds them: `--data-urlencode` (its five forms), `-d @file` (CR and LF
 * removed), and `-F` multipart/form-data (curl's boundary shape, part headers, Content-Type guessed from the file
 * name's extension as curl's table does).
 */
import { nodeCrypto } from '../../lazyNode';

/** curl's form encoding: A-Z a-z 0-9 - . _ ~ kept, space → '+', everything else %XX (upper-case), over UTF-8 bytes. */
export function curlFormEncode(bytes: Buffer): string {
  let out = '';
  for (const b of bytes) {
    if ((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x2d || b === 0x2e || b === 0x5f || b === 0x7e) {
      out += String.fromCharCode(b);
    } else if (b === 0x20) out += '+';
    else out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** The parts of a `--data-urlencode` value: curl looks for the first '=' or '@'. */
export type UrlencodeForm = { name?: string; content: string } | { name?: string; file: string };

export function urlencodeForm(value: string): UrlencodeForm {
  const m = /[=@]/.exec(value);
  if (!m) return { content: value };
  const name = m.index > 0 ? value.slice(0, m.index) : undefined;
  const rest = value.slice(m.index + 1);
  return m[0] === '=' ? { name, content: rest } : { name, file: rest };
}

/** `-d @file` / `--data-ascii @file`: curl drops every CR and LF of the file. */
export function stripNewlines(b: Buffer): Buffer {
  if (b.indexOf(10) < 0 && b.indexOf(13) < 0) return b;
  return Buffer.from(b.filter((x) => x !== 10 && x !== 13));
}

export interface FormPart {
  name: string;
  /** Text value, or the file's bytes. */
  data: Buffer;
  filename?: string;
  type?: string;
}

/** A parsed `-F` value: `name=value`, `name=@file`, `name=<file`, with `;type=` and `;filename=`. */
export interface FormSpec {
  name: string;
  value?: string;
  file?: string;
  /** `<file`: the file's contents as the value (no filename). */
  contentFile?: string;
  type?: string;
  filename?: string;
}

/** Parses a `-F` value as curl's formparse does for the common forms; a string is a problem in words. */
export function parseFormArg(arg: string, literal: boolean): FormSpec | string {
  const eq = arg.indexOf('=');
  if (eq < 0) return `-F ${JSON.stringify(arg)} has no '=': write name=value, name=@file or name=<file`;
  const name = arg.slice(0, eq);
  const rest = arg.slice(eq + 1);
  if (literal) return { name, value: rest };
  const spec: FormSpec = { name };
  let body = rest;
  let kind: 'file' | 'content' | 'text' = 'text';
  if (body.startsWith('@')) kind = 'file';
  else if (body.startsWith('<')) kind = 'content';
  if (kind !== 'text') body = body.slice(1);
  const [main, params] = splitParams(body);
  if (kind === 'file') {
    if (main.includes(',')) return `-F ${JSON.stringify(arg)} names several files; NetReq sends one file per -F`;
    spec.file = main;
  } else if (kind === 'content') spec.contentFile = main;
  else spec.value = main;
  for (const p of params) {
    const k = p.indexOf('=');
    const key = (k < 0 ? p : p.slice(0, k)).trim().toLowerCase();
    const v = k < 0 ? '' : unquote(p.slice(k + 1).trim());
    if (key === 'type') spec.type = v;
    else if (key === 'filename') spec.filename = v;
    else return `-F ${JSON.stringify(arg)}: ';${key}=' is not supported (NetReq reads ;type= and ;filename=)`;
  }
  if ((kind === 'file' || kind === 'content') && main === '') return `-F ${JSON.stringify(arg)} names no file`;
  if (main === '-') return `-F ${JSON.stringify(arg)} reads standard input, which a request block does not have`;
  return spec;
}

/** Splits `value;type=x;filename=y` (a "quoted" value keeps its ';'); a ';' not followed by a parameter stays in the value. */
function splitParams(s: string): [string, string[]] {
  let main: string;
  let i: number;
  if (s.startsWith('"')) {
    let j = 1;
    let v = '';
    while (j < s.length && s[j] !== '"') {
      if (s[j] === '\\' && j + 1 < s.length) j++;
      v += s[j++];
    }
    main = v;
    i = j + 1;
  } else {
    const m = /;\s*(type|filename|headers|encoder)=/i.exec(s);
    i = m ? m.index : s.length;
    main = s.slice(0, i);
  }
  const params: string[] = [];
  const rest = s.slice(i);
  for (const p of rest.split(';')) if (p.trim() !== '') params.push(p.trim());
  return [main, params];
}

function unquote(v: string): string {
  return v.length >= 2 && v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1).replace(/\\(.)/g, '$1') : v;
}

/** curl's table of Content-Types by file-name extension (lib/mime.c); undefined for another extension. */
export function contentTypeFor(filename: string): string | undefined {
  const ext = /\.([A-Za-z0-9]+)$/.exec(filename)?.[1].toLowerCase();
  const table: Record<string, string> = {
    gif: 'image/gif',
    jpg: 'image/jpeg',
    jpeg: 'image/jpeg',
    png: 'image/png',
    svg: 'image/svg+xml',
    txt: 'text/plain',
    htm: 'text/html',
    html: 'text/html',
    pdf: 'application/pdf',
    xml: 'application/xml',
  };
  return ext ? table[ext] : undefined;
}

/** curl's boundary: 24 dashes and 16 random hex digits. */
export function curlBoundary(): string {
  return `${'-'.repeat(24)}${nodeCrypto().randomBytes(8).toString('hex')}`;
}

/** Quoted names in Content-Disposition: curl (7.81+) writes '"' as %22 and CR / LF as %0D / %0A. */
const escapeName = (s: string): string => s.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');

/** The multipart/form-data body, as curl writes it. Text is UTF-8; names go through latin1 so UTF-8 bytes stay bytes. */
export function multipartBody(parts: readonly FormPart[], boundary: string): Buffer {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${escapeName(p.name)}"`;
    if (p.filename !== undefined) head += `; filename="${escapeName(p.filename)}"`;
    head += '\r\n';
    if (p.type) head += `Content-Type: ${p.type}\r\n`;
    head += '\r\n';
    chunks.push(Buffer.from(head, 'utf8'), p.data, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}
