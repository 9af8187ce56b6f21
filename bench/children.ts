/**
 * Helper processes for the service benchmarks, each in its own process so that it has its own event loop
 * (and, with two cores, its own share of the machine): `node out/bench/children.js ROLE ...`.
 * They talk to the benchmark over IPC: `{ ready: port }` once listening, `{ result }` at the end.
 *
 * - source BYTES            a TCP server sending BYTES of data to each connection, then closing it
 * - sink PORT [PROXY]       connects to 127.0.0.1:PORT (through PROXY's CONNECT tunnel when given), counts bytes until the end
 * - soak URL PROXY N C      N GETs of URL through the proxy from C concurrent keep-alive clients (each client opens
 *                           a fresh connection every 100 requests); counts statuses and errors
 * - mcast GROUP PORT RATE S sends RATE datagrams/s to GROUP:PORT on the loopback interface for S seconds
 *
 * Every loop is bounded (bytes, request count, seconds), every child has a deadline, and every peer is on 127.0.0.1.
 */
import * as dgram from 'node:dgram';
import * as http from 'node:http';
import * as net from 'node:net';

const send = (m: unknown) => process.send?.(m);

function source(bytes: number): void {
  const block = Buffer.alloc(256 * 1024, 0x5a);
  const server = net.createServer((s) => {
    let left = bytes;
    s.on('error', () => s.destroy());
    const pump = () => {
      while (left > 0) {
        const n = Math.min(left, block.length);
        left -= n;
        if (!s.write(n === block.length ? block : block.subarray(0, n))) return void s.once('drain', pump);
      }
      s.end();
    };
    pump();
  });
  server.listen(0, '127.0.0.1', () => send({ ready: (server.address() as net.AddressInfo).port }));
  process.on('disconnect', () => process.exit(0));
}

function sink(port: number, proxy?: number): void {
  const t0 = performance.now();
  const s = net.connect({ host: '127.0.0.1', port: proxy ?? port });
  let bytes = 0;
  let tunnelOpen = proxy === undefined;
  let tStart = t0;
  let head = Buffer.alloc(0);
  s.on('connect', () => {
    if (proxy !== undefined) s.write(`CONNECT 127.0.0.1:${port} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
  });
  s.on('data', (d: Buffer) => {
    if (!tunnelOpen) {
      head = Buffer.concat([head, d]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      if (!/^HTTP\/1\.[01] 200/.test(head.toString('latin1'))) {
        send({ error: `the proxy refused the tunnel: ${head.subarray(0, head.indexOf('\r\n')).toString('latin1')}` });
        return void s.destroy();
      }
      tunnelOpen = true;
      tStart = performance.now();
      bytes += head.length - end - 4;
      return;
    }
    bytes += d.length;
  });
  s.on('error', (e) => send({ error: e.message }));
  s.on('close', () => {
    send({ result: { bytes, ms: performance.now() - tStart, setupMs: tStart - t0 } });
    process.disconnect?.();
  });
}

async function soak(url: string, proxyPort: number, total: number, clients: number): Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const statuses: Record<string, number> = {};
  const errors: Record<string, number> = {};
  let next = 0;
  let done = 0;
  const latencies: number[] = [];
  const one = (fresh: boolean) =>
    new Promise<void>((resolve) => {
      const t = performance.now();
      const req = http.request({ host: '127.0.0.1', port: proxyPort, path: url, agent: fresh ? false : agent, headers: { Host: new URL(url).host, ...(fresh ? { Connection: 'close' } : {}) }, timeout: 30_000 }, (res) => {
        res.resume();
        res.on('end', () => {
          statuses[res.statusCode ?? 0] = (statuses[res.statusCode ?? 0] ?? 0) + 1;
          if (latencies.length < 200_000) latencies.push(performance.now() - t);
          resolve();
        });
        res.on('error', (e) => {
          errors[e.message] = (errors[e.message] ?? 0) + 1;
          resolve();
        });
      });
      req.on('timeout', () => req.destroy(new Error('no answer within 30 s')));
      req.on('error', (e: NodeJS.ErrnoException) => {
        errors[e.code ?? e.message] = (errors[e.code ?? e.message] ?? 0) + 1;
        resolve();
      });
      req.end();
    });
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = 0; next < total; i++) {
        next++;
        await one(i % 100 === 99);
        done++;
      }
    }),
  );
  const ms = performance.now() - t0;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
  send({ result: { done, ms, statuses, errors, p50: pct(50), p99: pct(99) } });
  process.disconnect?.();
}

function mcast(group: string, port: number, rate: number, seconds: number): void {
  const s = dgram.createSocket({ type: 'udp4', reuseAddr: true });
  s.bind(0, '127.0.0.1', () => {
    s.setMulticastInterface('127.0.0.1');
    s.setMulticastLoopback(true);
    s.setMulticastTTL(0);
    const total = rate * seconds;
    const payload = Buffer.alloc(64, 0x2e);
    let sent = 0;
    let acked = 0;
    let answered = 0;
    const t0 = performance.now();
    // Paced in 2 ms slices: each slice sends what the clock says is due, so bursts stay small.
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * rate));
      while (sent < due) {
        payload.writeUInt32BE(sent, 0);
        sent++;
        s.send(payload, port, group, (err) => {
          if (!err) acked++;
          // Every send answers once; a failed one is not counted as sent (the row compares received with sent).
          if (++answered === total) finish();
        });
      }
      if (sent < total) setTimeout(tick, 2);
    };
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      send({ result: { sent: acked, ms: performance.now() - t0 } });
      s.close();
      process.disconnect?.();
    };
    setTimeout(() => finish(), (seconds + 10) * 1000).unref();
    tick();
  });
}

const [role, ...args] = process.argv.slice(2);

// A child never outlives the bench: it ends when the bench goes away, and at its own deadline (the bench gives it
// in NETREQ_BENCH_CHILD_MS, a little past the bench's own, which kills it and records a timeout first).
process.on('disconnect', () => process.exit(0));
const deadlineMs = Number(process.env.NETREQ_BENCH_CHILD_MS);
if (deadlineMs > 0) {
  setTimeout(() => {
    console.error(`bench child ${role}: no result within ${deadlineMs / 1000} s, ending`);
    process.exit(3);
  }, deadlineMs).unref();
}
switch (role) {
  case 'source':
    source(Number(args[0]));
    break;
  case 'sink':
    sink(Number(args[0]), args[1] ? Number(args[1]) : undefined);
    break;
  case 'soak':
    void soak(args[0], Number(args[1]), Number(args[2]), Number(args[3]));
    break;
  case 'mcast':
    mcast(args[0], Number(args[1]), Number(args[2]), Number(args[3]));
    break;
  default:
    console.error(`unknown role ${role}`);
    process.exit(2);
}
