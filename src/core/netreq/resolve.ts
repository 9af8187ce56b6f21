/**
 * Block → RequestSpec: substitutes variables, applies directives over ctx.defaults, and builds
 * the spec for the block's protocol. Never throws; every problem is a diagnostic, and any
 * error makes the result `ok: false`.
 */
import type { RequestOptions, RequestSpec } from '../request';
import { effectiveDirectives, DIRECTIVES, type EffectiveDirectives } from './directives';
import { Codes, capDiagnostics, errorText } from './diag';
import { errorsBetween } from './docIndex';
import { hasEnvironment } from './environments';
import { notSent } from './interactive';
import { moduleForProtocol } from '../protocols/registry';
import type { ResolveEnv } from './resolveCommon';
import type { Block, Diagnostic, Directive, NetreqDocument, ResolveContext, ResolveResult } from './types';
import { VariableResolver, type ResolverOptions } from './variables';
import { assertFieldsFor, parseAsserts } from '../asserts/parse';
import { checkExpected } from '../asserts/grammar';
import type { AssertCheck } from '../asserts/types';

export async function resolveBlock(doc: NetreqDocument, block: Block, ctx: ResolveContext): Promise<ResolveResult> {
  return resolveBlockWith(doc, block, ctx, {});
}

/** resolveBlock with test hooks (a fixed random source for $randomInt). */
export async function resolveBlockWith(
  doc: NetreqDocument,
  block: Block,
  ctx: ResolveContext,
  opts: ResolverOptions,
): Promise<ResolveResult> {
  try {
    return await resolveInner(doc, block, ctx, opts);
  } catch (e) {
    const line = block?.requestLine?.line ?? block?.startLine ?? 0;
    return {
      ok: false,
      diagnostics: [
        {
          span: { start: { line, col: 0 }, end: { line, col: 0 } },
          severity: 'error',
          code: Codes.internalError,
          message: `Could not prepare this request: ${errorText(e)} (please report this)`,
        },
      ],
    };
  }
}

async function resolveInner(doc: NetreqDocument, block: Block, ctx: ResolveContext, opts: ResolverOptions): Promise<ResolveResult> {
  const rl = block.requestLine;
  if (!rl) {
    return {
      ok: false,
      diagnostics: [
        {
          span: { start: { line: block.startLine, col: 0 }, end: { line: block.startLine, col: 3 } },
          severity: 'error',
          code: Codes.missingRequestLine,
          message: 'This block has no request line to send (e.g. GET http://127.0.0.1:8080/ or TCP host:port)',
        },
      ],
    };
  }
  const parseErrors = errorsBetween(doc, block.startLine, block.endLine);
  if (parseErrors.length > 0) return { ok: false, diagnostics: parseErrors };
  const unsent = notSent(block, ctx);
  if (unsent) return { ok: false, diagnostics: unsent };

  const vars = new VariableResolver(doc, block, ctx, opts);
  const diags: Diagnostic[] = [];
  if (ctx.environmentName && ctx.environmentName !== '$shared' && !hasEnvironment(ctx.environments, ctx.environmentName)) {
    diags.push({
      span: rl.targetSpan,
      severity: 'warning',
      code: Codes.unknownEnvironment,
      message: `Environment '${ctx.environmentName}' is not defined; only $shared variables apply`,
    });
  }
  const eff = await resolveDirectives(block, vars, diags);
  const env: ResolveEnv = { doc, block, ctx, vars, eff, options: buildOptions(ctx.defaults, eff), diags };
  const request: RequestSpec | undefined = await moduleForProtocol(rl.protocol).resolve(env);
  const asserts = await resolveAsserts(doc, block, vars, diags);
  const all = capDiagnostics([...diags, ...vars.diagnostics]); // at most MAX_SAME_DIAGNOSTICS per code, then a count
  if (!request || all.some((d) => d.severity === 'error')) {
    if (!all.some((d) => d.severity === 'error')) {
      all.push({ span: rl.targetSpan, severity: 'error', code: Codes.internalError, message: 'Could not prepare this request' });
    }
    return { ok: false, diagnostics: all };
  }
  return { ok: true, request, diagnostics: all, asserts, secrets: vars.secrets.size ? [...vars.secrets] : undefined };
}

/**
 * The block's `??` lines, parsed, with `{{variables}}` in their expected values expanded (and checked again:
 * a number where one is compared, a valid pattern). The parser reported the lines' own problems already.
 */
async function resolveAsserts(doc: NetreqDocument, block: Block, vars: VariableResolver, diags: Diagnostic[]): Promise<AssertCheck[]> {
  if (block.asserts.length === 0 || !block.requestLine) return [];
  const protocol = block.requestLine.protocol;
  const checks = parseAsserts(block.asserts, [], { protocol, dialect: doc.dialect });
  const fields = assertFieldsFor(protocol);
  for (const c of checks) {
    if (c.expected !== undefined && c.expected.indexOf('{{') >= 0) {
      c.expectedWritten = c.expected;
      c.expected = await vars.expand(c.expected, { line: c.line, col: Math.max(0, c.span.end.col - c.expected.length) });
      checkExpected(c, c.expected, fields.find((f) => f.name === c.field), doc.dialect, diags);
    }
  }
  return checks;
}

/** Substitutes variables in directive values (except @name), then parses them. */
async function resolveDirectives(block: Block, vars: VariableResolver, diags: Diagnostic[]): Promise<EffectiveDirectives> {
  const list: Array<{ directive: Directive; value: string }> = [];
  for (const d of block.directives) {
    const spec = DIRECTIVES[d.key];
    if (!spec || spec.ignored) continue;
    let value = d.value;
    if (d.key !== 'name' && value.indexOf('{{') >= 0) {
      value = await vars.expand(value, { line: d.line, col: Math.max(0, d.span.end.col - d.value.length) });
    }
    list.push({ directive: d, value });
  }
  const { effective, problems } = effectiveDirectives(list);
  for (const p of problems) {
    diags.push({ span: p.directive.span, severity: 'error', code: Codes.badDirectiveValue, message: `@${p.directive.key}: ${p.message}` });
  }
  return effective;
}

/** ctx.defaults with the block's directives on top. */
export function buildOptions(defaults: RequestOptions, eff: EffectiveDirectives): RequestOptions {
  const o: RequestOptions = { ...defaults };
  if (eff.timeoutMs !== undefined) o.timeoutMs = eff.timeoutMs;
  if (eff.insecure !== undefined) o.insecure = eff.insecure;
  if (eff.noPool !== undefined) o.noPool = eff.noPool;
  if (eff.proxy !== undefined) o.proxy = eff.proxy;
  return o;
}
