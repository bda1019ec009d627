/** rest-hook: the notification Bundle POSTed to the subscriber's endpoint, with its configured headers. */
import type { SubscriptionRecord } from '../domain/subscription';
import type { Channel } from './channel';

/** `Name: value` -> [name, value]; a header the subscription could not have been created with is skipped. */
function headerPairs(lines: readonly string[]): Array<[string, string]> {
  return lines.flatMap((line) => {
    const colon = line.indexOf(':');
    return colon > 0 ? [[line.slice(0, colon).trim(), line.slice(colon + 1).trim()] as [string, string]] : [];
  });
}

export class RestHookChannel implements Channel {
  async send(s: SubscriptionRecord, body: string): Promise<void> {
    const endpoint = s.channel.endpoint;
    if (!endpoint) throw new Error('rest-hook subscription without endpoint');
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: [['Content-Type', 'application/fhir+json'], ...headerPairs(s.channel.headers)],
      body,
      signal: AbortSignal.timeout(s.channel.timeoutSeconds * 1000),
      redirect: 'error',
    });
    // The body is not read: drain it so the connection can be reused.
    await response.arrayBuffer().catch(() => undefined);
    if (!response.ok) throw new Error(`${endpoint} answered ${response.status}`);
  }
}
