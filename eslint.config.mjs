// Lint with import boundaries between the layers (see STYLE.md, "Layers named by folder").
import tseslint from 'typescript-eslint'

const restrict = (patterns) => ['error', { patterns }]

// no-restricted-syntax takes one list per file: a later block replaces the list, it does not
// add to it. So every block that sets the rule spells out all the lists that apply to its files.
const TEST_HYGIENE = [
  { selector: "CallExpression[callee.object.name=/^(it|test|describe)$/][callee.property.name='only']", message: 'No .only in tests.' },
  { selector: "CallExpression[callee.object.name=/^(it|test|describe)$/][callee.property.name='skip']", message: 'No skipped tests.' }
]

/** An object property named `names` (as an identifier or a quoted key). */
const property = (names) => `Property:matches([key.name=/^(${names})$/], [key.value=/^(${names})$/])`

// Electron's security checklist (docs/SECURITY.md): what only the source can show. The window's
// own options are tested by value (tests/unit/security/electron-checklist.test.ts); these stop any
// other file from switching an isolation off. Safe values must be written as the plain literal.
// Each rule is proved to fire by tests/unit/security/electron-lint-rules.test.ts.
const ELECTRON_CHECKLIST = [
  {
    selector: `${property('nodeIntegration|nodeIntegrationInWorker|nodeIntegrationInSubFrames')}:not([value.raw='false'])`,
    message: 'Electron checklist #2: Node integration stays off (a literal false).'
  },
  { selector: `${property('contextIsolation')}:not([value.raw='true'])`, message: 'Electron checklist #3: contextIsolation stays on (a literal true).' },
  { selector: `${property('sandbox')}:not([value.raw='true'])`, message: 'Electron checklist #4: the renderer sandbox stays on (a literal true).' },
  { selector: `${property('webSecurity')}:not([value.raw='true'])`, message: 'Electron checklist #6: webSecurity stays on (a literal true).' },
  { selector: "Literal[value=/no-sandbox|disable-web-security|disable-site-isolation/]", message: 'Electron checklist #4, #6: no command-line switch turns the sandbox or web security off.' },
  { selector: "TemplateElement[value.raw=/no-sandbox|disable-web-security|disable-site-isolation/]", message: 'Electron checklist #4, #6: no command-line switch turns the sandbox or web security off.' },
  { selector: `${property('allowRunningInsecureContent')}:not([value.raw='false'])`, message: 'Electron checklist #8: no insecure content (a literal false).' },
  { selector: `${property('experimentalFeatures')}:not([value.raw='false'])`, message: 'Electron checklist #9: no experimental features.' },
  { selector: property('enableBlinkFeatures'), message: 'Electron checklist #10: no Blink features switched on.' },
  { selector: `${property('webviewTag')}:not([value.raw='false'])`, message: 'Electron checklist #11, #12: no <webview> (webviewTag stays a literal false).' },
  { selector: "JSXOpeningElement[name.name='webview']", message: 'Electron checklist #11, #12: no <webview>.' },
  { selector: "JSXAttribute[name.name=/^allowpopups$/i]", message: 'Electron checklist #11: no allowpopups.' },
  { selector: "Literal[value=/<webview|allowpopups/i]", message: 'Electron checklist #11, #12: no <webview> and no allowpopups.' },
  { selector: "TemplateElement[value.raw=/<webview|allowpopups/i]", message: 'Electron checklist #11, #12: no <webview> and no allowpopups.' },
  { selector: "CallExpression[callee.property.name='createElement'][arguments.0.value=/^webview$/i]", message: 'Electron checklist #11, #12: no <webview>.' },
  {
    selector: "MemberExpression[property.name=/^(openExternal|openPath|showItemInFolder)$/]",
    message: 'Electron checklist #15: the app never hands a URL or path to the system (shell.openExternal, openPath, showItemInFolder).'
  },
  { selector: "ImportDeclaration[source.value='electron'] > ImportSpecifier[imported.name='shell']", message: 'Electron checklist #15: the app does not use electron.shell.' },
  {
    selector:
      "VariableDeclarator[init.callee.name='require'][init.arguments.0.value='electron'] > ObjectPattern > Property[key.name='shell'], MemberExpression[object.callee.name='require'][object.arguments.0.value='electron'][property.name='shell']",
    message: 'Electron checklist #15: the app does not use electron.shell.'
  },
  { selector: "CallExpression[callee.property.name='loadFile']", message: 'Electron checklist #18: pages come from app://, never from a file (no loadFile).' },
  {
    selector: "CallExpression[callee.property.name='loadURL'] :matches(Literal[value=/^file:/i], TemplateElement[value.raw=/^file:/i])",
    message: 'Electron checklist #18: pages come from app://, never from file://.'
  }
]

// The main process builds no file:// URL at all: the one page it loads comes from app://.
const ELECTRON_CHECKLIST_MAIN = [
  { selector: "Identifier[name='pathToFileURL']", message: 'Electron checklist #18: the main process never builds a file:// URL.' }
]

/** What ships or starts the app; scripts/bench/, scripts/test-browser/ and scripts/screenshots.mjs drive a test Chromium. */
const APP_SOURCES = ['src/**', 'scripts/**', 'bin/**', 'build/**']
const TEST_BROWSER_SCRIPTS = ['scripts/bench/**', 'scripts/test-browser/**', 'scripts/screenshots.mjs']

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
      'no-restricted-syntax': ['error', ...TEST_HYGIENE]
    }
  },
  {
    files: APP_SOURCES,
    ignores: TEST_BROWSER_SCRIPTS,
    rules: { 'no-restricted-syntax': ['error', ...TEST_HYGIENE, ...ELECTRON_CHECKLIST] }
  },
  {
    files: ['src/main/**'],
    rules: { 'no-restricted-syntax': ['error', ...TEST_HYGIENE, ...ELECTRON_CHECKLIST, ...ELECTRON_CHECKLIST_MAIN] }
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
    files: ['src/main/**/*.ts', 'src/cli/**/*.ts', 'src/server/**/*.ts', 'src/radius/**/*.ts'],
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
    files: ['src/cli/**/*.ts', 'src/server/**/*.ts', 'src/radius/**/*.ts', 'src/main/index.ts', 'src/main/electron/**/*.ts', 'src/main/ipc/**/*.ts'],
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
        ...TEST_HYGIENE,
        ...ELECTRON_CHECKLIST,
        ...ELECTRON_CHECKLIST_MAIN
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
