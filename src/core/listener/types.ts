/**
 * The listener's data model that the views show. No imports: the webview's type check (tsconfig.webview.json,
 * no Node types) follows these through src/shared.
 */

/** Datagrams the kernel dropped for a socket; `null`: this system does not say (no /proc/net/udp, or the socket was not found there). */
export type KernelDrops = number | null;
