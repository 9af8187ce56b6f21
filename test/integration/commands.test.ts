import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { extension, netreqApi } from './helpers';

describe('commands', () => {
  before(async () => {
    await netreqApi();
  });

  it('registers every command contributed in package.json', async () => {
    const contributed: string[] = (extension().packageJSON.contributes.commands as Array<{ command: string }>).map((c) => c.command);
    assert.ok(contributed.length >= 8, `package.json contributes ${contributed.length} commands`);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(
      contributed.filter((c) => !registered.has(c)),
      [],
      'contributed but not registered',
    );
    // …and every command a menu or keybinding names is one of them.
    const pkg = extension().packageJSON.contributes;
    const named = [
      ...(pkg.keybindings as Array<{ command: string }>).map((k) => k.command),
      ...Object.values(pkg.menus as Record<string, Array<{ command: string }>>).flat().map((m) => m.command),
    ];
    assert.deepEqual(
      named.filter((c) => !contributed.includes(c)),
      [],
      'used in menus/keybindings but not contributed',
    );
  });
});
