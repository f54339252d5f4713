// Moving around like in any desktop app, in headless Chromium against the real
// browser preview: every screen and its state has an address (the URL's
// fragment); Back and Forward (Alt+Left/Right, the mouse's buttons) walk the
// places visited; a reload keeps the place, filter, search, order and open user
// included; a typed search is one history entry, not one per key; an address
// one may not open, or a malformed one, falls back to a screen one may see; the
// preview's token never shows in the address. Keyboard focus never falls to the
// page body; arrow keys move between the Users rows and `/` goes to the search.
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import type { AppPage } from './pages/app-page'
import type { World } from './support/fixtures'
import { firstRunAdmin, MARIA, TOM, worldForEachTest } from './support/fixtures'

let world: World
worldForEachTest((started) => (world = started))

const hash = (page: Page) => page.evaluate(() => location.hash)

/** Waits until the address is this one (the store writes it as the screen changes). */
async function expectAddress(page: Page, address: string | RegExp): Promise<void> {
  await page.waitForFunction((wanted) => (wanted.startsWith('^') ? new RegExp(wanted).test(location.hash) : location.hash === wanted), typeof address === 'string' ? address : address.source)
}

/** The mouse's back (3) or forward (4) button, as the browser reports it to the page. */
async function mouseButton(page: Page, button: 3 | 4): Promise<void> {
  await page.evaluate((which) => {
    document.body.dispatchEvent(new MouseEvent('mousedown', { button: which, bubbles: true, cancelable: true }))
    document.body.dispatchEvent(new MouseEvent('mouseup', { button: which, bubbles: true, cancelable: true }))
  }, button)
}

/** What holds keyboard focus: never the page body. */
async function focused(page: Page): Promise<{ onBody: boolean; tag: string; text: string }> {
  return page.evaluate(() => {
    const active = document.activeElement
    return { onBody: active === null || active === document.body, tag: active?.tagName.toLowerCase() ?? '', text: (active?.textContent ?? '').trim().slice(0, 80) }
  })
}

async function expectFocusOff(page: Page): Promise<void> {
  // Focus moves as the screen settles (a heading that shows once the data came).
  await page.waitForFunction(() => document.activeElement !== null && document.activeElement !== document.body)
  expect((await focused(page)).onBody).toBe(false)
}

async function expectFocusOn(page: Page, description: { tag: string; text?: string | RegExp }): Promise<void> {
  await page.waitForFunction(
    ({ tag, text }) => {
      const active = document.activeElement
      if (!active || active.tagName.toLowerCase() !== tag) return false
      const content = (active.textContent ?? '').trim()
      return text === null || (text.startsWith('^') ? new RegExp(text).test(content) : content === text)
    },
    { tag: description.tag, text: description.text === undefined ? null : typeof description.text === 'string' ? description.text : description.text.source }
  )
}

async function userIdOf(admin: AppPage, name: string): Promise<number> {
  await admin.openUser(name)
  const address = await hash(admin.page)
  const match = /^#\/users\/(\d+)$/.exec(address)
  if (!match) throw new Error(`Not a user's address: ${address}`)
  return Number(match[1])
}

describe('addresses, Back and Forward', () => {
  it('walks back and forward through the screens with Alt+Left/Right and the mouse buttons, and a reload keeps the place', async () => {
    const { admin } = await firstRunAdmin(world, [MARIA, TOM])
    const page = admin.page
    // The preview's token left the address before anything else was written there.
    await expectAddress(page, '#/users')
    expect(page.url()).not.toContain('token')

    await admin.goTo('Security')
    await expectAddress(page, '#/security')
    await admin.goTo('Groups')
    await expectAddress(page, '#/groups')
    await admin.goTo('Audit log')
    await expectAddress(page, '#/audit')

    await page.keyboard.press('Alt+ArrowLeft')
    await admin.heading('Groups').first().waitFor()
    await expectAddress(page, '#/groups')
    await page.keyboard.press('Alt+ArrowLeft')
    await admin.heading('Security').first().waitFor()
    await mouseButton(page, 3)
    // Exactly: until the Back lands, the Security page's headings ("2FA among your users"...) hold the word too.
    await admin.page.getByRole('heading', { name: 'Users', exact: true }).waitFor()
    await expectAddress(page, '#/users')
    await mouseButton(page, 4)
    await admin.heading('Security').first().waitFor()
    await page.keyboard.press('Alt+ArrowRight')
    await admin.heading('Groups').first().waitFor()
    await expectAddress(page, '#/groups')

    // A reload stays on the screen.
    await page.reload()
    await admin.heading('Groups').first().waitFor()
    await expectAddress(page, '#/groups')
    await page.keyboard.press('Alt+ArrowLeft')
    await admin.heading('Security').first().waitFor()
  })

  it('gives the Users list its filter, search and order an address: one entry per change, one for a typed search, all kept by a reload', async () => {
    const { admin } = await firstRunAdmin(world, [MARIA, TOM])
    const page = admin.page
    await expectAddress(page, '#/users')

    await page.getByLabel('2FA status').selectOption({ label: '2FA not active' })
    await expectAddress(page, '#/users?status=inactive')
    // Typing a search: each key replaces the entry, so Back leaves the whole search at once.
    await page.getByLabel('Search').pressSequentially('mar')
    await expectAddress(page, '#/users?q=mar&status=inactive')
    await admin.row(MARIA.email).waitFor()
    await page.getByRole('button', { name: 'Email', exact: true }).click()
    await page.getByRole('button', { name: 'Email', exact: true }).click()
    await expectAddress(page, '#/users?q=mar&status=inactive&sort=email&dir=desc')

    await page.reload()
    await admin.row(MARIA.email).waitFor()
    expect(await page.getByLabel('Search').inputValue()).toBe('mar')
    expect(await page.getByLabel('2FA status').inputValue()).toBe('inactive')
    expect(await page.getByRole('columnheader', { name: 'Email' }).getAttribute('aria-sort')).toBe('descending')
    expect(await admin.row(TOM.email).count()).toBe(0)

    // The open user is a place too, and so is the list one came from.
    const mariaId = await userIdOf(admin, MARIA.name)
    await page.reload()
    await admin.heading(MARIA.name).waitFor()
    await expectAddress(page, `#/users/${mariaId}`)
    await page.keyboard.press('Alt+ArrowLeft')
    await expectAddress(page, '#/users?q=mar&status=inactive&sort=email&dir=desc')
    await admin.row(MARIA.email).waitFor()
    // Back: email ascending, then by name, then the search typed at once, then the status filter.
    await page.keyboard.press('Alt+ArrowLeft')
    await expectAddress(page, '#/users?q=mar&status=inactive&sort=email')
    await page.keyboard.press('Alt+ArrowLeft')
    await expectAddress(page, '#/users?q=mar&status=inactive')
    await page.keyboard.press('Alt+ArrowLeft')
    await expectAddress(page, '#/users?status=inactive')
    await page.getByLabel('Search').waitFor()
    expect(await page.getByLabel('Search').inputValue()).toBe('')
    await admin.row(TOM.email).waitFor()
    await page.keyboard.press('Alt+ArrowLeft')
    await expectAddress(page, '#/users')
    expect(await page.getByLabel('2FA status').inputValue()).toBe('')
  })

  it('falls back to a screen one may see for an address one may not open or that is malformed, and starts the next person afresh', async () => {
    const { admin } = await firstRunAdmin(world, [MARIA, TOM])
    const page = admin.page
    for (const [address, heading, normal] of [
      ['#/users/abc', 'Users', '#/users'],
      ['#/users?status=bogus&sort=nope&q=' + 'x'.repeat(400), 'Users', '#/users'],
      ['#/no-such-screen', 'Users', '#/users'],
      ['#/groups/99999999999999999999', 'Groups', '#/groups'],
      ['#/my-account/extra/parts', 'Users', '#/users']
    ] as const) {
      await page.evaluate((value) => (location.hash = value), address)
      await expectAddress(page, normal)
      await admin.heading(heading).first().waitFor()
    }

    // Signing out clears the address; a user who opens an administrator's address lands on My account.
    await admin.goTo('Security')
    await admin.logOut()
    expect(await hash(page)).toBe('')
    await page.evaluate(() => (location.hash = '#/users'))
    await admin.logIn(TOM.email, TOM.password)
    await admin.heading('My account').waitFor()
    await expectAddress(page, '#/my-account')
    await page.evaluate(() => (location.hash = '#/audit?user=ada'))
    await expectAddress(page, '#/my-account')
    expect(await page.getByRole('navigation').getByRole('button', { name: 'Users', exact: true }).count()).toBe(0)
  })
})

describe('keyboard focus', () => {
  it('never falls to the page body: opening a user, Save, Back to the user list, a closed dialog, Back', async () => {
    const { admin } = await firstRunAdmin(world, [MARIA, TOM])
    const page = admin.page

    // Opening a user: the user's heading.
    await page.getByRole('table').getByRole('button', { name: MARIA.name, exact: true }).click()
    await expectFocusOn(page, { tag: 'h1', text: new RegExp(`^${MARIA.name}`) })

    // Save of the profile: the form starts afresh, focus on what the save said.
    await page.getByLabel('Name', { exact: true }).fill('Maria G. Garcia')
    await page.getByRole('button', { name: 'Save profile', exact: true }).click()
    await admin.successMessage().first().waitFor()
    await expectFocusOff(page)
    expect((await focused(page)).text).not.toBe('')

    // Save of the security settings.
    await admin.enforceCheckbox().check()
    await admin.saveSecurity()
    await page.getByRole('region', { name: 'Security' }).locator('.message-success').waitFor()
    await expectFocusOff(page)

    // A dialog closed: back on the button that opened it.
    await page.getByRole('button', { name: 'Change password', exact: true }).click()
    const dialog = page.getByRole('dialog')
    await dialog.waitFor()
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'hidden' })
    await expectFocusOn(page, { tag: 'button', text: 'Change password' })

    // Back to the user list: the row of the user one came from.
    await page.getByRole('button', { name: '← Back to the user list' }).click()
    await expectFocusOn(page, { tag: 'button', text: 'Maria G. Garcia' })

    // Add user, then Cancel: back on Add user.
    await page.getByRole('button', { name: 'Add user', exact: true }).click()
    await page.getByRole('dialog', { name: 'Add user' }).waitFor()
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click()
    await expectFocusOn(page, { tag: 'button', text: 'Add user' })

    // A screen left by Alt+Left while focus was on it: the next screen's heading.
    await admin.goTo('Security')
    await page.keyboard.press('Alt+ArrowLeft')
    await page.getByRole('heading', { name: 'Users', exact: true }).waitFor()
    await expectFocusOff(page)
    // The sidebar's button keeps focus after it opened its screen.
    await admin.nav('Groups').click()
    await admin.heading('Groups').first().waitFor()
    await expectFocusOn(page, { tag: 'button', text: 'Groups' })
  })

  it('moves between the Users rows with the arrow keys, Home and End, opens one with Enter; / goes to the search', async () => {
    const { admin } = await firstRunAdmin(world, [MARIA, TOM])
    const page = admin.page
    await admin.row(TOM.email).waitFor()

    // `/` from anywhere outside a text field.
    await page.getByRole('heading', { name: 'Users' }).click()
    await page.keyboard.press('/')
    await expectFocusOn(page, { tag: 'input' })
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).id)).toBe('users-search')
    expect(await page.getByLabel('Search').inputValue()).toBe('')

    // Into the list, then row by row.
    await page.getByRole('region', { name: /^Users list/ }).focus()
    const activeRowText = () => page.evaluate(() => document.activeElement?.closest('tr')?.querySelector('.col-email')?.textContent ?? null)
    await page.keyboard.press('ArrowDown')
    await page.waitForFunction(() => document.activeElement?.tagName === 'TR')
    expect(await activeRowText()).toBe('ada@example.com')
    await page.keyboard.press('ArrowDown')
    expect(await activeRowText()).toBe(MARIA.email)
    await page.keyboard.press('End')
    expect(await activeRowText()).toBe(TOM.email)
    await page.keyboard.press('ArrowDown')
    expect(await activeRowText()).toBe(TOM.email)
    await page.keyboard.press('Home')
    expect(await activeRowText()).toBe('ada@example.com')
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('Enter')
    await admin.heading(MARIA.name).waitFor()
    await expectFocusOn(page, { tag: 'h1', text: new RegExp(`^${MARIA.name}`) })
    // `/` where there is no search changes nothing, and typing it in a field types it.
    await page.keyboard.press('/')
    expect((await focused(page)).tag).toBe('h1')
    await page.getByLabel('Name', { exact: true }).press('End')
    await page.keyboard.type('/')
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe(`${MARIA.name}/`)
  })
})
