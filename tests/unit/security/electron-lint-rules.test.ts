// The lint rules that stand for Electron's security checklist where only the
// source can show it (eslint.config.mjs, ELECTRON_CHECKLIST). Each is run through
// ESLint's Node API on small snippets: it must fire on the unsafe form, stay quiet
// on the safe one, and apply to every file that ships or starts the app.
import { join, resolve } from 'node:path'
import { ESLint } from 'eslint'
import { beforeAll, describe, expect, it } from 'vitest'

const ROOT = resolve(__dirname, '..', '..', '..')
const MAIN_FILE = 'src/main/electron/example.ts'

let eslint: ESLint
beforeAll(() => {
  eslint = new ESLint({ cwd: ROOT, overrideConfigFile: join(ROOT, 'eslint.config.mjs') })
})

/** The restriction messages ESLint gives `code` as if it were `file`; a parse error counts too. */
async function complaints(code: string, file: string = MAIN_FILE): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, file) })
  return (result?.messages ?? [])
    .filter((message) => message.fatal === true || message.ruleId === 'no-restricted-syntax' || message.ruleId === 'no-restricted-imports')
    .map((message) => (message.fatal === true ? `parse error: ${message.message}` : message.message))
}

/** Every snippet is refused, and only for checklist `item`. */
async function expectRefused(item: string, snippets: string[], file: string = MAIN_FILE): Promise<void> {
  for (const code of snippets) {
    const messages = await complaints(code, file)
    expect(messages, code).not.toHaveLength(0)
    for (const message of messages) expect(message, code).toMatch(new RegExp(`Electron checklist [#\\d, ]*${item}\\b`))
  }
}

async function expectAccepted(snippets: string[], file: string = MAIN_FILE): Promise<void> {
  for (const code of snippets) expect(await complaints(code, file), code).toEqual([])
}

describe('lint rules for the Electron security checklist', () => {
  it('#2: Node integration is refused unless it is a literal false', async () => {
    await expectRefused('#2', [
      'export const prefs = { nodeIntegration: true }',
      'export const prefs = { nodeIntegrationInWorker: true }',
      'export const prefs = { nodeIntegrationInSubFrames: true }',
      "export const prefs = { 'nodeIntegration': true }",
      "export const prefs = { nodeIntegration: 'false' }",
      'const on = Boolean(process.env.NODE)\nexport const prefs = { nodeIntegration: on }'
    ])
    await expectAccepted(['export const prefs = { nodeIntegration: false, nodeIntegrationInWorker: false, nodeIntegrationInSubFrames: false }'])
  })

  it('#3: contextIsolation is refused unless it is a literal true', async () => {
    await expectRefused('#3', ['export const prefs = { contextIsolation: false }', 'const isolate = false\nexport const prefs = { contextIsolation: isolate }'])
    await expectAccepted(['export const prefs = { contextIsolation: true }'])
  })

  it('#4: the sandbox is refused off, as an option or as a command-line switch', async () => {
    await expectRefused('#4', [
      'export const prefs = { sandbox: false }',
      "declare const app: { commandLine: { appendSwitch(name: string): void } }\napp.commandLine.appendSwitch('no-sandbox')",
      'export const args = [`--no-sandbox`]'
    ])
    await expectRefused('#4', ["import { spawn } from 'node:child_process'\nspawn('electron', ['.', '--no-sandbox'])"], 'scripts/start.mjs')
    await expectAccepted(['export const prefs = { sandbox: true }'])
  })

  it('#6: web security is refused off, as an option or as a command-line switch', async () => {
    await expectRefused('#6', [
      'export const prefs = { webSecurity: false }',
      "export const args = ['--disable-web-security']",
      "export const args = ['--disable-site-isolation-trials']"
    ])
    await expectAccepted(['export const prefs = { webSecurity: true }'])
  })

  it('#8: insecure content is refused unless allowRunningInsecureContent is a literal false', async () => {
    await expectRefused('#8', ['export const prefs = { allowRunningInsecureContent: true }'])
    await expectAccepted(['export const prefs = { allowRunningInsecureContent: false }'])
  })

  it('#9, #10: experimental features and Blink features are refused', async () => {
    await expectRefused('#9', ['export const prefs = { experimentalFeatures: true }'])
    await expectAccepted(['export const prefs = { experimentalFeatures: false }'])
    await expectRefused('#10', ["export const prefs = { enableBlinkFeatures: 'CSSVariables' }", "export const prefs = { enableBlinkFeatures: '' }"])
  })

  it('#11, #12: <webview> and allowpopups are refused, in options, markup and the DOM', async () => {
    await expectRefused('#11', [
      'export const prefs = { webviewTag: true }',
      "export const markup = '<webview src=\"https://example.com\"></webview>'",
      "document.createElement('webview')",
      'export const markup = `<div allowpopups>`'
    ])
    await expectRefused('#11', ['export const View = () => <webview src="https://example.com" />', 'export const View = () => <div allowpopups="true" />'], 'src/renderer/src/View.tsx')
    await expectAccepted(['export const prefs = { webviewTag: false }'])
  })

  it('#15: shell.openExternal, openPath and showItemInFolder are refused, and so is electron.shell itself', async () => {
    await expectRefused('#15', [
      "import { shell } from 'electron'\nexport const open = (url: string) => shell.openExternal(url)",
      "import { shell } from 'electron'\nexport const system = shell",
      'declare const system: { openPath(path: string): void }\nsystem.openPath(\'/tmp\')',
      "declare const system: { showItemInFolder(path: string): void }\nsystem.showItemInFolder('/tmp')"
    ])
    await expectRefused('#15', ["const { shell } = require('electron')\nmodule.exports = shell", "require('electron').shell.beep()"], 'bin/example.cjs')
  })

  it('#18: loading a file, or a file:// URL, is refused; the main process builds no file:// URL', async () => {
    await expectRefused('#18', [
      "declare const win: { loadFile(path: string): void }\nwin.loadFile('index.html')",
      "declare const win: { loadURL(url: string): void }\nwin.loadURL('file:///app/index.html')",
      'declare const win: { loadURL(url: string): void }\ndeclare const dir: string\nwin.loadURL(`file://${dir}/index.html`)',
      "import { pathToFileURL } from 'node:url'\nexport const page = pathToFileURL('/app/index.html').href"
    ])
    await expectAccepted(["declare const win: { loadURL(url: string): void }\nwin.loadURL('app://twofa-admin/index.html')"])
    // Outside the main process a file URL loads no page (the CLI, for instance, may import by URL).
    await expectAccepted(["import { pathToFileURL } from 'node:url'\nexport const page = pathToFileURL('/tmp/x.mjs').href"], 'src/cli/example.ts')
  })

  it('#20: the renderer cannot import electron, so ipcRenderer cannot reach a screen', async () => {
    const messages = await complaints("import { ipcRenderer } from 'electron'\nexport const bridge = ipcRenderer", 'src/renderer/src/stores/example.ts')
    expect(messages).toEqual([expect.stringContaining('The renderer runs in a sandboxed page.')])
  })

  it('apply to every file that ships or starts the app, and not to the scripts that drive a test Chromium', async () => {
    const unsafe = 'export const prefs = { nodeIntegration: true }'
    for (const file of [
      'src/main/index.ts',
      'src/main/electron/window-options.ts',
      'src/main/ipc/example.ts',
      'src/main/core/example.ts',
      'src/preload/example.ts',
      'src/renderer/src/Example.tsx',
      'src/server/example.ts',
      'src/cli/example.ts',
      'scripts/start.mjs',
      'bin/example.cjs',
      'build/example.mjs'
    ]) {
      expect(await complaints(unsafe, file), file).toEqual([expect.stringContaining('Electron checklist #2')])
    }
    for (const file of ['scripts/test-browser/preview.mjs', 'scripts/bench/browser.mjs', 'scripts/screenshots.mjs', 'tests/unit/example.test.ts']) {
      expect(await complaints(unsafe, file), file).toEqual([])
    }
  })

  it('leave the rules they share a list with in place (one no-restricted-syntax list per file)', async () => {
    // The core's own list must still hold SQL to the repositories and ban .only and .skip.
    expect(await complaints("declare const db: { prepare(sql: string): void }\ndb.prepare('SELECT 1')", 'src/main/core/example.ts')).toEqual([
      expect.stringContaining('SQL lives in src/main/db')
    ])
    for (const file of ['src/main/core/example.ts', 'src/main/electron/example.ts', 'scripts/start.mjs', 'tests/unit/example.test.ts']) {
      expect(await complaints("declare const it: { only(name: string): void; skip(name: string): void }\nit.only('a')\nit.skip('b')", file), file).toEqual([
        'No .only in tests.',
        'No skipped tests.'
      ])
    }
  })
})
