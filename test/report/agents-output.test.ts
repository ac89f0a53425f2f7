import type { AgentResult } from '../../src/metrics/summary.js'
import type { Sample } from '../metrics/record-run.js'
import { describe, expect, it } from 'vitest'
import { formatHtmlReport } from '../../src/report/format-html.js'
import { formatJsonReport, parseJsonReport, rebuildRunReport, toJsonReport } from '../../src/report/format-json.js'
import { formatMarkdownRun } from '../../src/report/format-markdown.js'
import { toRunReport } from '../../src/report/run-report.js'
import { formatSummary } from '../../src/report/terminal.js'
import { recordRun } from '../metrics/record-run.js'

/** 3 workers, 2 s, 10 responses a second each in 5 ms. */
const samples: Sample[] = [0, 1, 2].flatMap(worker => Array.from({ length: 20 }, (_, index) => ({
  worker,
  second: Math.floor(index / 10),
  latencyMs: 5,
})))

const agents: AgentResult[] = [
  {
    name: 'agent-0',
    host: 'runner-a',
    pid: 101,
    index: 0,
    workers: [0, 2],
    share: 2 / 3,
    requests: 40,
    clockOffsetMs: -0.42,
    clockUncertaintyMs: 0.1,
    lost: null,
  },
  {
    name: 'agent-<1>',
    host: 'runner-b',
    pid: 202,
    index: 1,
    workers: [1],
    share: 1 / 3,
    requests: 20,
    clockOffsetMs: 12.5,
    clockUncertaintyMs: 0.8,
    lost: 'stopped renewing its lease for 2 s',
  },
]

describe('a distributed run\'s agents in every output', () => {
  const report = toRunReport(recordRun(samples, { name: 'GET /users', agents }))

  it('the terminal: a row an agent with its share, requests, busy workers, clock, and whether it finished', () => {
    const text = formatSummary(report, { colors: false })
    expect(text.slice(text.indexOf('  Agents'))).toMatchInlineSnapshot(`
      "  Agents  2 over Redis, 1 lost
            agent              host   share  workers  requests  busy    clock vs Redis  status
          agent-0  runner-a pid 101  66.7 %        2        40  50 %  −420 µs ± 100 µs  finished
        agent-<1>  runner-b pid 202  33.3 %        1        20  50 %   +13 ms ± 800 µs  stopped renewing its lease for 2 s"
    `)
  })

  it('markdown: the same table, the lost agent marked', () => {
    const markdown = formatMarkdownRun({ report, test: null })
    expect(markdown).toContain('**Agents** 2 over Redis, 1 lost')
    expect(markdown).toContain('| agent-0 | runner-a pid 101 | 66.7 % | 2 | 40 | 50 % | −420 µs ± 100 µs | ✅ finished |')
    expect(markdown).toContain('❌ stopped renewing its lease for 2 s |')
  })

  it('hTML: a section with the table, names escaped', () => {
    const html = formatHtmlReport(report, { test: null, generator: 'vitest-load 0.1.0' })
    expect(html).toContain('<h2>Agents <span class="aside">2 over Redis, 1 lost</span></h2>')
    expect(html).toContain('<td>agent-&lt;1&gt;</td>')
    expect(html).toMatch(/<tr class="fail">.*<span class="mark">✗<\/span> stopped renewing its lease/)
  })

  it('jSON: the agents round-trip; a report from before distributed runs has none and shows no table', () => {
    const json = toJsonReport(report, null, '0.1.0')
    expect(rebuildRunReport(parseJsonReport(formatJsonReport(json))).agents).toEqual(agents)
    const { agents: _none, ...older } = json
    const rebuilt = rebuildRunReport(parseJsonReport(JSON.stringify(older)))
    expect(rebuilt.agents).toEqual([])
    expect(formatSummary(rebuilt, { colors: false })).not.toContain('Agents')
  })
})
