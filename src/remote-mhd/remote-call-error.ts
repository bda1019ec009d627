/** A call to another community that did not give a usable answer: why, for the fan-out's warning and the circuit breaker. */
export type RemoteFailure =
  /** No answer within the community's timeoutMs (or the body stalled that long). */
  | 'timeout'
  /** Connection refused or reset, TLS handshake refused, DNS. */
  | 'unreachable'
  /** An HTTP error status (`status` says which). */
  | 'status'
  /** An answer that is not what the transaction returns (not a searchset, too large, off-site link). */
  | 'invalid';

export class RemoteCallError extends Error {
  constructor(
    readonly homeCommunityId: string,
    readonly failure: RemoteFailure,
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'RemoteCallError';
  }

  /** Worth retrying: the community may answer next time (not a 4xx, nor an answer it will give again). */
  get transient(): boolean {
    if (this.failure === 'status') return this.status === 408 || this.status === 429 || (this.status ?? 0) >= 500;
    return this.failure !== 'invalid';
  }
}
