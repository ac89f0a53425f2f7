import { describe, expect, it } from 'vitest'
import { InvalidPluginOptionsError, LoadReporter, vitestLoad } from '../../src/config.js'
import { PROGRESS_SOCKET_ENV } from '../../src/progress/channel.js'
import { ProgressReporter } from '../../src/progress/reporter.js'
import { REPORTS_ENV } from '../../src/report/interrupt.js'
import { REPORTER_ENV } from '../../src/report/vitest-reporter.js'

function problemsOf(options: unknown): readonly string[] {
  try {
    vitestLoad(options as Parameters<typeof vitestLoad>[0])
  }
  catch (error) {
    expect(error).toBeInstanceOf(InvalidPluginOptionsError)
    expect((error as InvalidPluginOptionsError).code).toBe('VL_ERR_INVALID_PLUGIN_OPTIONS')
    return (error as InvalidPluginOptionsError).problems
  }
  return expect.unreachable('vitestLoad() accepted the options')
}

describe('vitestLoad() options', () => {
  it('accepts outputDir, formats, progress and sequentialFiles', () => {
    expect(vitestLoad({
      outputDir: 'reports/load',
      formats: ['json', 'markdown'],
      progress: false,
      sequentialFiles: false,
    }).name).toBe('vitest-load')
    expect(vitestLoad({ formats: [] }).name).toBe('vitest-load')
  })

  it('rejects formats: [\'pdf\'] naming the 3 formats it knows, with an example', () => {
    expect(problemsOf({
      formats: ['pdf'],
    })).toEqual([
      'formats must be an array of \'json\', \'html\', \'markdown\', got `["pdf"]` (array). Example: vitestLoad({ formats: [\'json\', \'markdown\'] })',
    ])
  })

  it('lists every problem at once: an empty outputDir, formats \'json\', progress \'yes\'', () => {
    const problems = problemsOf({ outputDir: ' ', formats: 'json', progress: 'yes' })
    expect(problems).toHaveLength(3)
    expect(problems[0]).toBe('outputDir must be a folder path, relative to the Vitest root or absolute, got `" "` (string). Example: vitestLoad({ outputDir: \'.vitest-load\' })')
    expect(problems[2]).toBe('progress must be true or false, got `"yes"` (string). Example: vitestLoad({ progress: false })')
  })

  it('says which call failed in the message', () => {
    expect(() => vitestLoad({ sequentialFiles: 1 as unknown as boolean })).toThrow('Invalid options for vitestLoad():\n  - sequentialFiles must be true or false, got `1` (number)')
  })

  it('adds one LoadReporter to Vitest\'s reporters, even when called twice', () => {
    const plugin = vitestLoad()
    const reporters: unknown[] = ['default']
    const configure = plugin.configureVitest as (context: { vitest: { config: { reporters: unknown[] } } }) => void
    configure({
      vitest: {
        config: { reporters },
      },
    })
    configure({
      vitest: {
        config: { reporters },
      },
    })
    expect(reporters.filter(reporter => reporter instanceof LoadReporter)).toHaveLength(1)
  })

  it('adds one progress reporter and gives the tests the path of the socket it listens on', () => {
    const reporters: unknown[] = ['default']
    const env: Record<string, string>[] = []
    for (const plugin of [
      vitestLoad(),
      vitestLoad({ formats: [] }),
    ]) {
      const config = { test: {} as { env?: Record<string, string> } }
      ;(plugin.config as (config: unknown) => void)(config)
      env.push(config.test.env!)
      ;(plugin.configureVitest as (context: unknown) => void)({
        vitest: {
          config: { reporters },
        },
      })
    }
    const progress = reporters.filter(reporter => reporter instanceof ProgressReporter)
    expect(progress).toHaveLength(1)
    // one socket for the whole Vitest process, whichever plugin instance sets a project's environment
    expect(env.map(vars => vars[PROGRESS_SOCKET_ENV])).toEqual([progress[0]!.socketPath, progress[0]!.socketPath])
  })

  it('with progress: false, adds no progress reporter and no socket, and tests still leave printing to the reporter', () => {
    const plugin = vitestLoad({ progress: false })
    const config = { test: {} as { env?: Record<string, string> } }
    ;(plugin.config as (config: unknown) => void)(config)
    const reporters: unknown[] = []
    ;(plugin.configureVitest as (context: unknown) => void)({
      vitest: {
        config: { reporters },
      },
    })
    expect(config.test.env).toEqual({
      [REPORTER_ENV]: '1',
      [REPORTS_ENV]: expect.any(String),
    })
    expect(reporters.some(reporter => reporter instanceof ProgressReporter)).toBe(false)
  })

  it('hands the test processes where the reporter writes, resolved, for a run its main process cannot report', () => {
    const config = { root: '/project', test: {} as { env?: Record<string, string> } }
    ;(vitestLoad({
      outputDir: 'out/load',
      formats: ['json'],
    }).config as (config: unknown) => void)(config)
    expect(JSON.parse(config.test.env![REPORTS_ENV]!)).toEqual({
      root: '/project',
      outputDir: '/project/out/load',
      formats: ['json'],
    })
    const absolute = {
      test: { root: '/other' } as { root: string, env?: Record<string, string> },
    }
    ;(vitestLoad({ outputDir: '/tmp/reports' }).config as (config: unknown) => void)(absolute)
    expect(JSON.parse(absolute.test.env![REPORTS_ENV]!)).toEqual({
      root: '/other',
      outputDir: '/tmp/reports',
      formats: ['json', 'html', 'markdown'],
    })
  })
})

describe('vitestLoad({ distributed })', () => {
  function envOf(options: Parameters<typeof vitestLoad>[0]): Record<string, string> {
    const config = { test: {} as { env?: Record<string, string> } }
    ;(vitestLoad(options).config as (config: unknown) => void)(config)
    return config.test.env!
  }

  it('hands the tests the Redis URL, agents, namespace and start timeout as VITEST_LOAD_* variables', () => {
    const env = envOf({
      progress: false,
      distributed: {
        redis: 'redis://:pw@127.0.0.1:6379',
        agents: 3,
        namespace: 'ci-42',
        startTimeout: '5m',
      },
    })
    expect(env).toMatchObject({
      VITEST_LOAD_REDIS: 'redis://:pw@127.0.0.1:6379',
      VITEST_LOAD_AGENTS: '3',
      VITEST_LOAD_NAMESPACE: 'ci-42',
      VITEST_LOAD_START_TIMEOUT: '5m',
    })
    expect(envOf({ progress: false, distributed: false }).VITEST_LOAD_REDIS).toBeUndefined()
  })

  it('rejects a URL that is not redis:// or rediss://, no agents, a namespace with a space and an unknown key, with the password never shown', () => {
    const problems = problemsOf({
      distributed: {
        redis: 'http://user:secret@host',
        agents: 0,
        namespace: 'a b',
        retries: 2,
      },
    })
    expect(problems).toHaveLength(4)
    expect(problems.join('\n')).not.toContain('secret')
    expect(problems).toContain('distributed.redis must start with redis:// or rediss://, got http://…. Example: vitestLoad({ distributed: { redis: \'redis://127.0.0.1:6379\', agents: 3 } })')
    expect(problems).toContain('distributed.agents must be a whole number of agents, 1 or more, got `0` (number). Example: vitestLoad({ distributed: { redis: \'redis://127.0.0.1:6379\', agents: 3 } })')
  })
})
