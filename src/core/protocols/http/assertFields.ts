/** HTTP's assert fields (data: the request kind's syntax lists them; ./asserts.ts reads them). */
import { CONNECTION_FIELDS, DURATION_FIELD, TIMING_FIELDS, TLS_FIELDS, type AssertFieldSpec } from '../../asserts/fields';

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
