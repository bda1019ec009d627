/**
 * How a Slot's ValueList maps to one domain value, in both directions. ebRIM slots are always
 * lists of strings; XDS gives each slot a cardinality and a type (ITI TF-3 4.2.3.1.7), and a
 * value that breaks them is a metadata error, not something to guess around.
 */

/** The value, or why the slot's values cannot be one. */
export type ReadResult<T> = { value: T } | { problem: string };

export interface ValueType<T> {
  read(values: readonly string[]): ReadResult<T>;
  write(value: T): string[];
}

function single(values: readonly string[]): ReadResult<string> {
  if (values.length !== 1) return { problem: `must have exactly one value, has ${values.length}` };
  return { value: values[0]! };
}

/** One string. */
export const text: ValueType<string> = {
  read: single,
  write: (value) => [value],
};

/** Any number of strings, in order. */
export const textList: ValueType<string[]> = {
  read: (values) => ({ value: [...values] }),
  write: (value) => [...value],
};

/** One non-negative decimal integer (size, PreviousVersion, versionName). */
export const integer: ValueType<number> = {
  read(values) {
    const one = single(values);
    if ('problem' in one) return one;
    const n = /^[0-9]{1,15}$/.test(one.value) ? Number(one.value) : NaN;
    return Number.isSafeInteger(n) ? { value: n } : { problem: `"${one.value}" is not a non-negative integer` };
  },
  write: (value) => [String(value)],
};

/** AssociationPropagation: `yes` / `no` (case as the Metadata Update supplement spells it; read case-blind). */
export const yesNo: ValueType<boolean> = {
  read(values) {
    const one = single(values);
    if ('problem' in one) return one;
    const v = one.value.toLowerCase();
    if (v === 'yes' || v === 'no') return { value: v === 'yes' };
    return { problem: `"${one.value}" is neither yes nor no` };
  },
  write: (value) => [value ? 'yes' : 'no'],
};

/** One value out of a closed set (statuses, SubmissionSetStatus, documentAvailability). */
export function oneOf<T extends string>(allowed: readonly T[]): ValueType<T> {
  const set: ReadonlySet<string> = new Set(allowed);
  return {
    read(values) {
      const one = single(values);
      if ('problem' in one) return one;
      return set.has(one.value) ? { value: one.value as T } : { problem: `"${one.value}" is not one of ${allowed.join(', ')}` };
    },
    write: (value) => [value],
  };
}
