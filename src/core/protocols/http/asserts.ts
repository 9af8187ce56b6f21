/** HTTP asserts: httpyac's `status`, `header NAME`, `body [$.json.path]`, `xpath EXPR`, plus the shared fields. */
import type { HttpExchange } from '../../exchange';
import { bodyTextOf, readJsonPath, readXPath } from '../../asserts/body';
import { noResponse, readCommon, type FieldRead, type ProtocolAsserts } from '../../asserts/fields';
import { httpAssertFields } from './assertFields';
import type { HeaderList } from '../../exchange';

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
