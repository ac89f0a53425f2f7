/** A CSV text that does not parse: `line` is where the problem is, from 1. */
export class CsvSyntaxError extends Error {
  override name = 'CsvSyntaxError'

  constructor(readonly line: number, readonly problem: string) {
    super(`line ${line}: ${problem}`)
  }
}

/**
 * Parses CSV text as RFC 4180 says: fields separated by `delimiter`, records by CRLF or LF; a
 * field in double quotes may hold the delimiter, line breaks and doubled quotes (`""` for `"`).
 * Returns every record as its fields, each with the line it starts on. Blank lines are not
 * records; a byte order mark at the start is dropped. Throws `CsvSyntaxError` with the line of a
 * quote left open, or of text after a closing quote.
 */
export function parseCsvRecords(text: string, delimiter = ','): Array<{ line: number, fields: string[] }> {
  const records: Array<{ line: number, fields: string[] }> = []
  let i = text.charCodeAt(0) === 0xFEFF
    ? 1
    : 0
  let line = 1
  let fields: string[] = []
  let recordLine = 1
  let field = ''
  // whether the current field began with a quote, and whether we are inside the quotes
  let quoted = false
  let inQuotes = false
  let quoteLine = 1
  const endField = (): void => {
    fields.push(field)
    field = ''
    quoted = false
  }
  const endRecord = (): void => {
    // a blank line is no record
    if (fields.length === 0 && field === '' && !quoted)
      return
    endField()
    records.push({ line: recordLine, fields })
    fields = []
  }
  while (i < text.length) {
    const char = text[i]!
    if (inQuotes) {
      if (char === '"') {
        if (text[i + 1] === '"') {
          field += '"'
          i += 2
          continue
        }
        inQuotes = false
        i++
        // after the closing quote: a delimiter, a line break or the end
        const next = text[i]
        if (next !== undefined && next !== delimiter && next !== '\n' && next !== '\r')
          throw new CsvSyntaxError(line, `unexpected ${JSON.stringify(next)} after the closing quote of a field; a quote inside a quoted field is written twice ("")`)
        continue
      }
      if (char === '\n')
        line++
      field += char
      i++
      continue
    }
    if (char === '"' && field === '' && !quoted) {
      quoted = true
      inQuotes = true
      quoteLine = line
      i++
    }
    else if (char === delimiter) {
      endField()
      i++
    }
    else if (char === '\r' || char === '\n') {
      endRecord()
      i += char === '\r' && text[i + 1] === '\n'
        ? 2
        : 1
      line++
      recordLine = line
    }
    else {
      field += char
      i++
    }
  }
  if (inQuotes)
    throw new CsvSyntaxError(quoteLine, 'a quoted field is not closed: its opening quote has no closing quote')
  // the last record, unless the text ended with a line break
  endRecord()
  return records
}

/**
 * Parses CSV text with a header row into one object per record, keyed by the header's names, every
 * value a string. Throws `CsvSyntaxError` naming the line of a record whose number of fields differs
 * from the header's, of an empty or repeated column name, or of a quote left open.
 */
export function parseCsv(text: string, delimiter = ','): Array<Record<string, string>> {
  const records = parseCsvRecords(text, delimiter)
  const header = records[0]
  if (!header)
    throw new CsvSyntaxError(1, 'the file is empty; it needs a header row naming the columns, e.g. "name,password"')
  const names = header.fields
  names.forEach((name, column) => {
    if (name.trim() === '')
      throw new CsvSyntaxError(header.line, `column ${column + 1} of the header row has no name`)
    if (names.indexOf(name) !== column)
      throw new CsvSyntaxError(header.line, `the header row names column ${JSON.stringify(name)} twice`)
  })
  return records.slice(1).map(({ line, fields }) => {
    if (fields.length !== names.length) {
      throw new CsvSyntaxError(line, `the record has ${fields.length} field${fields.length === 1
        ? ''
        : 's'}, the header has ${names.length} (${names.join(', ')})`)
    }
    const row: Record<string, string> = {}
    names.forEach((name, column) => {
      row[name] = fields[column]!
    })
    return row
  })
}
