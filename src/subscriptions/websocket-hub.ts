/**
 * websocket channel: the sockets bound to subscriptions in this process (bind-with-token),
 * and the channel that sends to them. A notification for a subscription bound in another
 * process is NotConnectedHere: that process delivers it (see delivery.ts).
 */
import type { SubscriptionRecord } from '../domain/subscription';
import { NotConnectedHere, type Channel } from './channel';

/** What the hub needs of a socket (the `ws` adapter lives in http/). */
export interface BoundSocket {
  send(text: string): Promise<void>;
  close(code: number, reason: string): void;
}

export class WebsocketHub implements Channel {
  private readonly bound = new Map<string, Set<BoundSocket>>();

  bind(subscriptionId: string, socket: BoundSocket): void {
    let set = this.bound.get(subscriptionId);
    if (!set) this.bound.set(subscriptionId, (set = new Set()));
    set.add(socket);
  }

  unbind(subscriptionId: string, socket: BoundSocket): void {
    const set = this.bound.get(subscriptionId);
    set?.delete(socket);
    if (set?.size === 0) this.bound.delete(subscriptionId);
  }

  has(subscriptionId: string): boolean {
    return this.bound.has(subscriptionId);
  }

  subscriptionIds(): string[] {
    return [...this.bound.keys()];
  }

  async send(s: SubscriptionRecord, body: string): Promise<void> {
    const sockets = [...(this.bound.get(s.id) ?? [])];
    if (sockets.length === 0) throw new NotConnectedHere(s.id);
    await Promise.all(sockets.map((socket) => socket.send(body)));
  }

  /** Closes every socket of a subscription (it was deleted). */
  drop(subscriptionId: string): void {
    for (const socket of this.bound.get(subscriptionId) ?? []) socket.close(1000, 'subscription deleted');
    this.bound.delete(subscriptionId);
  }

  async close(): Promise<void> {
    for (const id of this.subscriptionIds()) {
      for (const socket of this.bound.get(id) ?? []) socket.close(1001, 'gateway stopping');
    }
    this.bound.clear();
  }
}
