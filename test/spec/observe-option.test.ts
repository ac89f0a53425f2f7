import { describe, expect, it } from 'vitest'
import { InvalidOptionsError } from '../../src/errors.js'
import { validateOptions } from '../../src/spec/validate.js'

const TARGET = 'http://127.0.0.1:3000'
const load = { users: 1, duration: '1s' }

function problemsOf(observe: unknown): readonly string[] {
  try {
    validateOptions('GET /', { target: TARGET, load, observe } as never, 2)
  }
  catch (error) {
    if (error instanceof InvalidOptionsError)
      return error.problems
    throw error
  }
  return []
}

describe('observe', () => {
  it('takes this test process, a running process by its id, and a Prometheus endpoint with its metrics', () => {
    expect(validateOptions('GET /', {
      target: TARGET,
      load,
      observe: { process: 'self' },
    }, 2).observe).toEqual({ process: 'self' })
    expect(validateOptions('GET /', {
      target: TARGET,
      load,
      observe: { process: process.pid },
    }, 2).observe).toEqual({ process: process.pid })
    expect(validateOptions('GET /', {
      target: TARGET,
      load,
      observe: {
        prometheus: {
          url: 'http://127.0.0.1:9100/metrics',
          metrics: ['up', 'up', 'http_requests_total'],
        },
      },
    }, 2).observe).toEqual({
      prometheus: {
        url: 'http://127.0.0.1:9100/metrics',
        metrics: ['up', 'http_requests_total'],
      },
    })
    expect(validateOptions('GET /', { target: TARGET, load }, 2).observe).toBeUndefined()
  })

  it.each([
    ['not an object', 'self', 'observe must be an object saying what to watch on the target, got `"self"` (string). Example: observe: { process: server.pid }'],
    ['nothing to watch', {}, 'observe needs process, prometheus or both, got `{}` (object). Example: observe: { process: server.pid }'],
    [
      'a pid that is not a number',
      { process: '1234' },
      'observe.process must be a process id (a whole number above 0) or \'self\' for a target in the test process, got `"1234"` (string). Example: observe: { process: server.pid }, or observe: { process: \'self\' }',
    ],
    [
      'a pid of no process',
      { process: 2 ** 22 + 1 },
      `observe.process: there is no process ${2 ** 22 + 1} on this machine (it has ended, or runs in another container). Give the pid of the running target, e.g. observe: { process: child.pid }`,
    ],
    [
      'an unknown key',
      { process: 'self', pid: 3 },
      'observe.pid is not an option; the options here are process, prometheus',
    ],
    [
      'a URL that is not http',
      {
        prometheus: {
          url: 'ftp://127.0.0.1/metrics',
          metrics: ['up'],
        },
      },
      'observe.prometheus.url must be an http(s) URL of the metrics, got one of protocol ftp:. Example: observe: { prometheus: { url: \'http://127.0.0.1:9100/metrics\', metrics: [\'process_resident_memory_bytes\'] } }',
    ],
    [
      'no metrics',
      {
        prometheus: { url: 'http://127.0.0.1:9100/metrics', metrics: [] },
      },
      'observe.prometheus.metrics must be a list of metric family names, as in their # TYPE lines, got `[]` (array). Example: observe: { prometheus: { url: \'http://127.0.0.1:9100/metrics\', metrics: [\'process_resident_memory_bytes\'] } }',
    ],
    [
      'a metric with labels',
      {
        prometheus: {
          url: 'http://127.0.0.1:9100/metrics',
          metrics: ['up{job="x"}'],
        },
      },
      'observe.prometheus.metrics must be a list of metric family names, as in their # TYPE lines, got `["up{job=\\"x\\"}"]` (array). Example: observe: { prometheus: { url: \'http://127.0.0.1:9100/metrics\', metrics: [\'process_resident_memory_bytes\'] } }',
    ],
  ])('rejects %s before any load, with the option and an example', (_, observe, problem) => {
    expect(problemsOf(observe)).toEqual([problem])
  })

  it('never shows the password of a URL it rejects', () => {
    const [problem] = problemsOf({
      prometheus: {
        url: 'nope://user:hunter2@127.0.0.1/metrics',
        metrics: ['up'],
      },
    })
    expect(problem).not.toContain('hunter2')
    const [unparsed] = problemsOf({
      prometheus: {
        url: 'user:hunter2@ 127.0.0.1',
        metrics: ['up'],
      },
    })
    expect(unparsed).not.toContain('hunter2')
  })
})
