import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { DialogActions } from '../../../src/renderer/src/components/Dialog'

describe('dialog actions', () => {
  it('offer Cancel and the named submit button, disabled while pending', () => {
    const html = renderToStaticMarkup(<DialogActions onCancel={() => undefined} confirmLabel="Create user" pending />)
    expect(html).toMatch(/<button type="button" class="button">Cancel<\/button>/)
    expect(html).toMatch(/<button type="submit" class="button button-primary" disabled="">Create user<\/button>/)
  })

  it('mark a dangerous action, and put the first focus on Cancel when asked', () => {
    const html = renderToStaticMarkup(<DialogActions onCancel={() => undefined} confirmLabel="Reset" tone="danger" focusCancel />)
    expect(html).toMatch(/<button type="button" class="button" data-autofocus="true">Cancel<\/button>/)
    expect(html).toMatch(/class="button button-danger">Reset</)
  })
})
