/**
 * What a block panel (response, transcript) knows about its block's last send: the result shown, the send
 * under way, a refusal, and the answer to the page's last request (copy, save…). One place for how the host's
 * messages change it; the views only draw it. No globals.
 */
import type { RefusedMessage, ReplyMessage, SendingMessage } from '../shared/messages';

export class SendState<R> {
  result?: R;
  sending?: SendingMessage;
  refused?: RefusedMessage;
  reply?: { ok: boolean; text: string };
  private nextId = 1;
  private readonly pending = new Set<number>();

  /** The result came: the send is over, any refusal is old news (the last reply stays). */
  show(result: R): void {
    this.result = result;
    this.sending = undefined;
    this.refused = undefined;
  }

  /** Takes a send, refusal or reply; false when nothing changed (a reply to no request of this page). */
  take(msg: SendingMessage | RefusedMessage | ReplyMessage): boolean {
    switch (msg.type) {
      case 'sending':
        this.sending = msg;
        this.refused = undefined;
        this.reply = undefined;
        return true;
      case 'refused':
        this.refused = msg;
        this.sending = undefined;
        return true;
      case 'reply':
        if (!this.pending.delete(msg.id)) return false;
        this.reply = { ok: msg.ok, text: msg.message ?? (msg.ok ? 'Done.' : 'Failed.') };
        return true;
    }
  }

  /** A new request id; the host's reply with it is shown once. */
  request(): number {
    const id = this.nextId++;
    this.pending.add(id);
    return id;
  }
}
