/**
 * Reading into a body: `body $.json.path` (JSONPath, with Hurl's typing: a path of names and indexes gives one
 * value or none, any wildcard, slice, filter or descendant gives an array) and `xpath EXPR` (XPath 1.0 on the
 * body parsed by @xmldom/xmldom; a document with a DTD is refused, so no entity is ever expanded).
 * jsonpath-plus, xpath and xmldom are loaded the first time an assert needs them (the CLI's start stays small).
 * Bounded: bodies over MAX_PARSE_BYTES are not parsed; each parse is done once per exchange (the cache).
 */
import { libJsonPath, libXmldom, libXpath } from '../lazyNode';
import type { AssertValue, BodyCache, FieldRead } from './fields';

/** Bodies larger than this are not parsed as JSON or XML for an assert (the assert is an error saying so). */
export const MAX_PARSE_BYTES = 64 * 1024 * 1024;

export type { BodyCache };

/** A JSONPath made only of names and indexes: one value (Hurl's "singular" path). */
const SINGULAR = /^\$(?:\.[A-Za-z_$][\w$-]*|\[\d+\]|\['[^'\\]*'\]|\["[^"\\]*"\])*$/;
/** httpyac's `body a.b[0]` (JavaScript property access), which means the same as the JSONPath `$.a.b[0]`. */
const JS_PATH = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*|\[\d+\])*$/;

/** The JSONPath an assert's `body ARG` means, or why it has none (JavaScript beyond a property path). */
export function jsonPathOf(arg: string): { path: string; fromJs: boolean } | { error: string } {
  if (arg.startsWith('$')) return { path: arg, fromJs: false };
  if (JS_PATH.test(arg)) return { path: `$.${arg}`, fromJs: true };
  return { error: `'body ${arg}' is JavaScript in httpyac; NetReq runs no JavaScript: write a JSONPath such as body $.items[0].id` };
}

export function bodyTextOf(cache: BodyCache, body: Buffer): string {
  if (cache.text === undefined) cache.text = body.toString('utf8');
  return cache.text;
}

function tooLarge(body: Buffer, what: string): string {
  return `the body is ${body.length.toLocaleString('en-US')} bytes; ${what} reads bodies up to ${(MAX_PARSE_BYTES / 1048576).toFixed(0)} MB`;
}


export function readJsonPath(cache: BodyCache, body: Buffer, arg: string): FieldRead {
  const p = jsonPathOf(arg);
  if ('error' in p) return p;
  if (!cache.json) {
    if (body.length > MAX_PARSE_BYTES) cache.json = { error: tooLarge(body, 'JSONPath') };
    else {
      try {
        cache.json = { value: JSON.parse(bodyTextOf(cache, body)) as unknown };
      } catch (e) {
        cache.json = { error: `the body is not JSON (${(e as Error).message})` };
      }
    }
  }
  if ('error' in cache.json) {
    // httpyac: `body length` on a text body is its length.
    if (p.fromJs && arg === 'length' && body.length <= MAX_PARSE_BYTES) return { value: bodyTextOf(cache, body).length };
    return cache.json;
  }
  let found: unknown[];
  try {
    const { JSONPath } = libJsonPath();
    found = JSONPath({ path: p.path, json: cache.json.value as object, wrap: true, eval: 'safe' }) as unknown[];
  } catch (e) {
    return { error: `JSONPath ${arg}: ${(e as Error).message}` };
  }
  if (!Array.isArray(found)) found = [];
  if (SINGULAR.test(p.path)) return { value: found.length > 0 ? (found[0] as AssertValue) : undefined };
  return { value: found };
}

interface XmlNode {
  textContent?: string | null;
}

export function readXPath(cache: BodyCache, body: Buffer, expr: string): FieldRead {
  if (!cache.xml) cache.xml = parseXml(cache, body);
  if ('error' in cache.xml) return cache.xml;
  let r: unknown;
  try {
    const xpath = libXpath();
    r = xpath.select(expr, cache.xml.doc as Node);
  } catch (e) {
    return { error: `XPath ${expr}: ${(e as Error).message}` };
  }
  if (Array.isArray(r)) {
    const texts = (r as XmlNode[]).map((n) => n.textContent ?? '');
    return { value: texts.length === 0 ? undefined : texts.length === 1 ? texts[0] : texts };
  }
  return { value: r as AssertValue };
}

/** A DOCTYPE is where entities are declared: such a document is not read at all (no expansion, no external fetch). */
const DTD = /<!DOCTYPE|<!ENTITY/i;

function parseXml(cache: BodyCache, body: Buffer): { doc: unknown } | { error: string } {
  if (body.length > MAX_PARSE_BYTES) return { error: tooLarge(body, 'XPath') };
  const text = bodyTextOf(cache, body);
  if (DTD.test(text)) return { error: 'the body has a DTD (<!DOCTYPE or <!ENTITY): NetReq does not read XML with a DTD, so no entity is expanded' };
  const { DOMParser } = libXmldom();
  const errors: string[] = [];
  try {
    const doc = new DOMParser({
      onError: (level: string, msg: string) => {
        if (level !== 'warning') errors.push(msg);
      },
    }).parseFromString(text, 'text/xml');
    if (errors.length > 0 || !doc?.documentElement) return { error: `the body is not XML (${errors[0] ?? 'no root element'})` };
    return { doc };
  } catch (e) {
    return { error: `the body is not XML (${(e as Error).message})` };
  }
}
