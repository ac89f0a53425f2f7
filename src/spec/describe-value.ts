/** `-5` (number), `"30 seconds"` (string): a value exactly as received, with its type, for error messages. */
export function describeValue(value: unknown): string {
  if (value === undefined)
    return '`undefined`'
  if (value === null)
    return '`null`'
  if (typeof value === 'function')
    return `a function (${value.name || 'anonymous'})`
  // JSON.stringify would show NaN and Infinity as `null`, and -0 as `0`
  if (typeof value === 'number') {
    return `\`${Object.is(value, -0)
      ? '-0'
      : String(value)}\` (number)`
  }
  if (typeof value === 'bigint')
    return `\`${value}n\` (bigint)`
  if (value instanceof Uint8Array)
    return `a ${value.constructor.name} of ${value.byteLength} bytes`
  const kind = Array.isArray(value)
    ? 'array'
    : typeof value
  let text: string
  try {
    text = JSON.stringify(value) ?? String(value)
  }
  catch {
    text = String(value)
  }
  if (text.length > 80)
    text = `${text.slice(0, 77)}...`
  return `\`${text}\` (${kind})`
}
