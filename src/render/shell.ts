/** Shell quoting for values rendered into scripts (the model already refuses unsafe ones). */
export function shq(value: string | number): string {
  return `'${String(value).replace(/'/g, '\'\\\'\'')}'`;
}
