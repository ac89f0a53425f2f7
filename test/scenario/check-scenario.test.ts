import { describe, expect, it } from 'vitest'
import { checkScenarioModule } from '../../src/scenario/check-scenario.js'
import { constant } from '../../src/scenario/think-time.js'

function run(): void {}

describe('checking what a scenario module exports', () => {
  it('names weighted tasks \'task <name>\', or \'task #<position>\' without a name', () => {
    const checked = checkScenarioModule({
      default: {
        onStart: run,
        tasks: [
          { name: 'browse', weight: 3, run },
          { run },
        ],
        thinkTime: constant('1s'),
      },
    })

    expect(checked).toEqual({
      scenario: {
        onStart: run,
        onStop: null,
        tasks: [
          { endpoint: 'task browse', weight: 3, run },
          { endpoint: 'task #2', weight: 1, run },
        ],
        thinkTime: { kind: 'constant', ms: 1000 },
        data: [],
      },
    })
  })

  it('takes a function as the one task of every iteration, named \'task\'', () => {
    expect(checkScenarioModule({
      default: { tasks: run },
    })).toEqual({
      scenario: {
        onStart: null,
        onStop: null,
        tasks: [
          { endpoint: 'task', weight: 1, run },
        ],
        thinkTime: null,
        data: [],
      },
    })
  })

  it('says what a default export that is not an object is', () => {
    expect(checkScenarioModule({ default: run })).toEqual({
      problems: [`its default export must be a scenario made by defineScenario({ … }), got a function (run). Example: export default defineScenario({ tasks: ctx => ctx.http.get('/') })`],
    })
  })

  it('rejects missing or empty tasks and hooks that are not functions', () => {
    expect(checkScenarioModule({
      default: { tasks: [], onStop: 'bye' },
    })).toEqual({
      problems: [
        'onStop must be a function (ctx) => …, got `"bye"` (string)',
        expect.stringContaining('tasks must be a function (ctx) => … or a non-empty array of { name?, weight?, run }, got `[]` (array)'),
      ],
    })
    expect(checkScenarioModule({ default: {} })).toEqual({
      problems: [
        expect.stringContaining('tasks must be a function (ctx) => … or a non-empty array of { name?, weight?, run }, got `undefined`'),
      ],
    })
  })

  it('rejects unknown task options and weights that are not whole numbers', () => {
    expect(checkScenarioModule({
      default: {
        tasks: [
          { run, wieght: 2 },
          { run, weight: -1 },
          'x',
        ],
      },
    })).toEqual({
      problems: [
        'tasks[0].wieght is not a task option; the options are name, weight, run',
        expect.stringContaining('tasks[1].weight must be a whole number from 1 to 1,000,000, got `-1` (number)'),
        expect.stringContaining('tasks[2] must be { name?, weight?, run }, got `"x"` (string)'),
      ],
    })
  })
})
