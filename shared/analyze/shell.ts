// POSIX-shell quoting for values pasted into fix commands. Names come from the tenant and are not
// trusted: anything beyond a conservative safe set is single-quoted, so a resource group such as
// "rg (prod)" or a hostile name stays one literal argument.

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

export function shellQuote(value: string): string {
  if (value !== "" && SAFE.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
