/** Capped exponential backoff: base, 2·base, 4·base, … never more than cap (attempt counts from 0). */
export function cappedBackoffMs(attempt: number, baseMs: number, capMs: number): number {
  return Math.min(capMs, baseMs * 2 ** Math.min(attempt, 30));
}
