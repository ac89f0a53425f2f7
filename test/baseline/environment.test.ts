import type { BaselineEnvironment } from '../../src/baseline/environment.js'
import { existsSync, readFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { describe, expect, it } from 'vitest'
import { currentEnvironment, describeMachine, incomparabilities } from '../../src/baseline/environment.js'

const here: BaselineEnvironment = {
  cpu: 'AMD EPYC 7B13',
  cpus: 2,
  os: 'linux x64',
  node: '20.20.2',
  othersBusy: 0.1,
}

describe('the environment of a baseline', () => {
  it('is this machine: CPU model and count, system, Node, and the share given', () => {
    // on Linux, read from the kernel's own list rather than through the code under test's source
    const cpuinfo = existsSync('/proc/cpuinfo')
      ? readFileSync('/proc/cpuinfo', 'utf8')
      : undefined
    expect(currentEnvironment(0.3)).toEqual({
      cpu: cpuinfo
        ? /^model name\s*:(.+)$/m.exec(cpuinfo)![1]!.trim().replace(/\s+/g, ' ')
        : cpus()[0]?.model.trim().replace(/\s+/g, ' ') || 'unknown',
      cpus: cpuinfo
        ? cpuinfo.match(/^processor\s*:/gm)!.length
        : cpus().length,
      os: `${process.platform} ${process.arch}`,
      node: process.versions.node,
      othersBusy: 0.3,
    })
    expect(describeMachine(here)).toBe('AMD EPYC 7B13 × 2, linux x64, Node 20.20.2')
  })

  it('strict: another CPU model, count, system or Node major, or others\' CPU 25 points apart, is not comparable', () => {
    expect(incomparabilities(here, here, 'strict')).toEqual([])
    expect(incomparabilities(here, { ...here, node: '20.21.0', othersBusy: 0.3 }, 'strict')).toEqual([])
    expect(incomparabilities(here, {
      ...here,
      cpu: 'Intel Xeon',
      cpus: 4,
      os: 'darwin arm64',
      node: '24.1.0',
      othersBusy: 0.5,
    }, 'strict')).toEqual([
      'another CPU (Intel Xeon; the baseline\'s: AMD EPYC 7B13)',
      '4 CPUs against the baseline\'s 2',
      'another system (darwin arm64; the baseline\'s: linux x64)',
      'Node 24.1.0 against the baseline\'s 20.20.2',
      'other processes took 50 % of the CPU during this run, 10 % during the baseline\'s (more than 25 % apart)',
    ])
  })

  it('lenient: only the CPU count, the system and others\' CPU 50 points apart', () => {
    expect(incomparabilities(here, {
      ...here,
      cpu: 'Intel Xeon',
      node: '24.1.0',
      othersBusy: 0.5,
    }, 'lenient')).toEqual([])
    expect(incomparabilities(here, { ...here, cpus: 8, othersBusy: 0.7 }, 'lenient')).toEqual([
      '8 CPUs against the baseline\'s 2',
      'other processes took 70 % of the CPU during this run, 10 % during the baseline\'s (more than 50 % apart)',
    ])
  })

  it('false, an older baseline without one, or an unknown CPU share judge nothing of it', () => {
    const elsewhere = {
      ...here,
      cpu: 'Intel Xeon',
      cpus: 8,
      othersBusy: 0.9,
    }
    expect(incomparabilities(here, elsewhere, false)).toEqual([])
    expect(incomparabilities(undefined, elsewhere, 'strict')).toEqual([])
    expect(incomparabilities({ ...here, othersBusy: null }, { ...here, othersBusy: 0.9 }, 'strict')).toEqual([])
  })
})
