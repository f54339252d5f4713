// Account > RADIUS clients rendered alone: the list (address, "2FA required
// for every user", who added it, a Remove button named after the client), the
// empty state saying what a RADIUS client is, the Add client form (labels on
// every field, the generated secret by default, an own secret in a password
// field, the address checked in the core's words), the secret shown once; and
// the sidebar entry, for administrators only.
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import type { RadiusClientView } from '../../../src/shared/contract/radius'
import { radiusSchemas } from '../../../src/shared/schemas/radius'
import {
  ADDRESS_MESSAGE,
  AddRadiusClientDialog,
  draftProblems,
  EMPTY_RADIUS_CLIENT,
  radiusClientInput,
  SECRET_MESSAGE,
  type RadiusClientDraft
} from '../../../src/renderer/src/components/AddRadiusClientDialog'
import { RadiusClientsEmpty, RadiusClientsTable, SharedSecretDialog } from '../../../src/renderer/src/components/RadiusClients'
import { Sidebar } from '../../../src/renderer/src/components/Sidebar'
import { formatDateTime } from '../../../src/renderer/src/lib/format'

const text = (html: string) =>
  html
    // A place where an email may wrap, not a space.
    .replace(/<wbr\/?>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim()
const noop = () => {}

/** The attributes of the input with this name (the first, for radio buttons). */
function input(html: string, name: string): Record<string, string> {
  const tag = new RegExp(`<input\\b[^>]*\\bname="${name}"[^>]*>`).exec(html)?.[0] ?? ''
  return Object.fromEntries([...tag.matchAll(/([\w-]+)="([^"]*)"/g)].map((match) => [match[1], match[2]]))
}
/** The text of the label for the input with this name. */
function labelOf(html: string, name: string): string {
  const id = input(html, name).id
  const label = new RegExp(`<label\\b[^>]*for="${id}"[^>]*>(.*?)</label>`).exec(html)?.[1]
  return text(label ?? '')
}

const CLIENTS: RadiusClientView[] = [
  { name: 'vpn-gateway', address: '10.0.0.0/8', require2fa: true, createdAt: Date.UTC(2026, 2, 1, 9), createdBy: 'ada@example.com' },
  { name: 'wifi', address: '192.0.2.10', require2fa: false, createdAt: Date.UTC(2026, 2, 2, 9), createdBy: 'cli' }
]

function dialog(draft: RadiusClientDraft = EMPTY_RADIUS_CLIENT, extra: { error?: string; checked?: boolean } = {}) {
  return renderToStaticMarkup(
    <AddRadiusClientDialog pending={false} error={extra.error ?? null} invalidField={null} onSubmit={noop} onCancel={noop} initialDraft={draft} initiallyChecked={extra.checked ?? false} />
  )
}

describe('the RADIUS clients list', () => {
  it('shows each client’s address, whether 2FA is required for every user, and when and by whom it was added', () => {
    const shown = text(renderToStaticMarkup(<RadiusClientsTable clients={CLIENTS} busy={false} onRemove={noop} />))
    expect(shown).toContain('Name Address 2FA required for every user Added')
    expect(shown).toContain(`vpn-gateway 10.0.0.0/8 Yes ${formatDateTime(CLIENTS[0]!.createdAt)} by ada@example.com Remove`)
    expect(shown).toContain(`wifi 192.0.2.10 No ${formatDateTime(CLIENTS[1]!.createdAt)} by cli Remove`)
  })

  it('names each Remove button after its client, for the keyboard and screen readers', () => {
    const html = renderToStaticMarkup(<RadiusClientsTable clients={CLIENTS} busy={false} onRemove={noop} />)
    expect(html).toContain('aria-label="Remove vpn-gateway"')
    expect(html).toContain('aria-label="Remove wifi"')
  })

  it('says what a RADIUS client is when there is none, and how to run the service', () => {
    const shown = text(renderToStaticMarkup(<RadiusClientsEmpty onAdd={noop} />))
    expect(shown).toContain('No RADIUS clients yet')
    expect(shown).toMatch(/VPN gateway, a Wi-Fi controller, a firewall/)
    expect(shown).toContain('twofa-admin radius serve')
    expect(shown).toContain('docs/RADIUS.md')
    expect(shown).toContain('Add client')
  })
})

describe('the Add client dialog', () => {
  it('labels every field; a generated secret is the default, with no secret field', () => {
    const html = dialog()
    expect(labelOf(html, 'name')).toBe('Name')
    expect(labelOf(html, 'address')).toBe('Address or CIDR block')
    expect(input(html, 'require2fa').type).toBe('checkbox')
    expect(text(html)).toContain('Require 2FA for every user of this client')
    expect(text(html)).toContain('Generate a shared secret')
    expect(text(html)).toContain('Enter my own')
    expect(html).toMatch(/<input(?=[^>]*value="generate")[^>]*checked=""/)
    expect(html).not.toMatch(/<input(?=[^>]*value="own")[^>]*checked=""/)
    expect(input(html, 'secret')).toEqual({})
    // The first focus is on the name.
    expect(input(html, 'name')['data-autofocus']).toBe('true')
  })

  it('takes an own secret in a password field that no browser fills with the admin’s password', () => {
    const html = dialog({ ...EMPTY_RADIUS_CLIENT, secretChoice: 'own', secret: 'short' })
    expect(labelOf(html, 'secret')).toBe('Your shared secret')
    expect(input(html, 'secret')).toMatchObject({ type: 'password', autoComplete: 'new-password' })
    expect(text(html)).toContain('At least 16 characters (5 so far)')
  })

  it('says what is wrong with the address and a short secret once checked, in the core’s words', () => {
    const html = dialog({ name: 'vpn', address: '10.0.0.300', secretChoice: 'own', secret: 'short', require2fa: false }, { checked: true })
    expect(text(html)).toContain(ADDRESS_MESSAGE)
    expect(text(html)).toContain(SECRET_MESSAGE)
    expect(input(html, 'address')['aria-invalid']).toBe('true')
    expect(input(html, 'secret')['aria-invalid']).toBe('true')
    // Not before the field was left.
    expect(text(dialog({ ...EMPTY_RADIUS_CLIENT, address: '10.0.0.300' }))).not.toContain(ADDRESS_MESSAGE)
  })

  it('uses the same words as the app’s own checks', () => {
    const refused = radiusSchemas.addRadiusClient.safeParse({ name: 'vpn', address: '10.0.0.0/33', secret: 'short', require2fa: false })
    expect(refused.success).toBe(false)
    const messages = refused.error?.issues.map((issue) => issue.message)
    expect(messages).toContain(ADDRESS_MESSAGE)
    expect(messages).toContain(SECRET_MESSAGE)
  })

  it('accepts addresses and blocks of both families, and sends no secret when the app is to make one', () => {
    for (const address of ['192.0.2.10', '10.0.0.0/8', '2001:db8::/32', '::1']) expect(draftProblems({ ...EMPTY_RADIUS_CLIENT, address })).toEqual({})
    for (const address of ['vpn.example.com', '10.0.0', '10.0.0.0/40', '1.2.3.4/8/2']) expect(draftProblems({ ...EMPTY_RADIUS_CLIENT, address }).address).toBe(ADDRESS_MESSAGE)
    const draft = { name: ' vpn ', address: ' 10.0.0.0/8 ', secretChoice: 'generate' as const, secret: 'typed before switching back', require2fa: true }
    expect(radiusClientInput(draft)).toEqual({ name: 'vpn', address: '10.0.0.0/8', require2fa: true })
    expect(radiusClientInput({ ...draft, secretChoice: 'own' })).toEqual({ name: 'vpn', address: '10.0.0.0/8', require2fa: true, secret: 'typed before switching back' })
  })

  it('shows what the app answered', () => {
    expect(text(dialog(EMPTY_RADIUS_CLIENT, { error: 'There is already a RADIUS client named vpn.' }))).toContain('There is already a RADIUS client named vpn.')
  })
})

describe('the shared secret shown once', () => {
  it('shows the secret with a Copy button and says it is shown only now', () => {
    const html = renderToStaticMarkup(<SharedSecretDialog client="vpn-gateway" secret="Zq3vV0c1p9-made-by-the-app_0123" onDone={noop} />)
    const shown = text(html)
    expect(shown).toContain('vpn-gateway was added')
    expect(shown).toContain('Zq3vV0c1p9-made-by-the-app_0123')
    expect(shown).toContain('Copy')
    expect(shown).toContain('This secret is shown only now.')
    expect(shown).toContain('Done')
  })
})

describe('the sidebar', () => {
  it('offers RADIUS clients to administrators only', () => {
    const sidebar = (role: 'admin' | 'user') =>
      text(renderToStaticMarkup(<Sidebar me={{ id: 1, name: 'Ada', email: 'ada@example.com', role }} current="radius-clients" onNavigate={noop} onLogout={noop} />))
    expect(sidebar('admin')).toContain('Users Security Groups Directory sync RADIUS clients')
    expect(sidebar('user')).not.toContain('RADIUS clients')
  })
})
