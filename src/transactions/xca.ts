/**
 * Cross-community transactions (XCA, XCPD). Not served yet: their descriptors hold the audit
 * shape (the records of the requests this gateway will initiate and answer); serving one
 * means adding its binding here and its handler in the front end that serves it.
 */
import type { TransactionDescriptor } from './descriptor';

export const ITI_38 = {
  id: 'ITI-38',
  name: 'Cross Gateway Query',
  audit: { kind: 'query', atc: 'ATC_DOC_SEARCH' },
} as const satisfies TransactionDescriptor;

export const ITI_39 = {
  id: 'ITI-39',
  name: 'Cross Gateway Retrieve',
  audit: { kind: 'pull', atc: 'ATC_DOC_READ' },
} as const satisfies TransactionDescriptor;

export const ITI_55 = {
  id: 'ITI-55',
  name: 'Cross Gateway Patient Discovery',
  audit: { kind: 'query' },
} as const satisfies TransactionDescriptor;
