import type { AvailabilityStatus } from './metadata';

/** An availabilityStatus without its ebRS URN prefix: how the registry stores and compares it. */
export type ShortStatus = 'Approved' | 'Deprecated' | 'Submitted';

export function shortStatus(s: AvailabilityStatus | undefined): ShortStatus {
  if (!s) return 'Approved';
  return s.slice(s.lastIndexOf(':') + 1) as ShortStatus;
}
