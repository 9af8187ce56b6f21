/**
 * JUnit XML for CI (docs/compatibility-research.md §3.2): one <testsuite> per file, one <testcase> per assert
 * (httpyac's unit, §2.7, so both tools' counts agree), with classname = the file, file and line attributes (GitHub
 * annotations), time in seconds, <failure message type> for asserts, <error> for requests that failed, <skipped>,
 * and <system-out> with the request and its response line. Cases come masked; every string is escaped for XML 1.0
 * (characters XML cannot hold are written as visible escapes first).
 */
import * as path from 'node:path';
import { safeLine, safeText } from '../../core/text';
import type { TestCase, Totals } from './cases';
import type { FileResult } from './runner';


const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
/** An attribute: one line, escaped (a line break in an attribute would be normalised away by XML readers). */
const attr = (s: string) => xml(safeLine(s));
/** Element text: line breaks kept, other controls escaped. */
const body = (s: string) => xml(safeText(s));
const secs = (n: number) => n.toFixed(3);

/** The path CI reporters show and annotate: relative to the working directory (the checkout), with `/`. */
export function reportPath(file: string, cwd: string): string {
  const rel = path.relative(cwd, path.resolve(cwd, file));
  return (rel.startsWith('..') || path.isAbsolute(rel) ? path.resolve(cwd, file) : rel).split(path.sep).join('/');
}

export function junitXml(files: readonly { file: FileResult; cases: readonly TestCase[] }[], t: Totals, cwd: string): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(`<testsuites name="netreq" tests="${t.tests}" failures="${t.failed}" errors="${t.errors}" skipped="${t.skipped}" time="${secs(t.durationMs / 1000)}">`);
  for (const { file: f, cases } of files) {
    const rel = reportPath(f.file, cwd);
    const count = (s: TestCase['status']) => cases.filter((c) => c.status === s).length;
    out.push(
      `  <testsuite name="${attr(rel)}" tests="${cases.length}" failures="${count('failed')}" errors="${count('error')}" skipped="${count('skipped')}" time="${secs(f.durationMs / 1000)}" timestamp="${f.timestamp}" file="${attr(rel)}">`,
    );
    for (const p of f.problems) out.push(`    <system-err>${body(p)}</system-err>`);
    for (const c of cases) {
      const open = `    <testcase classname="${attr(rel)}" name="${attr(c.name)}" file="${attr(rel)}" line="${c.line}" time="${secs(c.time)}" assertions="1"`;
      if (c.status === 'passed') {
        out.push(`${open}/>`);
        continue;
      }
      out.push(`${open}>`);
      const detail = [c.expected !== undefined ? `expected: ${c.expected}` : '', c.actual !== undefined ? `actual: ${c.actual}` : ''].filter(Boolean).join('\n');
      if (c.status === 'skipped') out.push(`      <skipped message="${attr(c.message ?? '')}"/>`);
      else if (c.status === 'error') out.push(`      <error message="${attr(c.message ?? 'request failed')}" type="RequestError">${body(detail || (c.message ?? ''))}</error>`);
      else out.push(`      <failure message="${attr(c.message ?? 'failed')}" type="AssertionError">${body(detail || (c.message ?? ''))}</failure>`);
      const so = [c.request, c.response ? `→ ${c.response}` : '', `${rel}:${c.line}`].filter(Boolean).join('\n');
      out.push(`      <system-out>${body(so)}</system-out>`);
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>', '');
  return out.join('\n');
}
