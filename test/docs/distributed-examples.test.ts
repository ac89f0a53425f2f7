import type { ParseArgsConfig } from 'node:util'
import { readdirSync, readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import { parseAllDocuments } from 'yaml'
import { isTargetAllowed } from '../../src/distributed/agent.js'
import { parseDurationMs } from '../../src/spec/duration.js'

// CI cannot run containers or a cluster, so examples/distributed is checked here, offline: every
// YAML file parses, the fields that decide whether a run can start are right, and each
// `vitest-load agent` command parses with the options src/cli.ts gives parseArgs.

const root = new URL('../../', import.meta.url)
const folder = 'examples/distributed/'

function read(path: string): string {
  return readFileSync(new URL(path, root), 'utf8')
}

const files = readdirSync(new URL(folder, root)).sort()
const yamlFiles = files.filter(name => /\.ya?ml$/.test(name))

/**
 * Every document of a YAML file as plain data; a syntax error or a warning fails with its line.
 * `version: '1.1'` reads it as Kubernetes does, where `no`, `on` and `yes` are booleans.
 */
function parseYaml(name: string, version: '1.1' | '1.2' = '1.2'): unknown[] {
  const documents = parseAllDocuments(read(folder + name), { version })
  const problems = documents.flatMap(document => [
    ...document.errors,
    ...document.warnings,
  ])
  if (problems.length > 0)
    throw new Error(`${folder}${name} is not valid YAML:\n${problems.map(problem => problem.message).join('\n')}`)
  return documents.map(document => document.toJS() as unknown)
}

/** The value at a dotted path (`spec.template.spec`), or undefined where the path stops. */
function at(value: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => node !== null && typeof node === 'object'
    ? (node as Record<string, unknown>)[key]
    : undefined, value)
}

function list(value: unknown): unknown[] {
  return Array.isArray(value)
    ? value
    : []
}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? value as Record<string, unknown>
    : {}
}

/** A value as `toMatch` takes it, `''` when missing, so that a missing field fails with its message. */
function text(value: unknown): string {
  return typeof value === 'string'
    ? value
    : value === undefined
      ? ''
      : JSON.stringify(value)
}

/** A number as `toBeGreaterThan` takes it, NaN when it is not one. */
function numeric(value: unknown): number {
  return typeof value === 'number'
    ? value
    : Number.NaN
}

/** A command as one line: Compose and Kubernetes also write it as a list of words. */
function commandText(command: unknown): string {
  return Array.isArray(command)
    ? command.join(' ')
    : String(command ?? '')
}

// The agent's flags, as src/cli.ts declares them -------------------------------------------------

type CliOptions = NonNullable<ParseArgsConfig['options']>

/** `x` of `{ options: x }`, through `as const`, `satisfies` and a `const` of the same file. */
function objectLiteral(node: ts.Expression, source: ts.SourceFile): ts.ObjectLiteralExpression | undefined {
  if (ts.isAsExpression(node) || ts.isSatisfiesExpression(node) || ts.isParenthesizedExpression(node))
    return objectLiteral(node.expression, source)
  if (ts.isObjectLiteralExpression(node))
    return node
  if (!ts.isIdentifier(node))
    return undefined
  let found: ts.ObjectLiteralExpression | undefined
  const visit = (child: ts.Node): void => {
    if (ts.isVariableDeclaration(child) && child.name.getText(source) === node.text && child.initializer)
      found = objectLiteral(child.initializer, source)
    ts.forEachChild(child, visit)
  }
  visit(source)
  return found
}

function literal(node: ts.Expression): string | boolean | undefined {
  if (ts.isStringLiteralLike(node))
    return node.text
  if (node.kind === ts.SyntaxKind.TrueKeyword || node.kind === ts.SyntaxKind.FalseKeyword)
    return node.kind === ts.SyntaxKind.TrueKeyword
  return undefined
}

function propertiesOf(object: ts.ObjectLiteralExpression): Map<string, ts.Expression> {
  return new Map(object.properties.flatMap(property => ts.isPropertyAssignment(property)
    && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name))
    ? [
        [property.name.text, property.initializer] as const,
      ]
    : []))
}

/**
 * The options `vitest-load agent` hands to parseArgs() in src/cli.ts, read from its source: each
 * flag with its type, `multiple` and `short`. Read, not copied here, so that a flag renamed or
 * removed in the CLI fails this test until the examples follow.
 */
function readCliOptions(): CliOptions {
  const path = 'src/cli.ts'
  const source = ts.createSourceFile(path, read(path), ts.ScriptTarget.Latest, true)
  let optionsNode: ts.ObjectLiteralExpression | undefined
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && node.expression.getText(source) === 'parseArgs' && node.arguments[0]) {
      const config = objectLiteral(node.arguments[0], source)
      const options = config && propertiesOf(config).get('options')
      optionsNode = options && objectLiteral(options, source)
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  if (!optionsNode)
    throw new Error(`${path} has no parseArgs({ options: { … } }) call, where this test reads the agent's flags from: point readCliOptions() at where they are now`)
  const options: CliOptions = {}
  for (const [name, value] of propertiesOf(optionsNode)) {
    const settings = objectLiteral(value, source)
    const fields = new Map([
      ...settings
        ? propertiesOf(settings)
        : [],
    ].map(([key, node]) => [
      key,
      literal(node),
    ]))
    const type = fields.get('type')
    if (type !== 'string' && type !== 'boolean')
      throw new Error(`${path}: the type of --${name} is not 'string' or 'boolean' written as a literal, got ${value.getText(source)}`)
    options[name] = {
      type,
      ...(fields.get('multiple') === true && { multiple: true }),
      ...(typeof fields.get('short') === 'string' && {
        short: fields.get('short') as string,
      }),
    }
  }
  return options
}

const cliOptions = readCliOptions()

function flagList(): string {
  return Object.keys(cliOptions).map(name => `--${name}`).join(', ')
}

/** The arguments after each `vitest-load agent` in a text, up to the end of that shell command. */
function agentArgumentTexts(text: string): string[] {
  return [
    ...text.matchAll(/vitest-load agent\b((?:\\\n|[^\n&;|`<>])*)/g),
  ].map(match => match[1]!.replaceAll('\\\n', ' ').trim())
}

/** Shell words, with quotes removed and `${{ matrix.index }}` (GitHub's expressions) kept as one word. */
function words(text: string): string[] {
  const expressions: string[] = []
  const hidden = text.replace(/\$\{\{.*?\}\}/g, expression => `\0${expressions.push(expression) - 1}\0`)
  return (hidden.match(/"[^"]*"|'[^']*'|\S+/g) ?? []).map(word => word
    .replace(/^(["'])(.*)\1$/, '$2')
    .replace(/\0(\d+)\0/g, (_, index: string) => expressions[Number(index)]!))
}

type AgentValues = Record<string, string | boolean | Array<string | boolean> | undefined>

/** Parses an agent's arguments as the CLI does; an unknown flag, a missing value or a stray word fails. */
function parseAgentArguments(where: string, argumentText: string): AgentValues {
  try {
    return parseArgs({
      args: words(argumentText),
      options: cliOptions,
      strict: true,
      allowPositionals: false,
    }).values
  }
  catch (error) {
    throw new Error(`${where}: \`vitest-load agent ${argumentText}\` would not start: ${(error as Error).message}\n`
      + `src/cli.ts accepts ${flagList()}`)
  }
}

/** The one `vitest-load agent` command of a service, container or step. */
function agentCommand(where: string, command: unknown): AgentValues {
  const texts = agentArgumentTexts(commandText(command))
  expect(texts, `${where}: its command should run \`vitest-load agent\` once, got ${JSON.stringify(command)}`).toHaveLength(1)
  return parseAgentArguments(where, texts[0]!)
}

function allowedTargets(values: AgentValues): string[] {
  return (values['allow-target'] as string[] | undefined) ?? ['loopback']
}

/** Strings in parsed YAML, and lists of words joined into one command line. */
function* stringsOf(value: unknown): Generator<string> {
  if (typeof value === 'string') {
    yield value
  }
  else if (Array.isArray(value)) {
    if (value.every(item => typeof item === 'string' || typeof item === 'number'))
      yield value.join(' ')
    for (const item of value)
      yield* stringsOf(item)
  }
  else if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value))
      yield* stringsOf(item)
  }
}

/** Where a person reads commands: comment lines of YAML, code in Markdown. */
function commandsInProse(name: string): string[] {
  const text = read(folder + name)
  if (name.endsWith('.md')) {
    return [
      ...text.matchAll(/```[^\n]*\n([\s\S]*?)```|`([^`\n]+)`/g),
    ].map(match => match[1] ?? match[2]!)
  }
  return text.split('\n').flatMap(line => /^\s*#(.*)$/.exec(line)?.[1] ?? [])
}

describe('every file of examples/distributed', () => {
  it('has the Compose file, the Kubernetes manifests, the workflow and the README', () => {
    expect(files).toEqual(expect.arrayContaining([
      'README.md',
      'docker-compose.yml',
      'kubernetes.yaml',
      'github-actions.yml',
    ]))
  })

  it.each(yamlFiles)('%s parses as YAML without errors or warnings', (name) => {
    expect(parseYaml(name).length).toBeGreaterThan(0)
  })

  it('runs `vitest-load agent` only with flags that src/cli.ts accepts', () => {
    expect(Object.keys(cliOptions), 'flags read from src/cli.ts').toEqual(expect.arrayContaining([
      'redis',
      'namespace',
      'allow-target',
      'index',
      'idle-exit',
    ]))
    const used = new Set<string>()
    for (const name of files) {
      const texts = [
        .../\.ya?ml$/.test(name)
          ? [
              ...parseYaml(name).flatMap(document => [
                ...stringsOf(document),
              ]),
            ]
          : [],
        ...commandsInProse(name),
      ]
      for (const text of texts) {
        for (const argumentText of agentArgumentTexts(text)) {
          const values = parseAgentArguments(folder + name, argumentText)
          for (const flag of Object.keys(values))
            used.add(flag)
        }
      }
    }
    // the extraction itself works: these appear in every launcher
    expect([...used], 'flags found in the examples').toEqual(expect.arrayContaining([
      'redis',
      'namespace',
      'allow-target',
      'index',
      'idle-exit',
    ]))
  })

  it('writes no Redis password into a file: each comes from a secret or the environment', () => {
    for (const name of files) {
      for (const match of read(folder + name).matchAll(/rediss?:\/\/[^\s:@/]*:([^\s@/]+)@/g))
        expect(match[1], `${folder}${name}: ${match[0]}`).toMatch(/^\$/)
    }
  })
})

describe('docker-compose.yml', () => {
  const where = `${folder}docker-compose.yml`
  const compose = (): Record<string, unknown> => record(parseYaml('docker-compose.yml')[0])
  const service = (name: string): Record<string, unknown> => record(at(compose(), `services.${name}`))
  const environment = (name: string): Record<string, string> => {
    const value = service(name).environment
    const entries = Array.isArray(value)
      ? value.map(item => String(item).split(/=(.*)/s).slice(0, 2))
      : Object.entries(record(value)).map(([key, item]) => [
          key,
          String(item),
        ])
    return Object.fromEntries(entries) as Record<string, string>
  }

  it('has the services redis, api, agent and tests', () => {
    expect(Object.keys(record(compose().services)), `${where}: services`).toEqual(expect.arrayContaining(['redis', 'api', 'agent', 'tests']))
  })

  it('checks Redis with redis-cli ping, and starts agent and tests only once it answers', () => {
    expect(text(service('redis').image), `${where}: services.redis.image`).toMatch(/^redis:[67]\b/)
    expect(commandText(at(service('redis'), 'healthcheck.test')), `${where}: services.redis.healthcheck.test`).toMatch(/redis-cli ping/)
    for (const name of ['agent', 'tests'])
      expect(at(service(name), 'depends_on.redis.condition'), `${where}: services.${name}.depends_on.redis.condition`).toBe('service_healthy')
    expect(at(service('tests'), 'depends_on.agent'), `${where}: services.tests.depends_on.agent`).toBeDefined()
  })

  it('runs `vitest-load agent` with --allow-target and --idle-exit, and leaves --scale free to start several', () => {
    const agent = agentCommand(`${where}: services.agent`, service('agent').command)
    expect(agent['allow-target'], `${where}: services.agent.command --allow-target`).toBeDefined()
    expect(agent['idle-exit'] ?? agent.once, `${where}: services.agent.command --idle-exit or --once, so the agent ends by itself`).toBeTruthy()
    // Compose cannot start two containers of one name
    expect(service('agent').container_name, `${where}: services.agent.container_name`).toBeUndefined()
  })

  it('points the tests and the agents at one Redis and one namespace, and at a target the agents allow', () => {
    const agent = agentCommand(`${where}: services.agent`, service('agent').command)
    const tests = environment('tests')
    expect(commandText(service('tests').command), `${where}: services.tests.command`).toMatch(/\bvitest run\b/)
    expect(tests.VITEST_LOAD_REDIS, `${where}: services.tests VITEST_LOAD_REDIS (the agent's --redis)`).toBe(agent.redis)
    expect(tests.VITEST_LOAD_NAMESPACE, `${where}: services.tests VITEST_LOAD_NAMESPACE (the agent's --namespace)`).toBe(agent.namespace)
    const origin = new URL(tests.API_URL!).origin
    expect(isTargetAllowed(origin, allowedTargets(agent)), `${where}: the agent's --allow-target ${allowedTargets(agent).join(', ')} must allow the tests' API_URL ${origin}`).toBe(true)
  })

  it('makes each load test wait for as many agents as it starts', () => {
    const replicas = at(service('agent'), 'deploy.replicas')
    expect(Number(environment('tests').VITEST_LOAD_AGENTS), `${where}: services.tests VITEST_LOAD_AGENTS (services.agent.deploy.replicas is ${String(replicas)})`).toBe(replicas)
  })
})

describe('kubernetes.yaml', () => {
  const where = `${folder}kubernetes.yaml`
  const documents = (): Array<Record<string, unknown>> => parseYaml('kubernetes.yaml').map(record)
  const only = (kind: string): Record<string, unknown> => {
    const found = documents().filter(document => document.kind === kind)
    expect(found, `${where}: documents of kind ${kind}`).toHaveLength(1)
    return found[0]!
  }
  const agentContainer = (): Record<string, unknown> => record(list(at(only('Job'), 'spec.template.spec.containers'))[0])

  it('gives every document an apiVersion, a kind and a metadata.name', () => {
    for (const [index, document] of documents().entries()) {
      for (const path of ['apiVersion', 'kind', 'metadata.name'])
        expect(text(at(document, path)), `${where}: document ${index + 1} ${path}`).toMatch(/^\S+$/)
    }
  })

  it('runs the agents as an Indexed batch/v1 Job that never retries a pod', () => {
    const job = only('Job')
    const name = `${where}: Job ${String(at(job, 'metadata.name'))}`
    expect(job.apiVersion, `${name} apiVersion`).toBe('batch/v1')
    expect(at(job, 'spec.completionMode'), `${name} spec.completionMode (JOB_COMPLETION_INDEX exists only there)`).toBe('Indexed')
    expect(numeric(at(job, 'spec.completions')), `${name} spec.completions`).toBeGreaterThanOrEqual(1)
    expect(at(job, 'spec.parallelism'), `${name} spec.parallelism (every agent must be up at once: each load test waits for all)`).toBe(at(job, 'spec.completions'))
    expect(at(job, 'spec.backoffLimit'), `${name} spec.backoffLimit (a lost agent fails the test; a retried one has no run to join)`).toBe(0)
    expect(numeric(at(job, 'spec.activeDeadlineSeconds')), `${name} spec.activeDeadlineSeconds`).toBeGreaterThan(0)
    expect(at(job, 'spec.template.spec.restartPolicy'), `${name} spec.template.spec.restartPolicy`).toBe('Never')
  })

  it('orders agents by $(JOB_COMPLETION_INDEX) and ends each by itself (--idle-exit), with its Redis URL from a Secret', () => {
    const container = agentContainer()
    const name = `${where}: Job container ${String(container.name)}`
    const agent = agentCommand(name, [
      ...list(container.command),
      ...list(container.args),
    ])
    // Kubernetes expands $(NAME) in a command; $NAME would need a shell
    expect(agent.index, `${name} --index`).toBe('$(JOB_COMPLETION_INDEX)')
    expect(agent['idle-exit'] ?? agent.once, `${name} --idle-exit or --once, so the agent ends by itself`).toBeTruthy()
    expect(agent.redis, `${name} --redis (a URL there shows in ps; use VITEST_LOAD_REDIS)`).toBeUndefined()
    const redis = list(container.env).map(record).find(variable => variable.name === 'VITEST_LOAD_REDIS')
    expect(text(at(redis, 'valueFrom.secretKeyRef.name')), `${name} env VITEST_LOAD_REDIS valueFrom.secretKeyRef.name`).toMatch(/^\S+$/)
    expect(text(at(redis, 'valueFrom.secretKeyRef.key')), `${name} env VITEST_LOAD_REDIS valueFrom.secretKeyRef.key`).toMatch(/^\S+$/)
    for (const path of [
      'requests.cpu',
      'requests.memory',
      'limits.cpu',
      'limits.memory',
    ])
      expect(at(container.resources, path), `${name} resources.${path}`).toBeDefined()
  })

  it('writes every command word and env value as a string, as Kubernetes requires', () => {
    const wrong: string[] = []
    const visit = (value: unknown, path: string): void => {
      for (const [key, item] of Object.entries(record(value))) {
        if (key === 'command' || key === 'args') {
          for (const [index, word] of list(item).entries()) {
            if (typeof word !== 'string')
              wrong.push(`${path}.${key}.${index}: ${JSON.stringify(word)} (${typeof word})`)
          }
        }
        if (key === 'env') {
          for (const [index, variable] of list(item).map(record).entries()) {
            if ('value' in variable && typeof variable.value !== 'string')
              wrong.push(`${path}.env.${index}.value: ${JSON.stringify(variable.value)} (${typeof variable.value})`)
          }
        }
        for (const [index, element] of list(item).entries())
          visit(element, `${path}.${key}.${index}`)
        visit(item, `${path}.${key}`)
      }
    }
    // read as YAML 1.1, as Kubernetes reads it: an unquoted no, on, yes or 2 is no string there
    for (const [index, document] of parseYaml('kubernetes.yaml', '1.1').entries())
      visit(document, `document ${index + 1}`)
    expect(wrong, `${where}: quote these, or the API server refuses the manifest`).toEqual([])
  })

  it('puts one agent per node, by the labels its pods carry', () => {
    const job = only('Job')
    const terms = list(at(job, 'spec.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution')).map(record)
    const labels = record(at(job, 'spec.template.metadata.labels'))
    expect(terms.map(term => term.topologyKey), `${where}: Job podAntiAffinity topologyKey`).toContain('kubernetes.io/hostname')
    for (const term of terms)
      expect(labels, `${where}: Job pod labels must match the podAntiAffinity labelSelector`).toMatchObject(record(at(term, 'labelSelector.matchLabels')))
  })

  it('runs one Redis, and its Service selects that Redis\'s pods', () => {
    const deployment = only('Deployment')
    expect(at(deployment, 'spec.replicas'), `${where}: Deployment spec.replicas`).toBe(1)
    expect(text(at(deployment, 'spec.template.spec.containers.0.image')), `${where}: Deployment image`).toMatch(/^redis:[67]\b/)
    const selector = record(at(only('Service'), 'spec.selector'))
    expect(Object.keys(selector).length, `${where}: Service spec.selector`).toBeGreaterThan(0)
    expect(at(deployment, 'spec.template.metadata.labels'), `${where}: Redis pod labels must match the Service's selector`).toMatchObject(selector)
  })

  it('tells the coordinator, in its comments, the agents\' count and namespace', () => {
    const agent = agentCommand(`${where}: Job`, list(agentContainer().command))
    const comments = commandsInProse('kubernetes.yaml').join('\n')
    expect(/VITEST_LOAD_AGENTS=(\d+)/.exec(comments)?.[1], `${where}: the comment's VITEST_LOAD_AGENTS (the Job's completions)`).toBe(String(at(only('Job'), 'spec.completions')))
    expect(/VITEST_LOAD_NAMESPACE=(\S+)/.exec(comments)?.[1], `${where}: the comment's VITEST_LOAD_NAMESPACE (the agents' --namespace)`).toBe(agent.namespace)
  })
})

describe('github-actions.yml', () => {
  const where = `${folder}github-actions.yml`
  const workflow = (): Record<string, unknown> => record(parseYaml('github-actions.yml')[0])
  const job = (name: string): Record<string, unknown> => {
    const found = at(workflow(), `jobs.${name}`)
    expect(found, `${where}: jobs.${name}`).toBeDefined()
    return record(found)
  }
  /** The step that runs `pattern`, with the environment it sees (workflow, job, then step). */
  const step = (jobName: string, pattern: RegExp): { run: string, env: Record<string, unknown> } => {
    const steps = list(job(jobName).steps).map(record).filter(item => pattern.test(String(item.run ?? '')))
    expect(steps, `${where}: steps of jobs.${jobName} that run ${pattern}`).toHaveLength(1)
    return {
      run: String(steps[0]!.run),
      env: {
        ...record(workflow().env),
        ...record(job(jobName).env),
        ...record(steps[0]!.env),
      },
    }
  }
  const agentStep = (): { agent: AgentValues, env: Record<string, unknown> } => {
    const { run, env } = step('agents', /vitest-load agent/)
    return {
      agent: agentCommand(`${where}: jobs.agents`, run),
      env,
    }
  }

  it('has the jobs agents, with a matrix of indexes, and gate, neither waiting for the other', () => {
    expect(list(at(job('agents'), 'strategy.matrix.index')).length, `${where}: jobs.agents.strategy.matrix.index`).toBeGreaterThan(0)
    // they meet at the barrier in Redis: a `needs` would keep the gate from starting, or the agents
    for (const [name, other] of [
      ['agents', 'gate'],
      ['gate', 'agents'],
    ] as const)
      expect([job(name).needs ?? []].flat(), `${where}: jobs.${name}.needs`).not.toContain(other)
  })

  it('runs each matrix agent with its matrix index, ending by itself', () => {
    const { agent } = agentStep()
    expect(text(agent.index), `${where}: jobs.agents --index`).toMatch(/^\$\{\{\s*matrix\.index\s*\}\}$/)
    expect(agent['idle-exit'] ?? agent.once, `${where}: jobs.agents --idle-exit or --once, so the agent ends by itself`).toBeTruthy()
  })

  it('makes the gate wait for as many agents as the matrix starts, long enough for queued runners', () => {
    const { env } = step('gate', /\bvitest run\b/)
    const agents = list(at(job('agents'), 'strategy.matrix.index')).length
    expect(Number(env.VITEST_LOAD_AGENTS), `${where}: jobs.gate VITEST_LOAD_AGENTS (the matrix has ${agents} indexes)`).toBe(agents)
    expect(numeric(parseDurationMs(env.VITEST_LOAD_START_TIMEOUT)), `${where}: jobs.gate VITEST_LOAD_START_TIMEOUT (beyond the 60 s default)`).toBeGreaterThan(60_000)
  })

  it('meets the agents in one namespace, on a target they allow, with Redis URLs from secrets', () => {
    const { agent, env: agentEnv } = agentStep()
    const { env } = step('gate', /\bvitest run\b/)
    expect(env.VITEST_LOAD_NAMESPACE, `${where}: jobs.gate VITEST_LOAD_NAMESPACE (the agents' --namespace)`).toBe(agent.namespace)
    const origin = new URL(String(env.API_URL)).origin
    expect(isTargetAllowed(origin, allowedTargets(agent)), `${where}: the agents' --allow-target ${allowedTargets(agent).join(', ')} must allow the gate's API_URL ${origin}`).toBe(true)
    for (const [name, value] of [
      ['agents', agentEnv.VITEST_LOAD_REDIS],
      ['gate', env.VITEST_LOAD_REDIS],
    ])
      expect(text(value), `${where}: jobs.${name} VITEST_LOAD_REDIS`).toMatch(/^\$\{\{\s*secrets\.\w+\s*\}\}$/)
  })

  it('shows the single-runner variant with Redis as a service container', () => {
    const single = job('single-runner')
    expect(text(at(single, 'services.redis.image')), `${where}: jobs.single-runner.services.redis.image`).toMatch(/^redis:[67]\b/)
    const { run, env } = step('single-runner', /vitest-load agent/)
    expect(run, `${where}: jobs.single-runner runs the agents and the tests in one step`).toMatch(/\bvitest run\b/)
    expect(Number(env.VITEST_LOAD_AGENTS), `${where}: jobs.single-runner VITEST_LOAD_AGENTS`).toBeGreaterThan(0)
  })
})
