// Small helpers shared by the ARM collectors.

/** Reads every page of an SDK list operation (the SDK follows ARM's absolute nextLink). */
export async function readAll<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

/** SDK models carry Dates; the domain carries ISO strings. An unparsable date stays unknown. */
export function toIso(value: Date | string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
