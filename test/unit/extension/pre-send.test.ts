import { strict as assert } from 'node:assert';
import { parseNetreq } from '../../../src/core/netreq';
import { preSend, type PreSendUi } from '../../../src/extension/requests/preSend';

/** Records what Send asked and answers from a script (undefined: Escape / dismissed). */
function scripted(inputs: Array<string | undefined>, confirm?: string): PreSendUi & { asked: unknown[] } {
  const asked: unknown[] = [];
  return {
    asked,
    showInputBox: async (o) => {
      asked.push({ box: o });
      return inputs.shift();
    },
    confirm: async (message, yes, no) => {
      asked.push({ confirm: message, buttons: [yes, no] });
      return confirm;
    },
  };
}

const block = (text: string) => parseNetreq(text, { dialect: 'http' }).blocks[0];

describe('Send: # @disabled, # @prompt and # @note before sending', () => {
  it('# @disabled: skipped, nothing asked', async () => {
    const ui = scripted(['x'], 'Yes');
    assert.deepEqual(await preSend(block('# @disabled\n# @prompt a\n# @note\nDELETE http://h/1'), ui), { go: false, status: 'skipped', message: 'skipped: # @disabled' });
    assert.deepEqual(ui.asked, []);
  });

  it("# @prompt: one box per prompt in file order with REST Client's texts, hidden for password-like names, then # @note", async () => {
    const ui = scripted(['alice', 's3cret'], 'Yes');
    const r = await preSend(block('# @name login\n# @prompt user Your user name\n# @prompt password\n# @note\nPOST http://h/login'), ui);
    assert.deepEqual(r, { go: true, promptValues: { user: 'alice', password: 's3cret' } });
    assert.deepEqual(ui.asked, [
      { box: { prompt: 'Input value for "user"', placeHolder: 'Your user name', password: false, ignoreFocusOut: true } },
      { box: { prompt: 'Input value for "password"', placeHolder: undefined, password: true, ignoreFocusOut: true } },
      { confirm: 'Are you sure you want to send the request "login"?', buttons: ['Yes', 'No'] },
    ]);
  });

  it('an empty answer is a value; Escape on any box cancels the send (and nothing more is asked)', async () => {
    assert.deepEqual(await preSend(block('# @prompt a\nGET http://h/'), scripted([''])), { go: true, promptValues: { a: '' } });
    const ui = scripted([undefined, 'never'], 'Yes');
    assert.deepEqual(await preSend(block('# @prompt a\n# @prompt b\n# @note\nGET http://h/'), ui), { go: false, status: 'cancelled', message: 'cancelled: no value for # @prompt a' });
    assert.equal(ui.asked.length, 1);
  });

  it('# @note: only Yes sends; No or dismissing sends nothing', async () => {
    const b = block('# @note careful\nDELETE http://h/users/1');
    assert.deepEqual(await preSend(b, scripted([], 'Yes')), { go: true, promptValues: undefined });
    for (const answer of ['No', undefined]) {
      const ui = scripted([], answer);
      assert.deepEqual(await preSend(b, ui), { go: false, status: 'cancelled', message: 'cancelled: not confirmed (# @note)' });
      assert.deepEqual(ui.asked, [{ confirm: 'Are you sure you want to send this request?', buttons: ['Yes', 'No'] }]);
    }
  });

  it('a block without these directives goes without asking anything', async () => {
    const ui = scripted([]);
    assert.deepEqual(await preSend(block('GET http://h/'), ui), { go: true, promptValues: undefined });
    assert.deepEqual(ui.asked, []);
  });
});
