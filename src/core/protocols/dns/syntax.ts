/** DNS: `DNS name [TYPE]`, one question to one server (UDP, or TCP with `# @tcp`). */
import type { KindSyntax } from '../syntax';
import { dnsAssertFields } from './assertFields';
import { nameProblems, typeProblem } from './name';

export const dnsKinds = [
  {
    id: 'dns',
    word: 'DNS',
    label: 'DNS',
    example: 'DNS example.com MX',
    target: 'name',
    headers: false,
    body: 'none',
    directives: ['server', 'tcp', 'no-recurse'],
    asserts: dnsAssertFields,
    checkTarget: (name: string, type: string | undefined) => [
      ...nameProblems(name).map((p) => ({ ...p, token: 'target' as const })),
      ...(type !== undefined ? [typeProblem(type)].filter((p) => p !== undefined).map((p) => ({ ...p, token: 'after' as const })) : []),
    ],
  },
] as const satisfies readonly KindSyntax[];
