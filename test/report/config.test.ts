import { describe, expect, it } from 'vitest'
import { InvalidPluginOptionsError, LoadReporter, vitestLoad } from '../../src/config.js'

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
})
