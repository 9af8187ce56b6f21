/**
 * One field line of a head or trailer section (RFC 9110 §5, RFC 9112 §5): `name: value`, the name a token,
 * the value OWS-trimmed. The two readers deliberately differ on what a peer gets away with, so that is a
 * rule set, not a second copy:
 *
 * - `CLIENT_RESPONSE` (the client reading a response it shows): lenient but noting. An obs-fold line is
 *   joined to the previous value with one space (RFC 9112 §5.2); a CR or NUL in a value becomes a space and
 *   the caller reports it (RFC 9110 §5.5 allows a recipient to do so). Nothing is forwarded, so no one
 *   downstream can read the message differently.
 * - `PROXY_REQUEST` (a request the proxy forwards): every CTL but HTAB in a value is refused, and obs-fold
 *   is refused: forwarded, they reach an origin that parses them differently.
 * - `PROXY_RESPONSE` (a response the proxy relays): NUL, CR and LF are refused, other bytes pass through as
 *   they came, obs-fold is refused.
 */
import { TOKEN, trimOws } from './tokens';

export interface FieldRules {
  /** What a line starting with SP or HTAB (obs-fold) means: joined to the previous value, or refused. */
  fold: 'join' | 'refuse';
  /** Control bytes in a value: CR and NUL replaced with SP; every CTL but HTAB refused; NUL, CR, LF refused. */
  controls: 'replace-cr-nul' | 'refuse-ctl' | 'refuse-cr-lf-nul';
}

export const CLIENT_RESPONSE: FieldRules = { fold: 'join', controls: 'replace-cr-nul' };
export const PROXY_REQUEST: FieldRules = { fold: 'refuse', controls: 'refuse-ctl' };
export const PROXY_RESPONSE: FieldRules = { fold: 'refuse', controls: 'refuse-cr-lf-nul' };

/** What one line is, or what is wrong with it (the caller says it in its own words). */
export type FieldLine =
  | { kind: 'field'; name: string; value: string; fixed: boolean }
  /** An obs-fold continuation (rules.fold 'join'): the OWS-trimmed text to append to the previous value. */
  | { kind: 'fold'; more: string; fixed: boolean }
  | { kind: 'folded' }
  | { kind: 'no-colon' }
  | { kind: 'empty-name' }
  | { kind: 'bad-name'; name: string }
  | { kind: 'control'; name: string };

const CR_OR_NUL = /[\r\0]/g;
const CR_LF_NUL = /[\0\r\n]/;
// eslint-disable-next-line no-control-regex -- control bytes are what it looks for
const CTL_BUT_HTAB = /[\0-\x08\x0a-\x1f\x7f]/;

/** Whether the value breaks the rules' control-byte policy (for 'replace-cr-nul': whether it needs fixing). */
export function hasControls(value: string, controls: FieldRules['controls']): boolean {
  if (controls === 'refuse-ctl') return CTL_BUT_HTAB.test(value);
  if (controls === 'refuse-cr-lf-nul') return CR_LF_NUL.test(value);
  CR_OR_NUL.lastIndex = 0;
  return CR_OR_NUL.test(value);
}

function clean(value: string, rules: FieldRules): { text: string; fixed: boolean } | undefined {
  if (!hasControls(value, rules.controls)) return { text: trimOws(value), fixed: false };
  if (rules.controls !== 'replace-cr-nul') return undefined;
  return { text: trimOws(value.replace(CR_OR_NUL, ' ')), fixed: true };
}

/**
 * Reads one line (without its line ending). `afterField`: a field came before it in this section, so a
 * line starting with whitespace can be a continuation (with rules.fold 'join'; without one it is read as a
 * field line, whose name then fails).
 */
export function parseFieldLine(line: string, rules: FieldRules, afterField: boolean): FieldLine {
  const first = line.charCodeAt(0);
  if (first === 32 || first === 9) {
    if (rules.fold === 'refuse') return { kind: 'folded' };
    if (afterField) {
      const c = clean(line, rules)!;
      return { kind: 'fold', more: c.text, fixed: c.fixed };
    }
  }
  const colon = line.indexOf(':');
  if (colon < 0) return { kind: 'no-colon' };
  if (colon === 0) return { kind: 'empty-name' };
  const name = line.slice(0, colon);
  if (!TOKEN.test(name)) return { kind: 'bad-name', name };
  const c = clean(line.slice(colon + 1), rules);
  if (!c) return { kind: 'control', name };
  return { kind: 'field', name, value: c.text, fixed: c.fixed };
}
