// @ts-check
/**
 * Lint rules (issue 14): TypeScript's recommended rules, React hooks, import hygiene, and the
 * one-way layers of the architecture as a rule — routes → guards/views → models → domain, with
 * app/utils as infrastructure that knows no route, view, component or model (decision 0017).
 * Formatting is Prettier's job (.prettierrc), not ESLint's.
 */
import js from '@eslint/js'
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript'
import importX from 'eslint-plugin-import-x'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'
import tseslint from 'typescript-eslint'

/** A layer may not import from the layers listed against it. */
const zones = [
  {
    target: './app/domain',
    from: ['./app/models', './app/utils', './app/routes', './app/components', './app/views', './db'],
    message: 'app/domain is pure: no database, infrastructure, routes or components.',
  },
  {
    target: './app/models',
    from: ['./app/routes', './app/components', './app/views'],
    message: 'A model never imports a route, view or component.',
  },
  {
    target: './app/utils',
    from: ['./app/routes', './app/components', './app/views'],
    message: 'app/utils is infrastructure: no routes, views or components.',
  },
  {
    target: './app/components',
    from: ['./app/models', './app/routes', './db'],
    message: 'Components render what loaders give them; they never query.',
  },
]

export default tseslint.config(
  {
    ignores: [
      'build/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      'reports/**',
      '.stryker-tmp/**',
      'public/build/**',
      'db/migrations/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    plugins: { 'import-x': importX, 'react-hooks': reactHooks },
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })] },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'import-x/no-duplicates': ['error', { 'prefer-inline': true }],
      'import-x/first': 'error',
      'import-x/no-restricted-paths': ['error', { zones }],
      'no-control-regex': 'off',
    },
  },
  {
    files: ['tests/**', 'scripts/**', '*.config.*'],
    rules: { 'import-x/no-restricted-paths': 'off' },
  },
  {
    // Playwright fixtures: \`{}\` is its "no dependencies" and \`use\` its callback, not React's.
    files: ['tests/e2e/**'],
    rules: { 'no-empty-pattern': 'off', 'react-hooks/rules-of-hooks': 'off' },
  },
)
