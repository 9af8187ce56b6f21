/**
 * Secrets out of reports: every string a `netreq test` reporter writes goes through `Masker.text` first. The values
 * come from the resolver (`ResolveResult.secrets`: {{$processEnv}}, {{$dotenv}}, secret environment variables);
 * header values named in the redact list are masked where an assert reads them.
 */
export const SECRET = '‹secret›';
export const REDACTED = '‹redacted›';
/** Shorter values are not masked: hiding every "1" or "ok" would make reports unreadable, and they are not secrets. */
export const MIN_SECRET_CHARS = 3;
/** Most distinct secrets kept (each report string is searched for each). */
export const MAX_SECRETS = 1000;

export class Masker {
  private readonly values = new Set<string>();
  private sorted: string[] | undefined = [];
  private readonly redact: Set<string>;

  constructor(redactHeaders: readonly string[]) {
    this.redact = new Set(redactHeaders.map((h) => h.toLowerCase()));
  }

  add(values: readonly string[] | undefined): void {
    for (const v of values ?? []) {
      if (v.length < MIN_SECRET_CHARS || this.values.size >= MAX_SECRETS) continue;
      for (const form of [v, encodeURIComponent(v), JSON.stringify(v).slice(1, -1)]) {
        if (!this.values.has(form)) {
          this.values.add(form);
          this.sorted = undefined;
        }
      }
    }
  }

  isRedactedHeader(name: string | undefined): boolean {
    return name !== undefined && this.redact.has(name.trim().toLowerCase());
  }

  text(s: string): string;
  text(s: string | undefined): string | undefined;
  text(s: string | undefined): string | undefined {
    if (!s || this.values.size === 0) return s;
    this.sorted ??= [...this.values].sort((a, b) => b.length - a.length);
    let out = s;
    for (const v of this.sorted) if (out.includes(v)) out = out.split(v).join(SECRET);
    return out;
  }
}
