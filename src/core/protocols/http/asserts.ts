/** HTTP asserts: httpyac's `status`, `header NAME`, `body [$.json.path]`, `xpath EXPR`, plus the shared fields. */
import type { HttpExchange } from '../../exchange';
import { bodyTextOf, readJsonPath, readXPath } from '../../asserts/body';
import { CONNECTION_FIELDS, DURATION_FIELD, TIMING_FIELDS, TLS_FIELDS, noResponse, readCommon, type AssertFieldSpec, type FieldRead, type ProtocolAsserts } from '../../asserts/fields';
import type { HeaderList } from '../../exchange';

export const STATUS_FIELD: AssertFieldSpec = { name: 'status', arg: 'none', type: 'number', exists: 'truthy', httpyac: true, doc: 'The response’s status code.', example: '?? status == 200' };
export const HEADER_FIELD: AssertFieldSpec = {
  name: 'header',
  arg: 'required',
  argHint: 'NAME',
  type: 'any',
  exists: 'truthy',
  httpyac: true,
  doc: 'A response header’s value (the name in any case); a header sent several times gives its values joined with `, ` (Set-Cookie: the list of them), as in httpyac.',
  example: '?? header content-type includes json',
};

export const httpAssertFields: readonly AssertFieldSpec[] = Object.freeze([
  STATUS_FIELD,
  HEADER_FIELD,
  {
    name: 'body',
    arg: 'optional',
    argHint: '$.json.path',
    type: 'any',
    exists: 'truthy',
    httpyac: true,
    doc: 'The body as text; with a JSONPath, the value there (as Hurl’s `jsonpath`: a path of names and indexes gives one value, `[*]`, `..` and filters a list). httpyac’s `body a.b[0]` means `$.a.b[0]`.',
    example: '?? body $.items[0].id == 1',
  },
  {
    name: 'xpath',
    arg: 'required',
    argHint: 'EXPR',
    type: 'any',
    exists: 'truthy',
    httpyac: true,
    doc: 'XPath 1.0 on an XML body: one node gives its text, several a list, none nothing. XML with a DTD is not read.',
    example: '?? xpath /feed/title == News',
  },
  DURATION_FIELD,
  ...TIMING_FIELDS,
  ...TLS_FIELDS,
  ...CONNECTION_FIELDS,
] satisfies AssertFieldSpec[]);

/**
 * A header's value by name in any case; undefined when absent. Repeated headers as Node (and so httpyac) gives
 * them: joined with ', ', but Set-Cookie as the list of its values.
 */
export function headerValue(headers: HeaderList, name: string): string | string[] | undefined {
  const lower = name.toLowerCase();
  const values = headers.filter(([n]) => n.toLowerCase() === lower).map(([, v]) => v);
  if (values.length === 0) return undefined;
  if (lower === 'set-cookie') return values;
  return values.length === 1 ? values[0] : values.join(', ');
}

export const httpAsserts: ProtocolAsserts<HttpExchange> = {
  fields: httpAssertFields,
  read(x, field, arg, ctx): FieldRead {
    const common = readCommon(x, field, arg, ctx.now);
    if (common) return common;
    const r = x.response;
    if (!r) return noResponse(x);
    switch (field) {
      case 'status':
        return { value: r.status };
      case 'header':
        return { value: headerValue(r.headers, arg ?? '') };
      case 'body':
        if (arg === undefined) return { value: bodyTextOf(ctx.cache, r.body), bytes: r.body };
        return readJsonPath(ctx.cache, r.body, arg);
      case 'xpath':
        return readXPath(ctx.cache, r.body, arg ?? '');
    }
    return { error: `HTTP has no field ${field}` };
  },
};
