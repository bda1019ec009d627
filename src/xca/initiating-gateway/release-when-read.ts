/**
 * Remote retrieve answers hold an HTTP response (and maybe spool files) open until their
 * documents are read. Each answer is released once every one of its documents' streams has
 * ended or failed, or, for documents nobody opens (the consumer went away mid-reply), after a
 * grace period, so an abandoned reply cannot keep a connection to another community open.
 */
import type { Readable } from 'node:stream';
import type { RemoteDocument } from '../../communities/ports';
import type { RemoteRetrieveOutcome } from '../../communities/remote-retrieve';

/** How long an answer's unread documents may wait for the reply writer. */
const UNREAD_GRACE_MS = 5 * 60_000;

export function releaseWhenRead(outcomes: readonly RemoteRetrieveOutcome[]): RemoteDocument[] {
  return outcomes.flatMap((outcome) => {
    const release = () => void outcome.dispose().catch(() => undefined);
    if (outcome.documents.length === 0) {
      release();
      return [];
    }
    let open = outcome.documents.length;
    const timer = setTimeout(release, UNREAD_GRACE_MS);
    timer.unref();
    const done = () => {
      if (--open === 0) {
        clearTimeout(timer);
        release();
      }
    };
    return outcome.documents.map((d): RemoteDocument => ({
      ...d,
      open: (): Readable => {
        const stream = d.open();
        stream.once('close', done);
        return stream;
      },
    }));
  });
}
