/** Configuration of the gateway's TLS: the HTTPS listener, and outbound connections. */

export interface TlsListenerConfig {
  /** Server certificate (PEM), followed by any intermediates the clients need to build the chain. */
  certFile: string;
  keyFile: string;
  /** CA bundle trusted for client certificates; when set, clients must present a certificate signed by it. */
  clientCaFile?: string;
  /**
   * CRL file (PEM, may hold several CRLs) checked for client certificates; requires clientCaFile.
   * Revocation is then checked for every certificate of the client's chain, so it must hold a
   * current CRL of every CA in clientCaFile: a client of a CA without one is refused
   * (UNABLE_TO_GET_CRL), and all clients are refused once a CRL is past its nextUpdate
   * (CRL_HAS_EXPIRED) until a fresh one is loaded (reloadTlsContext / watchTlsContext).
   */
  crlFile?: string;
}

export interface OutboundTlsConfig {
  /** Client certificate (PEM) presented to the peer (ATNA node authentication, cross-community calls). */
  certFile?: string;
  keyFile?: string;
  /** CA bundle the peer's server certificate must chain to; Node's public roots when absent. */
  caFile?: string;
  /** Name to check the server certificate against, when it differs from the host connected to. */
  servername?: string;
}
