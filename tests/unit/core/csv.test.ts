import { parse } from 'csv-parse/sync'
import { describe, expect, it } from 'vitest'
import { csvField, csvLine } from '../../../src/shared/csv'

describe('CSV as exports write it', () => {
  it('neutralises every formula start a spreadsheet knows, and only text', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r']) expect(csvField(`${start}1+1`).replace(/^"|"$/g, '')).toBe(`'${start}1+1`)
    expect(csvField(-5)).toBe('-5')
    expect(csvField(false)).toBe('false')
    expect(csvField(null)).toBe('')
    expect(csvField('a@b.example')).toBe('a@b.example')
  })

  it('quotes what needs it, and a maintained parser reads back exactly what was written', () => {
    const values = ['plain', 'with, comma', 'with "quotes"', 'two\nlines', 'cr\rlf\r\n', '', 'ünïcødé ✓']
    expect(parse(csvLine(values), { relax_column_count: false })).toEqual([values])
    expect(csvLine(['a', 'b'])).toBe('a,b\r\n')
  })
})
