// The screenshots of issue 12's trend and printed recovery codes: Account >
// Security with 80 days of history (history-fixture.ts, the real core on a
// walking clock), a day's numbers on hover, the same at 900 px, and recovery
// codes under print media, on a preview of its own.
import { spawnSync } from 'node:child_process'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build } from 'esbuild'
import { generateSync } from 'otplib'
import { ROOT } from '../build-node.mjs'
import { startPreview } from './preview.mjs'

/**
 * A print view as paper shows it: an A4 page at 96 dpi under print media, with the
 * page margins of the print stylesheet (@page, which a screenshot does not apply)
 * drawn as padding for the shot only; then back to the screen.
 */
export async function shootPrintView(page, name, shot) {
  const viewport = page.viewportSize()
  await page.setViewportSize({ width: 794, height: 1123 })
  await page.emulateMedia({ media: 'print' })
  // Through the CSSOM: the page's Content Security Policy refuses a <style> element.
  const margins = (padding) => page.locator('.recovery-print-root').evaluate((root, value) => (root.style.padding = value), padding)
  await margins('18mm 16mm')
  await shot(page, name)
  await margins('')
  await page.emulateMedia({ media: 'screen' })
  if (viewport) await page.setViewportSize(viewport)
}

/** Builds and runs history-fixture.ts on dbPath; resolves to the administrator it made. */
async function makeHistory(dbPath) {
  const outfile = join(ROOT, 'out', 'shots', 'history-fixture.js')
  await build({
    absWorkingDir: ROOT,
    entryPoints: [join(ROOT, 'scripts', 'test-browser', 'history-fixture.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    logLevel: 'warning'
  })
  const run = spawnSync(process.execPath, [outfile, dbPath], { cwd: ROOT, encoding: 'utf8' })
  if (run.status !== 0) throw new Error(`history fixture: ${run.stderr || run.stdout}`)
  return JSON.parse(run.stdout.trim().split('\n').pop())
}

/** `browser`: the screenshots' Chromium; `dir`: a scratch folder; `shot(page, name)` takes one. */
export async function shootHistory({ browser, dir, shot }) {
  const dbPath = join(dir, 'history.db')
  const admin = await makeHistory(dbPath)
  const { url, child } = await startPreview(dbPath)
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 })
  try {
    const page = await context.newPage()
    await page.goto(url)
    await page.getByLabel('Email', { exact: true }).fill(admin.email)
    await page.getByLabel('Password', { exact: true }).fill(admin.password)
    await page.getByRole('button', { name: 'Log in', exact: true }).click()
    await page.getByLabel('Authentication code').fill(generateSync({ secret: admin.secret }))
    await page.getByRole('button', { name: 'Verify', exact: true }).click()
    await page.getByRole('heading', { name: 'Users' }).waitFor()

    await page.getByRole('navigation').getByRole('button', { name: 'Security', exact: true }).click()
    const trend = page.getByRole('region', { name: '2FA over time' })
    await trend.getByRole('img', { name: /^2FA among your users over the last 90 days$/ }).waitFor()
    await trend.scrollIntoViewIfNeeded()
    await page.evaluate(() => window.scrollBy(0, -16))
    await shot(page, '09b-security-trend')

    // A day's numbers under the pointer: three weeks after enforcing, on the deadline.
    const box = await trend.locator('.trend-overlay').boundingBox()
    if (box) await page.mouse.move(box.x + box.width * 0.56, box.y + box.height / 2)
    await trend.locator('.trend-tooltip').waitFor()
    await shot(page, '09c-security-trend-day')
    await page.mouse.move(0, 0)

    await page.setViewportSize({ width: 900, height: 800 })
    await trend.scrollIntoViewIfNeeded()
    await shot(page, '09d-security-trend-900')
    await page.setViewportSize({ width: 1280, height: 800 })

    // My account > Regenerate recovery codes, then the printed sheet.
    await page.getByRole('navigation').getByRole('button', { name: 'My account', exact: true }).click()
    await page.getByRole('button', { name: 'Regenerate recovery codes', exact: true }).click()
    const dialog = page.getByRole('dialog')
    await dialog.getByLabel('Authentication code').fill(generateSync({ secret: admin.secret, epoch: Math.floor(Date.now() / 1000) + 30 }))
    await dialog.getByRole('button', { name: 'Regenerate', exact: true }).click()
    await page.getByRole('list', { name: 'Recovery codes' }).waitFor()
    await shot(page, '13b-my-account-new-recovery-codes')
    await shootPrintView(page, '13c-recovery-codes-printed', shot)
  } catch (error) {
    for (const open of context.pages()) await open.screenshot({ path: join(tmpdir(), 'twofa-history-shots-failure.png'), fullPage: true }).catch(() => undefined)
    throw error
  } finally {
    await context.close()
    child.kill('SIGINT')
  }
}
