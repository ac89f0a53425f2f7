import antfu from '@antfu/eslint-config'

export default antfu(
  {
    type: 'lib',
    ignores: [
      'dist',
      'coverage',
      'test/fixtures/node_modules',
      // scenario modules that do not parse, on purpose
      'test/fixtures/scenarios/syntax-error.scenario.ts',
      'test/fixtures/scenario-module/broken.scenario.ts',
      'bench/results',
      '**/*.md',
    ],
    markdown: false,
  },
  {
    // these parts run inside Piscina workers (or are imported by them) or in an agent process
    // (`vitest-load agent`), outside Vitest
    files: [
      'src/{spec,plan,engine,http,metrics,scenario,distributed}/**',
      'src/errors.ts',
      'src/scenario.ts',
      'src/package-version.ts',
      'src/cli.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'vitest', message: 'runs inside Piscina workers, outside Vitest' },
          ],
          patterns: [
            {
              group: ['vitest/*', '@vitest/*'],
              message: 'runs inside Piscina workers, outside Vitest',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/**'],
    rules: {
      'no-console': 'off',
      'node/prefer-global/process': 'off',
      'node/prefer-global/buffer': 'off',
    },
  },
  {
    files: [
      'test/**',
      'bench/**',
      'demo/**',
      'examples/**',
    ],
    rules: {
      'no-console': 'off',
      'node/prefer-global/process': 'off',
      'node/prefer-global/buffer': 'off',
    },
  },
)
