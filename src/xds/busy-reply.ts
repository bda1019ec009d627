/**
 * The answer to a client over its rate limit: the transaction's own response with status
 * Failure and XDSRegistryBusy (XDSRepositoryBusy for the repository's retrieve and removal),
 * the ITI TF-3 4.2.4 codes for "too busy, retry later", so that an XDS client handles it as
 * the transient error it is rather than as a broken message.
 */
import { XdsErrorCode } from '../domain/error-codes';
import type { RegistryErrorDetail } from '../domain/registry-error';
import { el, type XmlElementSpec } from '../soap';
import type { SoapReply } from '../soap';
import type { XdsTransaction } from './actions';
import { XDS_NS } from './namespaces';
import { registryResponse, registryResponseContent } from './registry-response';

function busyError(transaction: XdsTransaction, reason: string, retryAfterSeconds: number): RegistryErrorDetail {
  const repository = transaction.id === 'ITI-43' || transaction.id === 'ITI-39' || transaction.id === 'ITI-86';
  return {
    code: repository ? XdsErrorCode.XDSRepositoryBusy : XdsErrorCode.XDSRegistryBusy,
    context: `${reason}; retry in ${retryAfterSeconds} s`,
    severity: 'Error',
  };
}

function body(transaction: XdsTransaction, errors: readonly RegistryErrorDetail[]): XmlElementSpec {
  switch (transaction.id) {
    case 'ITI-18':
    case 'ITI-38':
    case 'ITI-51': {
      const content = registryResponseContent('Failure', errors);
      return el(XDS_NS.query, 'query:AdhocQueryResponse', { status: content.status }, content.errorList, el(XDS_NS.rim, 'rim:RegistryObjectList', {}));
    }
    case 'ITI-43':
    case 'ITI-39':
      return el(XDS_NS.xdsb, 'xdsb:RetrieveDocumentSetResponse', {}, registryResponse('Failure', errors));
    default:
      return registryResponse('Failure', errors);
  }
}

/** `reason`: why, for the error's codeContext (default: the client's rate limit). */
export function busyReply(transaction: XdsTransaction, retryAfterSeconds: number, reason = 'too many requests from this client'): SoapReply {
  return {
    action: transaction.response,
    body: [body(transaction, [busyError(transaction, reason, retryAfterSeconds)])],
    // ITI-43's and ITI-39's bindings answer MTOM whatever the outcome (as retrieve-document-set.ts does).
    ...(transaction.id === 'ITI-43' || transaction.id === 'ITI-39' ? { mtom: true } : {}),
  };
}
