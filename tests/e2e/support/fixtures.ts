// Per-test world: a fresh preview on a fresh database, one Chromium, and a
// browser context per person (separate cookies, as on separate machines).
import { mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, BrowserContext } from 'playwright-core'
import { afterEach, beforeEach } from 'vitest'
import { AppPage } from '../pages/app-page'
import { launchChromium } from './browser'
import { startPreview, type Preview, type PreviewOptions } from './preview'

export const ADMIN = { name: 'Ada Admin', email: 'ada@example.com', password: 'ada admin password 1' }
export const MARIA = { name: 'Maria Garcia', email: 'maria@example.com', password: 'maria password 2026' }
export const TOM = { name: 'Tom Jones', email: 'tom@example.com', password: 'tom password 2026' }

export class World {
  private contexts: BrowserContext[] = []
  private constructor(
    readonly browser: Browser,
    readonly preview: Preview
  ) {}

  static async start(options: PreviewOptions = {}): Promise<World> {
    const preview = await startPreview(options)
    const browser = await launchChromium()
    return new World(browser, preview)
  }

  /** A new person at a new browser, on the preview's address. */
  async person(): Promise<AppPage> {
    const context = await this.browser.newContext({ viewport: { width: 1280, height: 860 } })
    // Fail fast: nothing here should take seconds except a scrypt login.
    context.setDefaultTimeout(10_000)
    this.contexts.push(context)
    const page = new AppPage(await context.newPage())
    await page.open(this.preview.url)
    return page
  }

  addUser(user: { name: string; email: string; password: string }, role: 'user' | 'admin' = 'user'): void {
    const result = this.preview.cli(['user', 'add', '--name', user.name, '--email', user.email, '--role', role, '--password-stdin'], user.password)
    if (result.code !== 0) throw new Error(`user add failed: ${result.stderr}`)
  }

  /** Screenshots of every open page, to see what a failed test saw. */
  async captureFailure(name: string): Promise<void> {
    const dir = join(tmpdir(), 'twofa-e2e-failures')
    mkdirSync(dir, { recursive: true })
    let index = 0
    for (const context of this.contexts) {
      for (const page of context.pages()) {
        const file = join(dir, `${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}-${index++}.png`)
        await page.screenshot({ path: file, fullPage: true }).catch(() => undefined)
        console.error(`Screenshot of a failed test: ${file}`)
      }
    }
  }

  async stop(): Promise<void> {
    for (const context of this.contexts) await context.close().catch(() => undefined)
    await this.browser.close().catch(() => undefined)
    await this.preview.stop()
  }
}

/**
 * First run through the screens: the admin creates the account and activates
 * 2FA; then the given users are added with the CLI (the directory must be
 * empty for the first-run form) and the Users table is reloaded.
 */
export async function firstRunAdmin(world: World, users: { name: string; email: string; password: string }[] = []): Promise<{ admin: AppPage; secret: string }> {
  const admin = await world.person()
  await admin.setUpFirstAdmin(ADMIN.name, ADMIN.email, ADMIN.password)
  const { secret } = await admin.activateTwoFactor()
  await admin.heading('Users').waitFor()
  for (const user of users) world.addUser(user)
  if (users.length > 0) {
    await admin.page.reload()
    await admin.row(users[0]!.email).waitFor()
  }
  return { admin, secret }
}

/**
 * A fresh preview and browser for every test of the file: hands the started
 * world to `use`, keeps screenshots of a failed test's pages, and stops it after.
 */
export function worldForEachTest(use: (world: World) => void, options: PreviewOptions = {}): void {
  let world: World | undefined
  beforeEach(async () => {
    world = await World.start(options)
    use(world)
  })
  afterEach(async (context) => {
    if (!world) return
    if (context.task.result?.state === 'fail') await world.captureFailure(context.task.name)
    await world.stop()
    world = undefined
  })
}
