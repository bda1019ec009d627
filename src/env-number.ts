/** A whole-number environment setting of at least 1 (a count, a size, milliseconds); unset or empty = the default. */
export function positiveIntegerSetting(env: Record<string, string | undefined>, variable: string, fallback: number): number {
  const raw = env[variable];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${variable} must be a positive integer, got "${raw}"`);
  return n;
}
