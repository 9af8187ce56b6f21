// Type-only shim for the webview program (DOM lib, no Node types). src/shared/messages.ts imports the
// exchange JSON *types* from src/core/serialize.ts, whose declarations mention Node's Buffer. The webview
// never touches a Buffer at runtime (there is no `declare var Buffer`), so any real use fails to compile.
interface Buffer extends Uint8Array {
  toString(encoding?: string): string;
  subarray(start?: number, end?: number): Buffer;
}
