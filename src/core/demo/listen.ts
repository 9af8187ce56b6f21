/** Listening for the demo servers: errors that name the port and the option to change it. */
import * as net from 'node:net';
import { hostPort } from '../transport/address';
import type { DemoServerDefinition } from './index';

/** A demo server could not start; the message says what to do. */
export class DemoServerError extends Error {}

/** Listens, turning "address in use" and friends into a sentence naming the port and the option to change it. */
export function listen(server: net.Server, def: Pick<DemoServerDefinition, 'name' | 'portOption'>, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      const where = hostPort(host, port);
      if (e.code === 'EADDRINUSE')
        reject(new DemoServerError(`cannot start the ${def.name} demo server: port ${port} on ${host} is already in use (another demo server, or another program); choose another port with ${def.portOption} P, or stop what uses it`));
      else if (e.code === 'EACCES')
        reject(new DemoServerError(`cannot start the ${def.name} demo server on ${where}: permission denied (ports below 1024 need privileges); choose another port with ${def.portOption} P`));
      else if (e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN')
        reject(new DemoServerError(`cannot start the ${def.name} demo server: ${host} is not an address of this machine; use --host 127.0.0.1`));
      else reject(new DemoServerError(`cannot start the ${def.name} demo server on ${where}: ${e.message}`));
    };
    const onListening = () => {
      server.off('error', onError);
      resolve((server.address() as net.AddressInfo).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ host, port, exclusive: true });
  });
}

