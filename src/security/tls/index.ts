/** TLS for the gateway: the HTTPS listener with mutual TLS and CRLs, and outbound calls. */
export type { OutboundTlsConfig, TlsListenerConfig } from './config';
export { httpsServerOptions } from './server-options';
export { reloadTlsContext, watchTlsContext, type TlsWatch, type TlsWatchOptions } from './reload';
export { clientCertificateOf, type ClientCertificateIdentity } from './client-certificate';
export { NO_CLIENT_CERTIFICATE, onClientCertificateRejected, type ClientCertificateRejection } from './rejections';
export { outboundTlsOptions } from './outbound';
export { crlValidity, splitPemCrls, type CrlValidity } from './crl';
export { MIN_TLS_VERSION } from './secure-context';
