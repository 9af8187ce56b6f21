import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';

function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('package.json not found');
    dir = up;
  }
  return dir;
}

const SINKS = ['innerHTML', 'outerHTML', 'insertAdjacentHTML', 'document.write', 'DOMParser', 'createContextualFragment', 'srcdoc', 'eval(', 'new Function'];

function sourcesIn(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? sourcesIn(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

describe('webview code has no HTML sinks', () => {
  const root = repoRoot();
  const files = [...sourcesIn(path.join(root, 'src', 'webview')), ...sourcesIn(path.join(root, 'src', 'shared')), ...sourcesIn(path.join(root, 'src', 'common'))];

  it('finds the webview sources', () => {
    for (const name of ['response.ts', 'transcript.ts', 'transcriptView.ts', 'session.ts', 'sessionView.ts', 'parts.ts', 'dom.ts']) {
      assert.ok(files.some((f) => f.endsWith(path.join('webview', name))), name);
    }
    for (const name of ['messages.ts', 'transcript.ts', 'wsInput.ts']) {
      assert.ok(files.some((f) => f.endsWith(path.join('shared', name))), name);
    }
    assert.ok(files.some((f) => f.endsWith(path.join('common', 'format.ts'))), 'common/format.ts');
  });

  for (const sink of SINKS) {
    it(`never uses ${sink}`, () => {
      const hits = files.filter((f) => fs.readFileSync(f, 'utf8').includes(sink)).map((f) => path.relative(root, f));
      assert.deepEqual(hits, []);
    });
  }

  it('never sets inline styles or event-handler attributes', () => {
    for (const f of files) {
      const text = fs.readFileSync(f, 'utf8');
      assert.doesNotMatch(text, /setAttribute\(\s*['"](style|on\w+)['"]/i, path.relative(root, f));
      assert.doesNotMatch(text, /\.style\./, path.relative(root, f));
    }
  });
});
