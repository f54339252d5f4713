// The narrow Users table's email (issue 13) may wrap before "@" and after each
// ".": the parts the <wbr> go between, which join back to the whole email.
import { describe, expect, it } from 'vitest'
import { emailParts } from '../../../src/renderer/src/components/EmailText'

describe('emailParts', () => {
  it('splits before "@" and after each ".", keeping every character', () => {
    expect(emailParts('amelia.marquardt@lab.example.org')).toEqual(['amelia.', 'marquardt', '@lab.', 'example.', 'org'])
    expect(emailParts('aaron.christodoulopoulos@research.lab.org').join('')).toBe('aaron.christodoulopoulos@research.lab.org')
  })

  it('leaves an email without "." or "@" whole, and gives nothing for an empty one', () => {
    expect(emailParts('localadmin')).toEqual(['localadmin'])
    expect(emailParts('')).toEqual([])
  })
})
