import type { LoadStep } from '../metrics/summary.js'
import type { SummaryInput } from './terminal.js'
import { formatLevel, formatMs, formatNumber, formatObserved, formatPercent, formatRate } from '../metrics/units.js'

/** What colours a row: a step that broke the search, one that held, or a step of a step test. */
export type StepRowState = 'broke' | 'held' | 'measured'

/** The table of a run's steps, as every format shows it: one row a step, in the order they ran. */
export interface StepsTable {
  /** `'Steps'`, `'Spike'` or `'Breaking-point search'`. */
  title: string
  /** One line under the title: the condition and where the search stopped; absent for a step test. */
  note?: string
  columns: string[]
  rows: Array<{ cells: string[], state: StepRowState }>
}

/**
 * The steps of a step test, a spike or a breaking-point search as a table (a spike's rows named by
 * their phase); `undefined` for a run without
 * steps (or a report written before steps were kept). A search adds a last column: what broke the
 * step, in numbers (`mean 100.5 ms > 100 ms`), or `held`.
 */
export function stepsTable(run: Pick<SummaryInput, 'steps' | 'breakingPoint'>): StepsTable | undefined {
  // a report written before step tests has its search's steps only in `breakingPoint`
  const steps: readonly LoadStep[] = run.steps ?? run.breakingPoint?.steps ?? []
  const search = run.breakingPoint
  if (steps.length === 0 && !search)
    return undefined
  const by = steps[0]?.by ?? search?.by ?? 'users'
  const latency = (step: LoadStep, ms: number): string => step.latency.count === 0
    ? '-'
    : formatMs(ms)
  // the target's CPU and memory beside each step, when it was observed (a report from before has no `observed`)
  const memoryKey = steps.some(step => step.observed?.heap)
    ? 'heap'
    : 'rss'
  const observedColumns = [
    ...(steps.some(step => step.observed?.cpu)
      ? [
          ['cpu', 'target cpu', 'mean'],
        ] as const
      : []),
    ...(steps.some(step => step.observed?.[memoryKey])
      ? [
          [memoryKey, `target ${memoryKey}`, 'last'],
        ] as const
      : []),
  ]
  const rows = steps.map((step) => {
    const broke = step.tripped.length > 0
    const cells = [
      step.phase ?? String(step.index + 1),
      by === 'users'
        ? String(step.level)
        : formatNumber(step.level, 3),
      formatRate(step.throughputPerSec).replace(' req/s', ''),
      latency(step, step.latency.meanMs),
      latency(step, step.latency.p50Ms),
      latency(step, step.latency.p90Ms),
      latency(step, step.latency.p95Ms),
      latency(step, step.latency.p99Ms),
      formatPercent(step.errorRate),
      ...observedColumns.map(([key, , stat]) => {
        const figure = step.observed?.[key]
        return figure
          ? formatObserved(figure[stat], figure.unit)
          : '-'
      }),
      ...(search
        ? [
            broke
              ? `broke: ${step.tripped.join(', ')}`
              : 'held',
          ]
        : []),
    ]
    return {
      cells,
      state: search
        ? broke
          ? 'broke' as const
          : 'held' as const
        : 'measured' as const,
    }
  })
  return {
    title: search
      ? 'Breaking-point search'
      : steps.some(step => step.phase !== undefined)
        ? 'Spike'
        : 'Steps',
    ...(search && {
      note: searchNote(search, steps.length),
    }),
    columns: [
      'step',
      by === 'users'
        ? 'users'
        : 'arrivals/s',
      'ok req/s',
      'mean',
      'p50',
      'p90',
      'p95',
      'p99',
      'errors',
      ...observedColumns.map(([, title]) => title),
      ...(search
        ? ['until']
        : []),
    ],
    rows,
  }
}

/** `'until p95 > 100 ms · broke at 15 users, after 2 good steps; last good 10 users'`. */
function searchNote(search: NonNullable<SummaryInput['breakingPoint']>, ran: number): string {
  const outcome = search.brokeAt
    ? `broke at ${formatLevel(search.by, search.brokeAt.level)} (${search.brokeAt.tripped.join(', ')}); ${search.lastGood
      ? `last good step ${formatLevel(search.by, search.lastGood.level)}`
      : 'no step held'}`
    : ran === 0
      ? 'no step ran to its end'
      : `held at every step, up to ${formatLevel(search.by, search.steps.at(-1)!.level)}`
  return `until ${search.condition} · ${outcome}`
}
