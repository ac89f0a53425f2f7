import type { AgentResult, GeneratorHealth } from '../metrics/summary.js'
import type { StepsTable } from './steps-table.js'
import { formatCount, formatMs, formatPercent } from '../metrics/units.js'

/**
 * The agents of a distributed run as a table, as every format shows it: a row an agent, with its
 * share, what it sent, how busy its workers were and its clock against Redis', and last whether it
 * finished (`held`) or was lost (`broke`, with why). `undefined` for a local run, or a report
 * written before distributed runs.
 */
export function agentsTable(run: { agents?: readonly AgentResult[], generatorHealth?: GeneratorHealth }): StepsTable | undefined {
  const agents = run.agents ?? []
  if (agents.length === 0)
    return undefined
  const lost = agents.filter(agent => agent.lost !== null).length
  const busyOf = (agent: AgentResult): string => {
    const health = run.generatorHealth?.workers.filter(worker => agent.workers.includes(worker.workerIndex)) ?? []
    return health.length === 0
      ? '-'
      : formatPercent(health.reduce((sum, worker) => sum + worker.meanUtilization, 0) / health.length, 2)
  }
  return {
    title: 'Agents',
    note: `${agents.length} over Redis${lost > 0
      ? `, ${lost} lost`
      : ''}`,
    columns: [
      'agent',
      'host',
      'share',
      'workers',
      'requests',
      'busy',
      'clock vs Redis',
      'status',
    ],
    rows: agents.map(agent => ({
      cells: [
        agent.name,
        `${agent.host} pid ${agent.pid}`,
        formatPercent(agent.share, 3),
        String(agent.workers.length),
        formatCount(agent.requests),
        busyOf(agent),
        agent.clockOffsetMs === null || agent.clockUncertaintyMs === null
          ? '-'
          : `${formatSigned(agent.clockOffsetMs)} ± ${formatMs(agent.clockUncertaintyMs, 2)}`,
        agent.lost ?? 'finished',
      ],
      state: agent.lost === null
        ? 'held'
        : 'broke',
    })),
  }
}

function formatSigned(ms: number): string {
  return ms < 0
    ? `−${formatMs(-ms, 2)}`
    : `+${formatMs(ms, 2)}`
}
