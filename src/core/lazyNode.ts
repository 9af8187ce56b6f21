/**
 * Node built-ins that only some requests need, loaded on first use: a CLI run of one plain HTTP request should not
 * pay at start for TLS, UDP, DNS messages, decompression or crypto it never uses (issue 13: CLI start ≤ 1.3× a bare
 * Node start). Types come from `import type`; values from these getters.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
import type * as Crypto from 'node:crypto';
import type * as Dgram from 'node:dgram';
import type * as Dns from 'node:dns';
import type * as FsPromises from 'node:fs/promises';
import type * as Tls from 'node:tls';
import type * as Zlib from 'node:zlib';

function once<T>(load: () => T): () => T {
  let m: T | undefined;
  return () => (m ??= load());
}

export const nodeTls = once(() => require('node:tls') as typeof Tls);
export const nodeDgram = once(() => require('node:dgram') as typeof Dgram);
export const nodeDns = once(() => require('node:dns') as typeof Dns);
export const nodeZlib = once(() => require('node:zlib') as typeof Zlib);
export const nodeCrypto = once(() => require('node:crypto') as typeof Crypto);
export const nodeFsPromises = once(() => require('node:fs/promises') as typeof FsPromises);

/*
 * npm packages only some requests need (esbuild keeps a bundled CommonJS module uninitialised until its first
 * require): XPath and XML for request variables and asserts, aws4 for AWS signing, encodeurl for REST Client forms,
 * dns-packet for DNS. At top level they cost a CLI start several milliseconds each.
 */
export const libJsonPath = once(() => require('jsonpath-plus') as typeof import('jsonpath-plus'));
export const libXpath = once(() => require('xpath') as typeof import('xpath'));
export const libXmldom = once(() => require('@xmldom/xmldom') as typeof import('@xmldom/xmldom'));
export const libAws4 = once(() => require('aws4') as typeof import('aws4'));
export const libEncodeurl = once(() => require('encodeurl') as (url: string) => string);
export const libDnsPacket = once(() => require('dns-packet') as typeof import('dns-packet'));
