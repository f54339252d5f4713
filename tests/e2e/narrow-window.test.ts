// The app at 900 px wide (the desktop window's minimum width), in headless
// Chromium against the real browser preview: the Users table cuts no column's
// text (the Role column once showed "Admi…"), nothing sticks out sideways, and
// a user's Security section is reached by scrolling down only.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { AppPage } from './pages/app-page'
import type { World } from './support/fixtures'
import { firstRunAdmin, MARIA, TOM, worldForEachTest } from './support/fixtures'

let world: World
worldForEachTest((started) => (world = started))

/** How far the page and the content stick out sideways (0: not at all). */
function sidewaysOverflow(admin: AppPage): Promise<{ page: number; content: number }> {
  return admin.page.evaluate(() => {
    const page = document.scrollingElement!
    const content = document.querySelector('.content')!
    return { page: Math.max(0, page.scrollWidth - window.innerWidth), content: Math.max(0, content.scrollWidth - content.clientWidth) }
  })
}

/** The cells of a column whose text does not fit (cut off or ellipsed). */
function cutCells(admin: AppPage, selector: string): Promise<string[]> {
  return admin.page.evaluate((cells) => {
    return [...document.querySelectorAll<HTMLElement>(cells)].filter((cell) => cell.scrollWidth > cell.clientWidth).map((cell) => cell.textContent ?? '')
  }, selector)
}

/**
 * Every cell of the Users table in view, and every block inside one (a name's button, an email),
 * whose content does not fit its box: wider (cut, or ended in "…") or taller. With each row's height
 * and the --row-height the scroll arithmetic counts with (a row taller than it would drift).
 */
function unfitCells(admin: AppPage): Promise<{ cut: string[]; rowHeights: number[]; rowHeight: number }> {
  return admin.page.evaluate(() => {
    const scroller = document.querySelector<HTMLElement>('.users-scroll')!
    const view = scroller.getBoundingClientRect()
    const rows = [...document.querySelectorAll<HTMLElement>('.users-table tbody tr')].filter((row) => {
      const box = row.getBoundingClientRect()
      return box.bottom > view.top && box.top < view.bottom
    })
    const cells = [...document.querySelectorAll<HTMLElement>('.users-table thead th'), ...rows.flatMap((row) => [...row.querySelectorAll<HTMLElement>('td')])]
    const boxes = cells.flatMap((cell) => [cell, ...[...cell.querySelectorAll<HTMLElement>('*')].filter((e) => e instanceof HTMLElement && getComputedStyle(e).display !== 'inline')])
    const cut = boxes.filter((e) => e.scrollWidth > e.clientWidth || e.scrollHeight > e.clientHeight).map((e) => `${e.tagName}.${e.className}: ${e.textContent ?? ''}`)
    const card = document.querySelector<HTMLElement>('.users-card')!
    return { cut, rowHeights: rows.map((row) => row.getBoundingClientRect().height), rowHeight: parseFloat(card.style.getPropertyValue('--row-height')) }
  })
}

/** 60 people with emails up to 40 characters; "Zoe Zimmermann" sorts last by name, "aaron..." first by email. */
function seedPeople(world: World): { last: string; firstByEmail: string } {
  const lines = ['email,name', 'amelia.marquardt@lab.example.org,Amelia Marquardt', 'kwame.mensah@example.com,Kwame Mensah', 'zoe.zimmermann@example.com,Zoe Zimmermann']
  lines.push('aaron.christodoulopoulos@research.lab.org,Yusuf Aaron') // 40 characters
  for (let i = 0; i < 56; i++) lines.push(`person.${String(i).padStart(2, '0')}.long-surname-here@example.org,Person ${String(i).padStart(2, '0')}`)
  const csv = join(world.preview.dir, 'people.csv')
  writeFileSync(csv, lines.join('\n') + '\n')
  const result = world.preview.cli(['import', 'users', csv])
  if (result.code !== 0) throw new Error(`import failed: ${result.stderr}`)
  return { last: 'zoe.zimmermann@example.com', firstByEmail: 'aaron.christodoulopoulos@research.lab.org' }
}

describe('at 900 px wide', () => {
  it('shows every column of the Users table whole, and a user up to the Security section, without sideways scrolling', async () => {
    const { admin } = await firstRunAdmin(world, [MARIA, TOM])
    world.addUser({ name: 'Lena Berg', email: 'lena@example.com', password: 'lena password 2026' }, 'admin')
    const page = admin.page
    await page.setViewportSize({ width: 900, height: 700 })
    await page.reload()
    await admin.row(MARIA.email).waitFor()
    await admin.row('lena@example.com').waitFor()

    expect(await sidewaysOverflow(admin)).toEqual({ page: 0, content: 0 })
    // The Role of every row reads whole: "Administrator", never "Admi…".
    const roles = await page.locator('.users-table tbody td.col-role').allInnerTexts()
    expect(roles).toContain('Administrator')
    expect(await cutCells(admin, '.users-table tbody td.col-role')).toEqual([])
    // Nor the column headings, nor the names with their emails under them (no Email column at this width).
    expect(await cutCells(admin, '.users-table thead th')).toEqual([])
    expect(await cutCells(admin, '.users-table tbody td.col-name, .users-table tbody .cell-email')).toEqual([])

    await admin.openUser(MARIA.name)
    expect(await sidewaysOverflow(admin)).toEqual({ page: 0, content: 0 })
    const security = page.getByRole('region', { name: 'Security' })
    await security.scrollIntoViewIfNeeded()
    const box = (await security.boundingBox())!
    expect(box.x).toBeGreaterThanOrEqual(0)
    expect(box.x + box.width).toBeLessThanOrEqual(900)
    // Its Save button is on screen, not past the right edge.
    const save = security.getByRole('button', { name: 'Save', exact: true })
    await save.scrollIntoViewIfNeeded()
    const saveBox = (await save.boundingBox())!
    expect(saveBox.x + saveBox.width).toBeLessThanOrEqual(900)
    expect(await sidewaysOverflow(admin)).toEqual({ page: 0, content: 0 })
  })

  it('shows each email whole under its name, sorts by email from the Name header, and scrolls to the last user', async () => {
    const { admin } = await firstRunAdmin(world, [MARIA, TOM])
    const { last, firstByEmail } = seedPeople(world)
    const page = admin.page
    await page.setViewportSize({ width: 900, height: 700 })
    await page.reload()
    await admin.row('amelia.marquardt@lab.example.org').waitFor()

    // No Email column: the email is in the Name cell, whole (the table's text, not a tooltip).
    expect(await page.locator('.users-table th.col-email, .users-table td.col-email').count()).toBe(0)
    const nameCell = admin.row('amelia.marquardt@lab.example.org').locator('td.col-name')
    expect(await nameCell.locator('.cell-email').innerText()).toBe('amelia.marquardt@lab.example.org')
    expect(await sidewaysOverflow(admin)).toEqual({ page: 0, content: 0 })
    const top = await unfitCells(admin)
    expect(top.cut).toEqual([])
    expect(top.rowHeight).toBeGreaterThan(44) // room for the name and the email
    expect(new Set(top.rowHeights)).toEqual(new Set([top.rowHeight]))

    // To the end of the list: the last user by name is there, whole, its row fully in view.
    const scroller = page.locator('.users-scroll')
    await scroller.evaluate((element) => (element.scrollTop = element.scrollHeight))
    const lastRow = admin.row(last)
    await lastRow.waitFor()
    await page.getByText(/^Rows \d+–\d+ of 63 users$/).waitFor()
    const rowBox = (await lastRow.boundingBox())!
    const scrollerBox = (await scroller.boundingBox())!
    expect(rowBox.y + rowBox.height).toBeLessThanOrEqual(scrollerBox.y + scrollerBox.height + 0.5)
    expect(rowBox.y + rowBox.height).toBeGreaterThan(scrollerBox.y + scrollerBox.height - rowBox.height / 2)
    const end = await unfitCells(admin)
    expect(end.cut).toEqual([])
    expect(new Set(end.rowHeights)).toEqual(new Set([end.rowHeight]))

    // Sorting by email, from the keyboard: the Name header's "Email" button.
    const nameHeader = page.locator('.users-table th.col-name')
    await nameHeader.getByRole('button', { name: 'Email', exact: true }).focus()
    await page.keyboard.press('Enter')
    await expect.poll(() => nameHeader.getAttribute('aria-sort')).toBe('ascending')
    await expect.poll(() => page.locator('.users-table tbody tr').first().locator('.cell-email').innerText()).toBe(firstByEmail)
    expect((await unfitCells(admin)).cut).toEqual([])

    // Wide again (no reload): the Email column is back and rows are one line tall again.
    await page.setViewportSize({ width: 1280, height: 800 })
    await page.locator('.users-table th.col-email').waitFor()
    expect(await page.locator('.users-table th.col-email').innerText()).toBe('Email')
    expect(await page.locator('.users-table th.col-email').getAttribute('aria-sort')).toBe('ascending')
    expect(await page.locator('.users-table tbody tr').first().locator('td.col-email').innerText()).toBe(firstByEmail)
    expect(await page.locator('.users-table .cell-email').count()).toBe(0)
    const wide = await unfitCells(admin)
    expect(wide.cut).toEqual([])
    expect(wide.rowHeight).toBeLessThan(top.rowHeight)
    expect(new Set(wide.rowHeights)).toEqual(new Set([wide.rowHeight]))
  })
})
