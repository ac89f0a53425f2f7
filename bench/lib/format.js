// Plain-text tables and numbers for the bench's output.

/** `rows` of cells under `headers`; numeric-looking cells are right-aligned. */
export function formatTable(headers, rows) {
  const widths = headers.map((header, i) => Math.max(header.length, ...rows.map(row => String(row[i]).length)))
  const isNumeric = cell => /^[-+\d.,%×x µ]+$/.test(String(cell)) && /\d/.test(String(cell))
  const line = cells => cells.map((cell, i) => isNumeric(cell)
    ? String(cell).padStart(widths[i])
    : String(cell).padEnd(widths[i])).join('  ').trimEnd()
  return [
    line(headers),
    widths.map(width => '-'.repeat(width)).join('  '),
    ...rows.map(line),
  ].join('\n')
}

/** 1234567 → '1,234,567' */
export function formatCount(value) {
  return Math.round(value).toLocaleString('en-US')
}

export function formatFixed(value, digits) {
  return Number.isFinite(value)
    ? value.toFixed(digits)
    : '-'
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1
    ? sorted[middle]
    : (sorted[middle - 1] + sorted[middle]) / 2
}

/** Least-squares slope of y over x. */
export function slope(points) {
  const n = points.length
  if (n < 2)
    return 0
  const meanX = points.reduce((sum, p) => sum + p.x, 0) / n
  const meanY = points.reduce((sum, p) => sum + p.y, 0) / n
  let num = 0
  let den = 0
  for (const p of points) {
    num += (p.x - meanX) * (p.y - meanY)
    den += (p.x - meanX) ** 2
  }
  return den === 0
    ? 0
    : num / den
}
