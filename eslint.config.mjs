// Lint with import boundaries between the layers (see STYLE.md, "Layers named by folder").
import tseslint from 'typescript-eslint'

const restrict = (patterns) => ['error', { patterns }]

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'docs/**', 'dist/**', '.electron-native/**'] },
  ...tseslint.configs.recommended,
  {
    // Plain CommonJS entry points run by node directly.
    files: ['**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' }
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.object.name=/^(it|test|describe)$/][callee.property.name='only']", message: 'No .only in tests.' },
        { selector: "CallExpression[callee.object.name=/^(it|test|describe)$/][callee.property.name='skip']", message: 'No skipped tests.' }
      ]
    }
  },
  {
    // shared: pure TypeScript, imports nothing of ours and no platform module.
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        { group: ['../main/*', '../renderer/*', '../preload/*', '../cli/*', '../server/*', '**/main/**', '**/renderer/**'], message: 'shared imports nothing of ours.' },
        { group: ['electron', 'node:*', 'fs', 'path', 'crypto', 'better-sqlite3', 'react', 'react-dom'], message: 'shared has no platform imports.' }
      ])
    }
  },
  {
    // The core and every adapter except the Electron ones must run in plain Node.
    files: ['src/main/**/*.ts', 'src/cli/**/*.ts', 'src/server/**/*.ts'],
    ignores: ['src/main/index.ts', 'src/main/electron/**', 'src/main/ipc/**'],
    rules: {
      'no-restricted-imports': restrict([
        { group: ['electron'], message: 'Only the Electron bootstrap (src/main/index.ts, src/main/electron/) and the ipc adapter import electron.' },
        { group: ['**/renderer/**', '**/preload/**'], message: 'The core never imports the screens.' }
      ])
    }
  },
  {
    // Adapters reach the directory through the core (dispatch and core.local), never the database itself.
    files: ['src/cli/**/*.ts', 'src/server/**/*.ts', 'src/main/index.ts', 'src/main/electron/**/*.ts', 'src/main/ipc/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        { group: ['**/main/db/**', '../db/*', './db/*', '../../db/*'], message: 'Adapters never touch the database: call the core (dispatch, core.local).' },
        { group: ['**/core/open-core'], importNames: ['databaseOf', 'contextOf'], message: 'databaseOf and contextOf are for tests and the benchmark.' },
        { group: ['electron'], message: 'Only the Electron bootstrap (src/main/index.ts, src/main/electron/) and the ipc adapter import electron.' },
        { group: ['**/renderer/**', '**/preload/**'], message: 'The core never imports the screens.' }
      ])
    }
  },
  {
    // The Electron layer may import electron; it still never imports the renderer or the database.
    files: ['src/main/index.ts', 'src/main/electron/**/*.ts', 'src/main/ipc/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        { group: ['**/renderer/**'], message: 'main never imports the renderer.' },
        { group: ['**/main/db/**', '../db/*', './db/*'], message: 'Adapters never touch the database: call the core (dispatch, core.local).' },
        { group: ['**/core/open-core'], importNames: ['databaseOf', 'contextOf'], message: 'databaseOf and contextOf are for tests and the benchmark.' }
      ])
    }
  },
  {
    // SQL lives in the repositories: the core's features call them and never prepare statements themselves.
    files: ['src/main/core/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.property.name=/^(prepare|exec)$/]", message: 'SQL lives in src/main/db (the repositories): call a repository function.' },
        { selector: "CallExpression[callee.object.name=/^(it|test|describe)$/][callee.property.name='only']", message: 'No .only in tests.' }
      ]
    }
  },
  {
    files: ['src/renderer/**/*.ts', 'src/renderer/**/*.tsx'],
    rules: {
      'no-restricted-imports': restrict([
        { group: ['**/main/**', '**/cli/**', '**/server/**', '**/preload/index*'], message: 'The renderer talks to the app only through window.api.' },
        { group: ['electron', 'node:*', 'better-sqlite3', 'fs', 'path'], message: 'The renderer runs in a sandboxed page.' }
      ])
    }
  },
  {
    files: ['src/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        { group: ['**/main/**', '**/renderer/**', 'zod', 'better-sqlite3'], message: 'The sandboxed preload bundles only the contract.' }
      ])
    }
  }
)
