// Lint rules. The important ones keep workflow code deterministic: no Node built-ins, network,
// database client or wall clock inside workflows/ (Temporal replays workflow code and it must
// take the same path every time), and no floating promises anywhere.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'assert',
  'async_hooks',
  'buffer',
  'child_process',
  'cluster',
  'crypto',
  'dgram',
  'dns',
  'events',
  'fs',
  'fs/promises',
  'http',
  'http2',
  'https',
  'net',
  'os',
  'path',
  'perf_hooks',
  'process',
  'readline',
  'stream',
  'timers',
  'tls',
  'url',
  'util',
  'v8',
  'vm',
  'worker_threads',
  'zlib',
];

export default tseslint.config(
  {
    ignores: [
      '.tmp-*/',
      'node_modules/',
      'dist/',
      'generated/',
      '.data/',
      '.tools/',
      'coverage/',
      'test-artifacts/',
      '**/*.js',
      '**/*.cjs',
      '**/*.mjs',
      'console/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins.flatMap((name) => [
              { name, message: 'Workflow code must not use Node built-ins: do it in an activity.' },
              {
                name: `node:${name}`,
                message: 'Workflow code must not use Node built-ins: do it in an activity.',
              },
            ]),
            { name: 'pg', message: 'Workflow code must not touch the database: use an activity.' },
            { name: 'express', message: 'Workflow code must not do network I/O.' },
          ],
          patterns: [
            {
              group: ['**/generated/prisma*', '@prisma/*', '**/db/*'],
              message: 'No database access in workflows: use an activity.',
            },
            {
              group: ['**/activities', '**/activities/*'],
              allowTypeImports: true,
              message: 'Import activity *types* only (import type).',
            },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Use workflowNow() from workflows/clock.ts.' },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'fetch', message: 'Workflow code must not do network I/O.' },
        { name: 'setTimeout', message: 'Use sleep() from @temporalio/workflow.' },
        { name: 'setInterval', message: 'Use sleep() in a loop.' },
      ],
    },
  },
);
