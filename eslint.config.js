import antfu from '@antfu/eslint-config'

export default antfu(
  {
    type: 'lib',
    ignores: [
      'dist',
      'coverage',
      'test/fixtures/node_modules',
      'bench/results',
      '**/*.md',
    ],
    markdown: false,
  },
  {
    // these parts run inside Piscina workers (or are imported by them), outside Vitest
    files: ['src/{errors.ts,spec,plan,engine,http,metrics}/**', 'src/errors.ts'],
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
