/**
 * `??` asserts (httpyac's syntax) for every request kind: parse with diagnostics (parse.ts, grammar.ts), read
 * fields through the protocol modules (src/core/protocols/<id>/asserts.ts), evaluate (evaluate.ts, operators.ts).
 */
export * from './types';
export { assertFieldsFor, checkAsserts, parseAsserts, type ParseAssertsOptions } from './parse';
export { checkExpected } from './grammar';
export { evaluateAsserts, shownValue, type EvaluateOptions } from './evaluate';
export type { AssertFieldSpec, AssertValue } from './fields';
export { CANONICAL, NO_VALUE, OPERATOR_DOC, OPERATOR_IDS } from './operators';
