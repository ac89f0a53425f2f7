import type { GeneratorHealth } from '../../src/metrics/summary.js'
import type { RunReport } from '../../src/report/run-report.js'
import { describe, expect, it } from 'vitest'
import { assessGeneratorHealth } from '../../src/metrics/generator-health.js'
import { formatHtmlReport } from '../../src/report/format-html.js'
import { formatJsonReport, parseJsonReport, toJsonReport } from '../../src/report/format-json.js'
import { formatMarkdownRun } from '../../src/report/format-markdown.js'
import { describeGeneratorHealth } from '../../src/report/generator-health.js'
import { toRunReport } from '../../src/report/run-report.js'
import { formatSummary } from '../../src/report/terminal.js'
import { recordRun, responses } from '../metrics/record-run.js'

/** 2 workers 14 % and 21 % busy, their timers `delayMs` late, on a machine of 2 cores `busy`, this process `processBusy` of it. */
function health(delayMs: number, cpu: { busy: number, processBusy: number } | null, utilization = [0.14, 0.21]): GeneratorHealth {
  return assessGeneratorHealth(utilization.map((meanUtilization, workerIndex) => ({
    workerIndex,
    meanUtilization,
    peakUtilization: meanUtilization,
    delayP99Ms: delayMs,
    delayMaxMs: delayMs,
    scheduleSlipP99Ms: null,
    scheduleSlipMaxMs: null,
    arrivals: 0,
    dropped: 0,
    droppedLate: 0,
  })), cpu && {
    cores: 2,
    busy: cpu.busy,
    peakBusy: cpu.busy,
    processBusy: cpu.processBusy,
    othersBusy: cpu.busy - cpu.processBusy,
  })
}

function reportWith(generatorHealth: GeneratorHealth): RunReport {
  return {
    ...toRunReport(recordRun(responses(20), { name: 'GET /users' })),
    generatorHealth,
  }
}

const contended = health(80, { busy: 0.97, processBusy: 0.4 })

describe('what the reports say about the generator', () => {
  it('gives the workers, the timer delay and the machine\'s CPU, with no warning on a quiet run', () => {
    expect(describeGeneratorHealth(health(2, { busy: 0.2, processBusy: 0.15 }))).toEqual({
      figures: 'workers busy 14 %, 21 % · timer delay p99 2 ms · machine CPU 20 % of 2 cores (this process 15 %, other processes 5 %)',
      warning: null,
    })
  })

  it('names CPU contention, not the generator, for workers 14–21 % busy and late on busy cores, and does not advise more workers', () => {
    const text = describeGeneratorHealth(contended)!

    expect(text.warning).toBe('the machine\'s CPU was contended (97 % of 2 cores busy; other processes 57 %, this process 40 %): '
      + 'the generator\'s workers waited for a core, so its pace and these latencies include CPU contention, not only the target\'s time. '
      + 'More workers would not help. Run the target on other cores or another machine, use fewer workers, and do not trust small differences between runs.')
    expect(text.warning).not.toMatch(/use more workers/i)
  })

  it('gives an open model\'s schedule slip, and its arrivals dropped late as the reason it was saturated', () => {
    const open = assessGeneratorHealth([
      {
        workerIndex: 0,
        meanUtilization: 0.4,
        peakUtilization: 0.68,
        delayP99Ms: 12,
        delayMaxMs: 15,
        scheduleSlipP99Ms: 11.5,
        scheduleSlipMaxMs: 15.2,
        arrivals: 200_000,
        dropped: 6900,
        droppedLate: 6800,
      },
    ], {
      cores: 2,
      busy: 0.6,
      peakBusy: 0.7,
      processBusy: 0.5,
      othersBusy: 0.1,
    })
    const text = describeGeneratorHealth(open)!

    expect(text.figures).toBe('worker busy 40 % · timer delay p99 12 ms · schedule slip p99 11.5 ms · 6,800 arrivals dropped late (3.4 %) · machine CPU 60 % of 2 cores (this process 50 %, other processes 10 %)')
    expect(text.warning).toBe('the load generator was saturated by its own work (3.4 % of the arrivals were dropped while it ran behind its schedule, the users held up by its own catching up): '
      + 'it, not the target, may have set the pace, and latencies include its own delay. Use more workers, a lower rate or fewer users per worker, or a lighter scenario.')
  })

  it('advises more workers or less load per worker when the generator saturates itself', () => {
    expect(describeGeneratorHealth(health(3, { busy: 0.6, processBusy: 0.55 }, [0.95, 0.93]))!.warning)
      .toMatch(/^the load generator was saturated by its own work .*Use more workers, a lower rate or fewer users per worker, or a lighter scenario\.$/)
  })

  it('says the cause is unknown where the machine\'s CPU cannot be read, with both pieces of advice', () => {
    const text = describeGeneratorHealth(health(80, null))!

    expect(text.figures).toBe('workers busy 14 %, 21 % · timer delay p99 80 ms · machine CPU unknown')
    expect(text.warning).toContain('The machine\'s CPU cannot be read here')
    expect(text.warning).toContain('use more workers')
    expect(text.warning).toContain('run the target elsewhere')
  })

  it('warns of other processes on the cores even when the generator kept time', () => {
    expect(describeGeneratorHealth(health(2, { busy: 0.99, processBusy: 0.2 }))!.warning)
      .toMatch(/^other processes took much of the machine's CPU \(99 % of 2 cores busy; other processes 79 %, this process 20 %\), often the target itself on the same cores: the figures include CPU contention\./)
  })

  it('reads a report written before the machine\'s CPU was measured', () => {
    const old = { workers: contended.workers, saturated: true } as GeneratorHealth
    expect(describeGeneratorHealth(old)!.warning).toContain('cannot be read here')
  })
})

describe('every report shows it', () => {
  const report = reportWith(contended)
  const warning = describeGeneratorHealth(contended)!.warning!

  it('the terminal summary', () => {
    const text = formatSummary(report, { colors: false })
    expect(text).toContain('  generator ...... workers busy 14 %, 21 % · timer delay p99 80 ms · machine CPU 97 % of 2 cores (this process 40 %, other processes 57 %)')
    expect(text).toContain(`  ⚠ ${warning}`)
  })

  it('the Markdown section, as a quote after the tables', () => {
    const text = formatMarkdownRun({ report, test: null })
    expect(text.split('\n').slice(-3)).toEqual([
      'Generator: workers busy 14 %, 21 % · timer delay p99 80 ms · machine CPU 97 % of 2 cores (this process 40 %, other processes 57 %)',
      '',
      `> ⚠️ ${warning}`,
    ])
  })

  it('the HTML report, in its own section', () => {
    const html = formatHtmlReport(report, { test: null, generator: 'vitest-load 0.1.0' })
    expect(html).toContain('<section id="generator"><h2>Load generator <span class="aside">workers busy 14 %, 21 % · timer delay p99 80 ms · machine CPU 97 % of 2 cores (this process 40 %, other processes 57 %)</span></h2>')
    expect(html).toContain(`<p class="generator-warning">⚠ the machine&#39;s CPU was contended`)
  })

  it('the HTML report of a quiet run says so', () => {
    const html = formatHtmlReport(reportWith(health(2, { busy: 0.2, processBusy: 0.15 })), { test: null, generator: 'x' })
    expect(html).toContain('The generator kept its pace')
    expect(html).not.toContain('generator-warning">')
  })

  it('the JSON report, field by field', () => {
    const parsed = parseJsonReport(formatJsonReport(toJsonReport(report, null, '0.1.0')))
    expect(parsed.generatorHealth).toEqual({
      workers: contended.workers,
      saturated: true,
      cause: 'cpu-contention',
      cpuContention: true,
      cpu: {
        cores: 2,
        busy: 0.97,
        peakBusy: 0.97,
        processBusy: 0.4,
        othersBusy: expect.closeTo(0.57, 10),
      },
    })
  })
})
