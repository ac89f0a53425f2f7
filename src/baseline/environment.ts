import { arch, cpus, platform } from 'node:os'
import { formatPercent } from '../metrics/units.js'

/** Where a run was measured: what decides whether two runs can be compared at all. */
export interface BaselineEnvironment {
  /** The CPU model, as the OS names it: `'AMD EPYC 7B13'`; `'unknown'` where it does not say. */
  cpu: string
  /** Logical CPUs. */
  cpus: number
  /** Platform and architecture: `'linux x64'`. */
  os: string
  /** Node's version: `'20.20.2'`. */
  node: string
  /**
   * The share of all cores (0–1) that other processes used during the run: a target in its own
   * process, other jobs on a CI runner. `null` where the machine's CPU cannot be read (not Linux).
   */
  othersBusy: number | null
}

/**
 * How alike two environments must be to compare their runs:
 * - `'strict'`: the same CPU model and count, OS and architecture, Node major version, and other
 *   processes' share of the CPU within 25 points of each other;
 * - `'lenient'`: the same CPU count, OS and architecture (another CPU model or Node version is
 *   allowed), other processes' share within 50 points;
 * - `false`: any: the environments are shown, never judged.
 */
export type EnvironmentStrictness = 'strict' | 'lenient' | false

export const DEFAULT_STRICTNESS: EnvironmentStrictness = 'strict'

/** How far apart other processes' CPU shares may be, in points of all cores, by strictness. */
const BUSY_DIFFERENCE: Record<'strict' | 'lenient', number> = {
  strict: 0.25,
  lenient: 0.5,
}

/** This machine and process, with the share of the CPU other processes took during the run. */
export function currentEnvironment(othersBusy: number | null): BaselineEnvironment {
  const list = cpus()
  return {
    cpu: list[0]?.model.trim().replace(/\s+/g, ' ') || 'unknown',
    cpus: list.length,
    os: `${platform()} ${arch()}`,
    node: process.versions.node,
    othersBusy,
  }
}

/** `'AMD EPYC 7B13 × 2, linux x64, Node 20.20.2'` */
export function describeMachine(environment: BaselineEnvironment): string {
  return `${environment.cpu} × ${environment.cpus}, ${environment.os}, Node ${environment.node}`
}

function nodeMajor(version: string): string {
  return version.split('.')[0] ?? version
}

/**
 * Why runs measured in `baseline` and `now` cannot be compared under `strictness`, one reason
 * each; empty when they can. A baseline recorded before environments were kept has none, and is
 * compared as before.
 */
export function incomparabilities(baseline: BaselineEnvironment | undefined, now: BaselineEnvironment, strictness: EnvironmentStrictness): string[] {
  if (!baseline || strictness === false)
    return []
  const reasons: string[] = []
  if (strictness === 'strict' && baseline.cpu !== now.cpu)
    reasons.push(`another CPU (${now.cpu}; the baseline's: ${baseline.cpu})`)
  if (baseline.cpus !== now.cpus)
    reasons.push(`${now.cpus} CPUs against the baseline's ${baseline.cpus}`)
  if (baseline.os !== now.os)
    reasons.push(`another system (${now.os}; the baseline's: ${baseline.os})`)
  if (strictness === 'strict' && nodeMajor(baseline.node) !== nodeMajor(now.node))
    reasons.push(`Node ${now.node} against the baseline's ${baseline.node}`)
  if (baseline.othersBusy !== null && now.othersBusy !== null && Math.abs(now.othersBusy - baseline.othersBusy) > BUSY_DIFFERENCE[strictness]) {
    reasons.push(`other processes took ${formatPercent(now.othersBusy)} of the CPU during this run, ${formatPercent(baseline.othersBusy)} during the baseline's`
      + ` (more than ${formatPercent(BUSY_DIFFERENCE[strictness])} apart)`)
  }
  return reasons
}
