// Account > RADIUS clients in headless Chromium against the real browser
// preview: the empty state, a client added with a secret the app made (shown
// once, and nowhere after a reload), one with an own secret, a bad address
// refused in the core's words before anything is sent, and a removal after a
// confirmation; the command line sees the same clients.
import { describe, expect, it } from 'vitest'
import type { World } from './support/fixtures'
import { firstRunAdmin, worldForEachTest } from './support/fixtures'

let world: World
worldForEachTest((started) => (world = started))

const ADDRESS_MESSAGE = 'Enter an IP address or a CIDR block, like 192.0.2.10 or 10.0.0.0/8.'

describe('Account > RADIUS clients', () => {
  it('adds a client with a generated secret shown once, one with its own secret, refuses a bad address, and removes one', async () => {
    const { admin } = await firstRunAdmin(world)
    const page = admin.page
    await admin.goTo('RADIUS clients')
    await admin.heading('No RADIUS clients yet').waitFor()
    await page.getByText('twofa-admin radius serve').waitFor()

    // A generated secret (the default), by keyboard from the name field on.
    await page.getByRole('button', { name: 'Add client' }).click()
    const add = page.getByRole('dialog', { name: 'Add RADIUS client' })
    expect(await add.getByLabel('Name').evaluate((element) => element === document.activeElement)).toBe(true)
    await page.keyboard.type('vpn-gateway')
    await page.keyboard.press('Tab')
    await page.keyboard.type('10.0.0.0/8')
    expect(await add.getByLabel('Generate a shared secret').isChecked()).toBe(true)
    await add.getByLabel('Require 2FA for every user of this client').check()
    await page.keyboard.press('Enter')

    const shown = page.getByRole('dialog', { name: 'vpn-gateway was added' })
    await shown.getByText('This secret is shown only now.').waitFor()
    const secret = (await shown.getByLabel('Shared secret').innerText()).trim()
    expect(secret.length).toBeGreaterThanOrEqual(16)
    await shown.getByRole('button', { name: 'Done' }).click()
    await shown.waitFor({ state: 'hidden' })
    const table = page.getByRole('table', { name: 'RADIUS clients' })
    const vpn = table.getByRole('row').filter({ hasText: 'vpn-gateway' })
    expect(await vpn.innerText()).toMatch(/vpn-gateway\s+10\.0\.0\.0\/8\s+Yes/)
    expect(await vpn.innerText()).toContain('by ada@example.com')
    expect(await page.content()).not.toContain(secret)

    // After a reload it is nowhere: not on the screen, not from the app.
    await page.reload()
    await admin.goTo('RADIUS clients')
    await table.getByRole('row').filter({ hasText: 'vpn-gateway' }).waitFor()
    expect(await page.content()).not.toContain(secret)
    const listed = await page.evaluate(() => (window as unknown as { api: { listRadiusClients: (input: object) => Promise<unknown> } }).api.listRadiusClients({}))
    expect(JSON.stringify(listed)).not.toContain(secret)
    expect(world.preview.cli(['radius', 'client', 'list', '--json']).stdout).not.toContain(secret)

    // A bad address is refused in the core's words, before anything is sent; then an own secret.
    await page.getByRole('button', { name: 'Add client' }).click()
    await add.getByLabel('Name').fill('wifi')
    await add.getByLabel('Address or CIDR block').fill('10.0.0.300')
    await add.getByRole('button', { name: 'Add client' }).click()
    await add.getByRole('alert').filter({ hasText: ADDRESS_MESSAGE }).waitFor()
    expect(await add.getByLabel('Address or CIDR block').evaluate((element) => element === document.activeElement)).toBe(true)
    expect(await add.getByLabel('Address or CIDR block').getAttribute('aria-invalid')).toBe('true')
    await add.getByLabel('Address or CIDR block').fill('192.0.2.10')
    await add.getByLabel('Enter my own').check()
    const own = add.getByLabel('Your shared secret')
    expect(await own.getAttribute('type')).toBe('password')
    await own.fill('too short')
    await add.getByRole('button', { name: 'Add client' }).click()
    await add.getByRole('alert').filter({ hasText: 'A shared secret has at least 16 characters.' }).waitFor()
    await own.fill('our wifi shared secret 2026')
    await add.getByRole('button', { name: 'Add client' }).click()
    await add.waitFor({ state: 'hidden' })
    // An own secret is not shown back.
    await page.getByText('wifi was added.').waitFor()
    expect(await page.getByRole('dialog').count()).toBe(0)
    expect(await table.getByRole('row').filter({ hasText: 'wifi' }).innerText()).toMatch(/wifi\s+192\.0\.2\.10\s+No/)

    // Remove, after a confirmation.
    await page.getByRole('button', { name: 'Remove vpn-gateway' }).click()
    const confirm = page.getByRole('dialog', { name: 'Remove vpn-gateway?' })
    expect(await confirm.innerText()).toContain('10.0.0.0/8')
    await confirm.getByRole('button', { name: 'Remove client' }).click()
    await confirm.waitFor({ state: 'hidden' })
    await page.getByText(/^vpn-gateway was removed/).waitFor()
    expect(await table.getByRole('row').filter({ hasText: 'vpn-gateway' }).count()).toBe(0)
    const names = (JSON.parse(world.preview.cli(['radius', 'client', 'list', '--json']).stdout) as { name: string }[]).map((client) => client.name)
    expect(names).toEqual(['wifi'])
  })
})
