// The shape of the house (STYLE.md, docs/ARCHITECTURE.md), checked on the
// source itself: no import circles, every folder says what lives in it, no
// file grows past about 300 lines without saying why, and each feature's
// handlers are checked against its own slice of the contract.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { importCircles, ROOT, SRC, sourceFiles } from './import-graph'

const files = sourceFiles()

describe('the source tree', () => {
  it('has no import circles at run time', () => {
    expect(importCircles(files, (edge) => !edge.typeOnly)).toEqual([])
  })

  it('has no type-only import circles either, except the app store of the screens', () => {
    // zustand's slices pattern: the store's type is made of the slices' types, and each slice's
    // creator is typed by the whole store (for its few cross-slice actions). Types only, erased at run time.
    const outsideTheStore = (edge: { from: string; to: string }) => !edge.from.includes('/renderer/src/store/') || !edge.to.includes('/renderer/src/store/')
    expect(importCircles(files, outsideTheStore)).toEqual([])
  })

  it('has a README in every top-level folder of src/ and of src/main/, saying what lives there and what it may import', () => {
    const folders = [
      ...readdirSync(SRC).map((name) => join(SRC, name)),
      ...readdirSync(join(SRC, 'main')).map((name) => join(SRC, 'main', name))
    ].filter((path) => statSync(path).isDirectory())
    for (const folder of folders) {
      const readme = join(folder, 'README.md')
      expect(existsSync(readme), relative(ROOT, readme)).toBe(true)
      expect(readFileSync(readme, 'utf8'), relative(ROOT, readme)).toMatch(/may import/i)
    }
  })

  it('keeps files under about 300 lines unless the top says why', () => {
    for (const file of files) {
      const text = readFileSync(file, 'utf8')
      const name = relative(ROOT, file)
      const lines = text.split('\n').length
      if (lines > 320) expect(text.slice(0, 600), `${name} has ${lines} lines`).toMatch(/over 300 lines/i)
    }
  })

  it('checks every feature folder of the core against its own contract slice', () => {
    const features = readdirSync(join(SRC, 'main', 'core')).filter((name) => existsSync(join(SRC, 'main', 'core', name, 'handlers.ts')))
    expect(features.sort()).toEqual(['audit', 'bulk', 'changes', 'directory-sync', 'enforcement', 'enrollment', 'export', 'groups', 'history', 'in-person-enrollment', 'my-account', 'radius', 'sign-in', 'temporary-pass', 'user-import', 'users'])
    for (const feature of features) {
      const text = readFileSync(join(SRC, 'main', 'core', feature, 'handlers.ts'), 'utf8')
      expect(text, feature).toMatch(/satisfies HandlersFor<\w+Api>/)
    }
  })
})
