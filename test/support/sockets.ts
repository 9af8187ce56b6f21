/** Request specs for socket tests. */
import { DEFAULT_OPTIONS, type RequestOptions, type TcpRequestSpec } from '../../src/core/request';

export function tcpSpec(port: number, over: Partial<TcpRequestSpec> = {}, options: Partial<RequestOptions> = {}): TcpRequestSpec {
  return {
    kind: 'tcp',
    host: '127.0.0.1',
    port,
    payload: Buffer.alloc(0),
    idleMs: 1000,
    maxBytes: 1024 * 1024,
    halfClose: false,
    hex: false,
    ...over,
    options: { ...DEFAULT_OPTIONS, timeoutMs: 5000, ...options },
  };
}
