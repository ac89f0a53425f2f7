import { describe, expect, it } from 'vitest'
import { cpuBetween, MachineCpuMonitor, parseProcStat } from '../../src/engine/cpu-monitor.js'

describe('the machine\'s CPU from /proc/stat', () => {
  const stat = (user: number, idle: number): string => [
    `cpu  ${user} 0 0 ${idle} 0 0 0 0 0 0`,
    `cpu0 ${user / 2} 0 0 ${idle / 2} 0 0 0 0 0 0`,
    `cpu1 ${user / 2} 0 0 ${idle / 2} 0 0 0 0 0 0`,
    'intr 1 2 3',
  ].join('\n')

  it('reads busy and total ticks and the cores', () => {
    expect(parseProcStat('cpu  10 1 2 100 7 1 1 3 0 0\ncpu0 1 0 0 1 0 0 0 0 0 0\n')).toEqual({ busyTicks: 18, totalTicks: 125, cores: 1 })
    expect(parseProcStat('nothing here')).toBeUndefined()
  })

  it('takes shares of all cores between two readings: the machine from ticks, this process from its CPU time', () => {
    // 1 s on 2 cores is 200 ticks; 150 of them busy, 0.5 s of it this process's
    const from = {
      stat: parseProcStat(stat(1000, 1000))!,
      processUs: 1_000_000,
      atMs: 0,
    }
    const to = {
      stat: parseProcStat(stat(1150, 1050))!,
      processUs: 1_500_000,
      atMs: 1000,
    }

    expect(cpuBetween(from, to)).toEqual({ busy: 0.75, processBusy: 0.25 })
    expect(cpuBetween(from, from)).toBeUndefined()
  })

  it.skipIf(process.platform !== 'linux')('measures this machine over a short while, each figure a share from 0 to 1', async () => {
    const monitor = new MachineCpuMonitor()
    monitor.start()
    await new Promise(resolve => setTimeout(resolve, 300))
    const cpu = monitor.stop()

    expect(cpu).not.toBeNull()
    expect(cpu!.cores).toBeGreaterThanOrEqual(1)
    for (const share of [
      cpu!.busy,
      cpu!.peakBusy,
      cpu!.processBusy,
      cpu!.othersBusy,
    ]) {
      expect(share).toBeGreaterThanOrEqual(0)
      expect(share).toBeLessThanOrEqual(1)
    }
    expect(monitor.stop()).toBeNull()
  })
})
