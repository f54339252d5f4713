// One wording per fact (issue 13, section 4, item 10): why 2FA is enforced is
// said the same way on every screen and on the command line, from
// ENFORCEMENT_SOURCE_LABEL in src/shared/labels.ts. The old variants found on
// the walk must not come back anywhere in the renderer or the CLI.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ENFORCEMENT_SOURCE_LABEL } from '../../../src/shared/labels'

const ROOT = join(__dirname, '..', '..', '..')

/** Every phrasing the walk found, and the fact each one tried to say. */
const OLD_VARIANTS: Record<string, RegExp> = {
  role: /Enforced as administrator/i,
  individual: /enforced (for your account )?by an administrator|An administrator has enforced/i,
  policy: /Enforced by (the )?policy/i
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sources(path)
    return /\.(ts|tsx)$/.test(name) ? [path] : []
  })
}

describe('why 2FA is enforced: one wording per fact', () => {
  it('has one distinct label per fact', () => {
    const labels = Object.values(ENFORCEMENT_SOURCE_LABEL)
    expect(new Set(labels).size).toBe(labels.length)
    expect(ENFORCEMENT_SOURCE_LABEL).toEqual({
      role: 'Always enforced for administrators',
      individual: 'Enforced individually',
      group: 'Enforced by a group',
      policy: 'Enforced for all users',
      exempt: 'Exempt from enforcement',
      none: 'Not enforced'
    })
  })

  it('no source of the renderer, the CLI or the core still carries an old variant', () => {
    const files = [...sources(join(ROOT, 'src', 'renderer', 'src')), ...sources(join(ROOT, 'src', 'cli')), ...sources(join(ROOT, 'src', 'main', 'core')), join(ROOT, 'src', 'shared', 'labels.ts')]
    expect(files.length).toBeGreaterThan(50)
    const found: string[] = []
    for (const file of files) {
      // What people read: code and strings, not the comments that explain it.
      const text = readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => !/^\s*(\/\/|\*|\/\*)/.test(line))
        .join('\n')
      for (const [fact, variant] of Object.entries(OLD_VARIANTS)) {
        if (variant.test(text)) found.push(`${relative(ROOT, file)}: ${fact} (${variant.source})`)
      }
    }
    expect(found).toEqual([])
  })
})
