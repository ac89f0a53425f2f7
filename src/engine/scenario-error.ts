import { ScenarioLoadError } from '../errors.js'

/**
 * A `ScenarioLoadError` as data: an error posted between threads keeps its message and stack but
 * loses its class, code and fields, so the worker sends these and the test thread rebuilds it.
 */
export interface ScenarioErrorMessage {
  type: 'scenario-error'
  file: string
  problems: string[]
  cause?: { name: string, message: string, stack?: string }
}

export function toScenarioErrorMessage(error: ScenarioLoadError): ScenarioErrorMessage {
  const cause = error.cause as { name?: unknown, message?: unknown, stack?: unknown } | undefined
  return {
    type: 'scenario-error',
    file: error.file,
    problems: [...error.problems],
    ...(cause !== undefined && {
      cause: typeof cause === 'object' && cause !== null
        ? {
            name: String(cause.name ?? 'Error'),
            message: String(cause.message ?? ''),
            ...(typeof cause.stack === 'string' && { stack: cause.stack }),
          }
        : {
            name: 'Error',
            message: String(cause),
          },
    }),
  }
}

/** The error the test fails with, its cause carrying the original name, message and stack. */
export function fromScenarioErrorMessage(message: ScenarioErrorMessage): ScenarioLoadError {
  if (!message.cause)
    return new ScenarioLoadError(message.file, message.problems)
  const cause = new Error(message.cause.message)
  cause.name = message.cause.name
  if (message.cause.stack !== undefined)
    cause.stack = message.cause.stack
  return new ScenarioLoadError(message.file, message.problems, { cause })
}
