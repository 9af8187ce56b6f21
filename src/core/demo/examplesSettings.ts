/**
 * Pointing the examples at the demo servers actually running: `npm start -- --http-port 9090 …` writes the ports
 * it used into the `$shared` environment of examples/.vscode/settings.json, so the first Send reaches the servers
 * instead of "connection refused" on a default port. Text in, text out: only the `"name": "value"` lines of the
 * port variables inside `$shared` change; comments, order and every other line stay as they are.
 */

/** The `$shared` variable of each demo server's port (DemoServerInfo.name → variable). */
export const EXAMPLE_PORT_VARIABLES: Readonly<Record<string, string>> = Object.freeze({
  http: 'httpPort',
  https: 'httpsPort',
  qotd: 'qotdPort',
  daytime: 'daytimePort',
  echo: 'echoPort',
  ws: 'wsPort',
});

/** The ports examples/.vscode/settings.json names by default (the demo servers' defaults). */
export const EXAMPLE_DEFAULT_PORTS: Readonly<Record<string, number>> = Object.freeze({ http: 8080, https: 8443, qotd: 8017, daytime: 8013, echo: 8007, ws: 8081 });

/** `--var httpPort=9090 …` for the servers not on the examples' default ports ('' when all are). */
export function exampleVarFlags(servers: ReadonlyArray<{ name: string; port: number }>): string {
  return servers
    .filter((s) => EXAMPLE_PORT_VARIABLES[s.name] && EXAMPLE_DEFAULT_PORTS[s.name] !== s.port)
    .map((s) => `--var ${EXAMPLE_PORT_VARIABLES[s.name]}=${s.port}`)
    .join(' ');
}

export interface PortsUpdate {
  text: string;
  /** `httpPort 8080 → 9090` for each value that changed. */
  changed: string[];
}

/** Sets the port variables of `$shared` in a settings.json text to the ports the servers use. */
export function pointExamplesAt(text: string, servers: ReadonlyArray<{ name: string; port: number }>): PortsUpdate {
  const want = new Map<string, string>();
  for (const s of servers) {
    const v = EXAMPLE_PORT_VARIABLES[s.name];
    if (v) want.set(v, String(s.port));
  }
  const lines = text.split('\n');
  const changed: string[] = [];
  let inShared = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!inShared) {
      if (/^\s*"\$shared"\s*:\s*\{\s*$/.test(line)) inShared = true;
      continue;
    }
    if (/^\s*\}/.test(line)) break;
    const m = /^(\s*"([A-Za-z]+)"\s*:\s*")(\d*)(".*)$/.exec(line);
    if (!m || !want.has(m[2]) || want.get(m[2]) === m[3]) continue;
    changed.push(`${m[2]} ${m[3]} → ${want.get(m[2])}`);
    lines[i] = `${m[1]}${want.get(m[2])}${m[4]}`;
  }
  return { text: lines.join('\n'), changed };
}
