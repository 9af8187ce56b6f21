/**
 * One numbering for every connection NetReq opens in this process, pooled (HTTP/HTTPS) or not (TCP/TLS
 * sessions, WebSockets): "connection #3" names one socket, whichever panel shows it.
 */
let next = 1;

/** The next connection number (1, 2, 3, … for the life of the process). */
export function nextConnectionId(): number {
  return next++;
}
