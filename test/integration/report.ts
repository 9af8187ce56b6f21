/** The JSON report the integration suite writes (inside the extension host) and the runners read. */
export interface TestResult {
  title: string;
  fullTitle: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs: number;
  error?: { message: string; stack: string };
}

export interface IntegrationReport {
  /** False while tests are still running (the file is rewritten after each test). */
  done: boolean;
  vscodeVersion: string;
  uiKind: 'web' | 'desktop';
  remoteName: string | null;
  node: string;
  startedAt: string;
  passes: number;
  failures: number;
  durationMs: number;
  tests: TestResult[];
  /** Set when the suite could not run at all. */
  error?: string;
}

/** Where the Restricted Mode suite (test/integration/restricted) writes its report, next to the main one. */
export function restrictedReportFile(reportFile: string): string {
  return reportFile.replace(/\.json$/, '') + '.restricted.json';
}

/**
 * The Restricted Mode suite's last test writes `ready` and waits for `checked`: meanwhile the runner looks
 * at the refused block's panel in the page and clicks its button (the extension host ends with the suite).
 */
export function panelCheckFiles(reportFile: string): { ready: string; checked: string } {
  const base = restrictedReportFile(reportFile);
  return { ready: `${base}.panel-ready`, checked: `${base}.panel-checked` };
}
