/**
 * Completion and hover on `??` assert lines: the fields of the block's request kind (from its protocol's syntax),
 * a field's argument (`duration` phases, `header` names), the operators; a hover per field with an example and
 * per operator. Plain data, used by assist.ts.
 */
import { assertFieldsFor } from '../asserts/parse';
import type { AssertFieldSpec } from '../asserts/fields';
import { CANONICAL, NO_VALUE, OPERATOR_DOC, OPERATOR_IDS } from '../asserts/operators';
import { protocolLabel, type Protocol } from '../protocols/kinds';
import type { Completion, HoverInfo } from './assist';
import { HEADER_NAMES } from './help';

const ASSERT_PREFIX = /^(\s*\?\?\s*)/;
const code = (v: string) => '`' + v.replace(/`/g, 'ˋ') + '`';

function fieldDoc(f: AssertFieldSpec, protocol: Protocol): string {
  const usage = `?? ${f.name}${f.arg === 'required' ? ` ${f.argHint ?? 'ARG'}` : f.arg === 'optional' ? ` [${f.argHint ?? 'ARG'}]` : ''} OPERATOR [VALUE]`;
  const origin = f.httpyac ? 'httpyac’s field' : 'NetReq’s own field';
  return `${code(usage)} — ${protocolLabel(protocol)}, ${f.type === 'any' ? 'text or a value from the body' : f.type}; ${origin}\n\n${f.doc}\n\nExample: ${code(f.example)}`;
}

/** httpyac's ids that never work as written (`===`, `!==`, `not equals`: see grammar.ts) are not offered. */
const OFFERED = OPERATOR_IDS.filter((o) => o !== '===' && o !== '!==' && o !== 'not equals');

function operatorCompletions(from: number): Completion[] {
  return OFFERED.map((op, i) => ({
    label: op,
    kind: 'operator' as const,
    insert: NO_VALUE.has(op) ? op : `${op} `,
    from,
    detail: CANONICAL[op] ? `same as ${CANONICAL[op]}` : OPERATOR_DOC[op],
    rank: CANONICAL[op] ? 2 : i < 8 ? 0 : 1,
  }));
}

/** Completions on a `??` line (undefined: the line is not an assert line). */
export function assertCompletions(prefix: string, protocol: Protocol | undefined): Completion[] | undefined {
  const head = ASSERT_PREFIX.exec(prefix);
  if (!head) return undefined;
  if (!protocol) return [];
  const fields = assertFieldsFor(protocol);
  const rest = prefix.slice(head[1].length);
  const words = rest.split(/\s+/);
  const typing = words[words.length - 1];
  const from = prefix.length - typing.length;
  if (words.length === 1) {
    return fields.map((f, i) => ({ label: f.name, kind: 'field' as const, insert: `${f.name} `, from, detail: f.example, doc: fieldDoc(f, protocol), rank: f.httpyac ? 0 : i < 12 ? 1 : 2 }));
  }
  if (words.slice(1, -1).some((w) => OPERATOR_IDS.includes(w))) return [];
  const spec = fields.find((f) => f.name === words[0]);
  if (!spec) return [];
  if (words.length === 2 && spec.arg !== 'none') {
    const args = spec.argValues ?? (spec.name === 'header' ? HEADER_NAMES.map((h) => h.toLowerCase()) : []);
    const argItems = args.map((a) => ({ label: a, kind: 'value' as const, insert: `${a} `, from, detail: `${spec.name} ${spec.argHint ?? ''}`.trim() }));
    return spec.arg === 'required' ? argItems : [...argItems, ...operatorCompletions(from)];
  }
  return operatorCompletions(from);
}

/** The hover on a `??` line: the field (with an example) or the operator under the cursor. */
export function assertHover(text: string, col: number, protocol: Protocol | undefined): HoverInfo | undefined {
  const head = ASSERT_PREFIX.exec(text);
  if (!head || !protocol) return undefined;
  const fieldMatch = /^\S+/.exec(text.slice(head[1].length));
  if (!fieldMatch) return undefined;
  const from = head[1].length;
  const to = from + fieldMatch[0].length;
  if (col >= from && col < to) {
    const spec = assertFieldsFor(protocol).find((f) => f.name === fieldMatch[0]);
    const markdown = spec
      ? fieldDoc(spec, protocol)
      : `${code(fieldMatch[0])} is not an assert field of ${protocolLabel(protocol)} requests. Fields: ${assertFieldsFor(protocol).map((f) => code(f.name)).join(', ')}.`;
    return { from, to, markdown };
  }
  for (const m of text.matchAll(/(?<=\s)(\S+)(?=\s|$)/g)) {
    const op = m[1];
    if (!OPERATOR_IDS.includes(op) || m.index! <= from) continue;
    if (col < m.index! || col >= m.index! + op.length) continue;
    const same = CANONICAL[op] ? ` (the same as ${code(CANONICAL[op])})` : '';
    const doc = OPERATOR_DOC[CANONICAL[op] ?? op] ?? '';
    return { from: m.index!, to: m.index! + op.length, markdown: `Operator ${code(op)}${same}: ${doc}.${NO_VALUE.has(op) ? ' Takes no value.' : ''}` };
  }
  return undefined;
}
