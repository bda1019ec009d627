/**
 * A remote community as the community directory (COMMUNITIES_FILE) describes it: how to reach
 * its XCA Responding Gateway and/or its MHD server, with which client certificate and
 * credentials, and how long a call to it may take. Shared by every front end that asks other
 * communities (the XCA Initiating Gateway, MHD routing by `hcid`).
 */
import type tls from 'node:tls';

export type CommunityAuth =
  | { type: 'none' }
  /** OAuth2 client-credentials grant: the gateway's own bearer token for this community. */
  | { type: 'client-credentials'; tokenUrl: string; clientId: string; clientSecretFile: string; scope?: string }
  /** The caller's SAML (XUA) assertion, forwarded in the WS-Security header. */
  | { type: 'saml-forward' };

export interface Community {
  /** urn:oid:… */
  homeCommunityId: string;
  name: string;
  xca?: { queryUrl: string; retrieveUrl: string };
  mhd?: { baseUrl: string };
  /**
   * Set when the community is a foreign country's National Contact Point (eHDSI): its XCA
   * endpoints are called with this NCP's signed HCP + TRC assertions, `xcpdUrl` answers ITI-55.
   */
  ehdsi?: { country: string; xcpdUrl: string };
  /** The files as configured (certFile, keyFile, caFile). */
  tls?: { certFile?: string; keyFile?: string; caFile?: string };
  /** TLS options with the files read (at load, so a missing file fails the load and names the field). */
  tlsOptions: tls.ConnectionOptions;
  auth: CommunityAuth;
  /** Budget of one call to this community (connect to last byte of the answer's envelope). */
  timeoutMs: number;
}

/** An immutable view of the directory; a reload replaces it whole. */
export interface CommunitySnapshot {
  /** Each entry by homeCommunityId. */
  readonly byId: ReadonlyMap<string, Community>;
  /** Increases with each successful load. */
  readonly version: number;
}
