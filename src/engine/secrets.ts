import type { IntervalSnapshot } from '../metrics/snapshot.js'
import type { LoadRun } from '../metrics/summary.js'
import type { SecretValues } from '../spec/secret-values.js'
import { MAX_ERROR_MESSAGE_CHARS } from '../http/classify-error.js'

/**
 * A snapshot with every text in it scrubbed: endpoint names, error messages, check and metric
 * names. Done as it arrives in the test thread, after the values it may hold (a worker posts each
 * value as it is first sent, on the same port, so before any text made from it), so the run, its
 * matcher messages and every report are built from clean text.
 */
export function scrubSnapshot(snapshot: IntervalSnapshot, secrets: SecretValues): IntervalSnapshot {
  if (secrets.values().length === 0)
    return snapshot
  const scrub = (text: string): string => secrets.scrub(text)
  for (const endpoint of snapshot.endpoints) {
    endpoint.name = scrub(endpoint.name)
    const messages = endpoint.counters.errorMessages
    for (const message of Object.keys(messages)) {
      const clean = scrubMessage(message, secrets)
      if (clean === message)
        continue
      messages[clean] = (messages[clean] ?? 0) + messages[message]!
      delete messages[message]
    }
  }
  for (const check of snapshot.checks ?? [])
    check.name = scrub(check.name)
  for (const metric of snapshot.metrics ?? [])
    metric.name = scrub(metric.name)
  return snapshot
}

/**
 * An error message with every secret value scrubbed, cut to the shown length. A worker that learned
 * secrets cuts messages longer (`SecretLearner.messageChars`), so a value that begins in the shown
 * part is whole there; one cut by the worker is at the very end, and goes with the last
 * `longest − 1` characters.
 */
function scrubMessage(message: string, secrets: SecretValues): string {
  const clean = secrets.scrub(message)
  if (message.length <= MAX_ERROR_MESSAGE_CHARS)
    return clean
  return clean.slice(0, Math.max(0, clean.length - secrets.longest + 1)).slice(0, MAX_ERROR_MESSAGE_CHARS)
}

/** `error` (and its causes) with every known secret value scrubbed from message and stack: the test fails with it. */
export function scrubError<T extends Error>(error: T, secrets: SecretValues): T {
  if (secrets.values().length === 0)
    return error
  const seen = new Set<unknown>()
  for (let item: unknown = error; item instanceof Error && !seen.has(item); item = item.cause) {
    seen.add(item)
    replaceText(item, 'message', secrets.scrub(item.message))
    if (typeof item.stack === 'string')
      replaceText(item, 'stack', secrets.scrub(item.stack))
  }
  return error
}

/**
 * Sets `error[key]` by defining it anew: Node 24 makes the `stack` of an error that crossed from a
 * worker thread read-only (but configurable), where assigning it throws.
 */
function replaceText(error: Error, key: 'message' | 'stack', text: string): void {
  if (error[key] === text)
    return
  Object.defineProperty(error, key, {
    value: text,
    writable: true,
    enumerable: false,
    configurable: true,
  })
}

const learnedByRun = new WeakMap<LoadRun, readonly string[]>()

/** Remembers the secret values a run's workers learned, for its reports. */
export function rememberSecrets(run: LoadRun, secrets: SecretValues): void {
  learnedByRun.set(run, secrets.values())
}

/** `to`, a copy of `from` (marked with its overlaps), with the secret values `from` learned. */
export function carrySecrets(from: LoadRun, to: LoadRun): LoadRun {
  const values = learnedByRun.get(from)
  if (values && to !== from)
    learnedByRun.set(to, values)
  return to
}

/**
 * Every secret value of a run (of its options and learned as it ran), in every form, for
 * `toRunReport`; `undefined` for a run `runSpec` did not make.
 */
export function secretValuesOfRun(run: LoadRun): readonly string[] | undefined {
  return learnedByRun.get(run)
}
