/**
 * The exchange model's types that the webviews show, for src/webview, which imports nothing but src/shared
 * (test/unit/architecture.test.ts). Type-only re-exports of src/core/exchange.ts: erased at build, so no core
 * code reaches a webview bundle.
 */
export type { ConnectionInfo, HeaderList, NetError, Timings, TlsInfo } from '../core/exchange';
