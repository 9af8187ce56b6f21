/**
 * Queries into a body for request variables, as REST Client makes them (RC@6649589
 * src/utils/requestVariableCacheValueProcessor.ts): JSONPath (jsonpath-plus) for a JSON body, XPath (xpath +
 * @xmldom/xmldom) for an XML body. The caller bounds the body's size; this file bounds what a query may cost
 * that the size does not: JSONPath filter expressions run in jsonpath-plus's own evaluator, never `eval`
 * (a file must not run code); XML is parsed without any DTD entity expansion or external entity (xmldom knows
 * only the five predefined entities); a nesting too deep for the stack is an error in words.
 */
import type * as xpath from 'xpath';
import { libJsonPath, libXmldom, libXpath } from '../lazyNode';

export type QueryResult = { value: string } | { error: string };

export type BodyType = 'json' | 'xml';

/** Which query language a body takes from its Content-Type (REST Client's MimeUtility), or undefined. */
export function bodyTypeOf(contentType: string | undefined, text: () => string): BodyType | undefined {
  if (!contentType) return undefined;
  const semi = contentType.indexOf(';');
  const full = (semi < 0 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
  const plus = full.indexOf('+');
  const type = plus < 0 ? full : full.slice(0, plus);
  const suffix = plus < 0 ? '' : full.slice(plus);
  if (type === 'application/json' || suffix === '+json') return 'json';
  if (type === 'application/xml' || type === 'text/xml' || suffix === '+xml') return 'xml';
  if (type === 'application/javascript') {
    try {
      JSON.parse(text());
      return 'json';
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function tooDeep(e: unknown): boolean {
  return e instanceof RangeError;
}

/**
 * REST Client: the first match only; a string as is, anything else as JSON text (a number `42`, an object
 * `{"a":1}`, an array `[1,2]`, `null`, `true`). No match, or an empty string, resolves to nothing.
 */
export function queryJson(text: string, path: string): QueryResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { error: tooDeep(e) ? 'the JSON body is nested too deeply to read' : `the body is not valid JSON (${(e as Error).message})` };
  }
  let result: unknown[];
  try {
    result = libJsonPath().JSONPath({ path, json: json as object, wrap: true, eval: 'safe' }) as unknown[];
  } catch (e) {
    return { error: tooDeep(e) ? 'the JSON body is nested too deeply for this JSONPath' : `${JSON.stringify(path)} is not a JSONPath NetReq can evaluate (${(e as Error).message})` };
  }
  const first = Array.isArray(result) ? result[0] : undefined;
  let value: string | undefined;
  try {
    value = typeof first === 'string' ? first : JSON.stringify(first);
  } catch (e) {
    return { error: tooDeep(e) ? 'the JSONPath matched a value nested too deeply to write as JSON text' : (e as Error).message };
  }
  if (!value) return { error: `no value is resolved for the JSONPath ${JSON.stringify(path)}${first === '' ? ' (it matches an empty string)' : ''}` };
  return { value };
}

/**
 * Most `<` in an XML body queried with XPath. The xpath library's node sets cost about quadratic time in the number
 * of nodes on xmldom's DOM (measured: 1,000 sibling elements 0.6 s, 3,000 about 5 s, 10,000 about 60 s for `/r/a`).
 */
export const MAX_XML_TAGS = 2000;

const DOCUMENT_NODE = 9;
const ELEMENT_NODE = 1;

/**
 * REST Client: a string result (`string(//id)`) as is; else the first node: a document's root element as XML,
 * an element's inner XML, an attribute's or text node's value. A number or boolean result (`count(//x)`) REST
 * Client cannot use: refused, with the `string(…)` that works.
 */
export function queryXml(text: string, path: string): QueryResult {
  let tags = 0;
  for (let i = text.indexOf('<'); i >= 0; i = text.indexOf('<', i + 1)) {
    if (++tags > MAX_XML_TAGS) {
      return { error: `the XML body has more than ${MAX_XML_TAGS.toLocaleString('en-US')} tags, past which XPath (the xpath library) takes seconds to minutes; NetReq queries smaller XML bodies only (the whole body is in body.*)` };
    }
  }
  let doc: Document;
  try {
    doc = new (libXmldom().DOMParser)({ onError: () => undefined }).parseFromString(text, 'text/xml') as unknown as Document;
  } catch (e) {
    return { error: tooDeep(e) ? 'the XML body is nested too deeply to read' : `the body is not well-formed XML (${firstLine((e as Error).message)})` };
  }
  let res: xpath.SelectReturnType;
  try {
    res = libXpath().select(path, doc as unknown as Node);
  } catch (e) {
    return { error: tooDeep(e) ? 'the XML body is nested too deeply for this XPath' : `${JSON.stringify(path)} is not an XPath NetReq can evaluate (${firstLine((e as Error).message)})` };
  }
  if (typeof res === 'string') return { value: res };
  if (typeof res === 'number' || typeof res === 'boolean') {
    return { error: `the XPath ${JSON.stringify(path)} gives a ${typeof res}, which REST Client cannot use: write string(${path}) for its text` };
  }
  const nodes = Array.isArray(res) ? res : res ? [res] : [];
  if (nodes.length === 0) return { error: `no value is resolved for the XPath ${JSON.stringify(path)}` };
  const node = nodes[0];
  try {
    if (node.nodeType === DOCUMENT_NODE) return { value: String((node as Document).documentElement ?? '') };
    if (node.nodeType === ELEMENT_NODE) return { value: String(node.childNodes) };
    return { value: node.nodeValue ?? '' };
  } catch (e) {
    return { error: tooDeep(e) ? 'the XPath matched an element nested too deeply to write as XML' : (e as Error).message };
  }
}

function firstLine(s: string): string {
  const nl = s.indexOf('\n');
  return nl < 0 ? s : s.slice(0, nl);
}
