import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

const root = new URL('../../', import.meta.url)
const documents = [
  'README.md',
  'docs/architecture.md',
  'docs/baselines.md',
  'docs/distributed.md',
  'docs/errors.md',
  'docs/performance.md',
  'docs/reports.md',
  'docs/scenarios.md',
]

/** Every ```ts block of a document, with the line it starts on. */
function codeBlocks(document: string): Array<{ line: number, code: string }> {
  const text = readFileSync(new URL(document, root), 'utf8')
  return [
    ...text.matchAll(/^```ts\n([\s\S]*?)^```$/gm),
  ].map(match => ({
    line: text.slice(0, match.index).split('\n').length,
    code: match[1]!,
  }))
}

// Each TypeScript example in the docs names the file it comes from on its first line, and that
// file runs in CI (npm test, npm run demo, npm run examples); so no example in the docs can rot.
describe.each(documents)('%s', (document) => {
  it('every TypeScript example is an excerpt of a file that CI runs', () => {
    const blocks = codeBlocks(document)
    if (document === 'README.md')
      expect(blocks.length).toBeGreaterThanOrEqual(4)
    for (const { line, code } of blocks) {
      const source = /^\/\/ ((?:examples|demo|test\/fixtures)\/\S+\.ts)\n/.exec(code)
      expect(source, `${document}:${line} does not start with // examples/… naming its file`).not.toBeNull()
      const file = readFileSync(new URL(source![1]!, root), 'utf8')
      expect(file, `${document}:${line} is not an excerpt of ${source![1]}`).toContain(code.slice(source![0].length))
    }
  })
})
