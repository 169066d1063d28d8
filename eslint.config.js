// Lint is part of `pnpm test`. Type-aware rules catch floating promises, which in
// a server mean lost errors.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '.data/**',
      'services/console/dist/**',
      'services/console/dist.*/**',
      'schema/generated.ts',
      '.tap/**',
      'test/browser/screenshots/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'off',
    },
  },
  {
    // Core is domain logic only: infrastructure lives in packages/storage, packages/cache and the
    // services (docs/design.md, "Where infrastructure lives"). Ports may be imported as types.
    files: ['packages/core/src/**/*.ts', 'packages/core/src/**/*.tsx'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@yiduan/storage',
              allowTypeImports: true,
              message: 'core takes an AssetStorage; the adapters are built by the services.',
            },
            { name: 'ioredis', message: 'Redis code lives in packages/cache.' },
            { name: 'redis', message: 'Redis code lives in packages/cache.' },
            { name: 'fastify', message: 'HTTP belongs to the services; core has no HTTP.' },
            { name: 'mercurius', message: 'GraphQL belongs to services/api.' },
            { name: '@yiduan/http', message: 'HTTP belongs to the services; core has no HTTP.' },
            ...['http', 'https', 'http2', 'net']
              .flatMap((m) => [m, `node:${m}`])
              .map((name) => ({ name, message: 'core has no network code.' })),
          ],
          patterns: [
            { group: ['@aws-sdk/*'], message: 'object storage lives in packages/storage.' },
            { group: ['@fastify/*'], message: 'HTTP belongs to the services; core has no HTTP.' },
          ],
        },
      ],
    },
  },
  {
    // SQL lives in packages/core (infrastructure SQL in packages/db): services open transactions and
    // call core, they never build or send a statement themselves (docs/design.md, convention 4).
    files: ['services/*/src/**/*.ts', 'services/*/src/**/*.tsx'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'kysely',
              allowTypeImports: false,
              message: 'SQL lives in packages/core: call a core function instead.',
            },
            {
              name: 'pg',
              allowTypeImports: true,
              message: 'connections belong to @yiduan/db; SQL lives in packages/core.',
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector:
            'CallExpression[callee.property.name=/^(selectFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto|selectNoFrom)$/]',
          message: 'SQL lives in packages/core: move this query into a repo.ts and call it.',
        },
        {
          selector: "TaggedTemplateExpression[tag.name='sql']",
          message: 'SQL lives in packages/core: move this statement into a repo.ts and call it.',
        },
        {
          selector:
            'Literal[value=/^\\s*(SELECT|INSERT\\s+INTO|UPDATE|DELETE\\s+FROM|WITH|LISTEN|NOTIFY|BEGIN|SET)\\s/]',
          message: 'SQL text lives in packages/core or packages/db, not in a service.',
        },
        {
          selector:
            'TemplateElement[value.raw=/^\\s*(SELECT|INSERT\\s+INTO|UPDATE|DELETE\\s+FROM|WITH|LISTEN|NOTIFY)\\s/]',
          message: 'SQL text lives in packages/core or packages/db, not in a service.',
        },
      ],
    },
  },
  {
    // frozen migrations take Kysely<any> by design (see the migration files)
    files: ['packages/db/migrations/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // tap queues top-level t.test() calls itself; awaiting them is not needed
    files: ['**/test/**/*.ts', '**/test/**/*.tsx', 'test/**/*.ts'],
    rules: { '@typescript-eslint/no-floating-promises': 'off' },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: { ...globals.node } },
  },
);
