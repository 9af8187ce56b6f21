// examples/asserts-*.netreq: they parse without a problem, and every assert in them passes against the demo
// servers (and dnsmasq for DNS), with the ports passed as variables the way the examples test does.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startDemoServers, type DemoServers } from '../../../src/core/demo';
import { parseNetreq } from '../../../src/core/netreq';
import { tempDir, type Peer } from '../../support/peers';
import { startDnsmasq } from '../protocols/dns/peers';
import { runText } from './run';

const EXAMPLES = path.resolve(__dirname, '../../../../examples');
const FILES = fs.readdirSync(EXAMPLES).filter((f) => f.startsWith('asserts-') && f.endsWith('.netreq'));

describe('examples/asserts-*.netreq', function () {
  this.timeout(60_000);
  let demo: DemoServers;
  let dnsmasq: Peer;
  let dir: string;
  let vars: Record<string, string>;
  before(async () => {
    dir = tempDir('asserts-examples');
    demo = await startDemoServers({ qotdPort: 0, daytimePort: 0, echoPort: 0, wsPort: 0, httpPort: 0, httpsPort: 0, certDir: dir });
    dnsmasq = await startDnsmasq();
    const port = (name: string) => String(demo.servers.find((s) => s.name === name)!.port);
    vars = { host: '127.0.0.1', httpPort: port('http'), httpsPort: port('https'), qotdPort: port('qotd'), daytimePort: port('daytime'), echoPort: port('echo'), wsPort: port('ws'), dns: `127.0.0.1:${dnsmasq.port}` };
  });
  after(async () => {
    await demo?.stop();
    await dnsmasq?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('there is one per protocol family', () => {
    assert.deepEqual(FILES.sort(), ['asserts-dns.netreq', 'asserts-http.netreq', 'asserts-sockets.netreq', 'asserts-websocket.netreq']);
  });

  for (const file of FILES) {
    it(`${file} parses without a problem, and every assert passes against its peers`, async () => {
      const text = fs.readFileSync(path.join(EXAMPLES, file), 'utf8');
      const doc = parseNetreq(text);
      assert.deepEqual(doc.diagnostics.filter((d) => d.code !== 'undefined-variable'), [], 'only the environment\'s variables are unknown to the file alone');
      const asserted = doc.blocks.filter((b) => b.asserts.length > 0).length;
      assert.equal(asserted, doc.blocks.filter((b) => b.requestLine).length, 'every block has asserts');
      const run = await runText(text, { vars });
      const bad = run.blocks.flatMap((b) => b.outcomes).filter((o) => o.status !== 'passed');
      assert.deepEqual(bad.map((o) => o.message), []);
      assert.ok(run.blocks.flatMap((b) => b.outcomes).length >= 6);
    });
  }
});
