// What the screenshot script and the browser bench share: the real browser
// preview on a given database, and Debian's Chromium with the flags that work
// on these machines (a test browser, never the app's own window).
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import { ROOT } from '../build-node.mjs'

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']

export function launchChromium() {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS })
}

/** Starts out/server/serve.js on dbPath (any free port) and resolves to the printed address and the process. */
export function startPreview(dbPath) {
  const child = spawn(process.execPath, [join(ROOT, 'out', 'server', 'serve.js'), '--db', dbPath, '--port', '0'], { cwd: ROOT })
  return new Promise((resolveUrl, reject) => {
    let out = ''
    child.stdout.on('data', (chunk) => {
      out += chunk
      const match = /http:\/\/127\.0\.0\.1:\d+\/\S*/.exec(out)
      if (match) resolveUrl({ url: match[0], child })
    })
    child.once('exit', (code) => reject(new Error(`The preview exited with ${code}: ${out}`)))
  })
}
