// The accessibility check: axe-core run in the page against the WCAG 2.2 A and
// AA rules. Its source is evaluated through the DevTools protocol rather than
// added as a <script>, which the app's Content-Security-Policy would refuse.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { AxeResults, Result } from 'axe-core'
import type { Locator, Page } from 'playwright-core'
import { ROOT } from './preview'

export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'] as const

/**
 * Rules whose "needs review" is a fault all the same: axe asks only because
 * the element has text of its own (a name on a <p> or <code>, which ARIA
 * prohibits and screen readers drop).
 */
const CERTAIN_WHEN_INCOMPLETE = new Set(['aria-prohibited-attr'])

let source: string | undefined
const axeSource = (): string => (source ??= readFileSync(join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8'))

/** The WCAG 2.2 A/AA violations (and certain faults of those to review) on the page as it is now (the whole document, dialogs included). */
export async function axeViolations(page: Page): Promise<Result[]> {
  // A tooltip fading in would be measured half transparent: let every finite transition end first.
  await page.evaluate(() => Promise.all(document.getAnimations().filter((animation) => animation.effect?.getComputedTiming().endTime !== Infinity).map((animation) => animation.finished.catch(() => undefined))))
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource())
  const results = await page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<AxeResults> } }).axe
    return axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations', 'incomplete'] })
  }, [...WCAG_TAGS])
  return [...results.violations, ...results.incomplete.filter((result) => CERTAIN_WHEN_INCOMPLETE.has(result.id))]
}

/** Each violation as what to fix: the rule, its help, and every failing node's target and summary. */
export function describeViolations(violations: Result[]): string {
  return violations
    .map((violation) => {
      const nodes = violation.nodes.map((node) => {
        const summary = node.failureSummary ?? [...node.any, ...node.all, ...node.none].map((check) => check.message).join('\n')
        return `    - ${node.target.join(' ')}\n      ${summary.replace(/\n/g, '\n      ')}`
      })
      return `  ${violation.id} (${violation.impact ?? 'no impact'}): ${violation.help}\n    ${violation.helpUrl}\n${nodes.join('\n')}`
    })
    .join('\n')
}

/** Fails, saying what to fix, unless the page as it is now has no WCAG 2.2 A/AA violation. */
export async function expectNoViolations(page: Page, where: string): Promise<void> {
  const violations = await axeViolations(page)
  if (violations.length > 0) {
    throw new Error(`Accessibility violations on ${where}:\n${describeViolations(violations)}`)
  }
}

/**
 * The contrast ratio (WCAG 2) of an element's text colour on its own
 * background colour, both as the browser computed them (the background must
 * be opaque: a segment, a badge, a button).
 */
export function textContrast(element: Locator): Promise<number> {
  return element.evaluate((node) => {
    const style = getComputedStyle(node)
    const channels = (colour: string): number[] => {
      const [r = 0, g = 0, b = 0, a = 1] = (colour.match(/[\d.]+/g) ?? []).map(Number)
      if (a !== 1) throw new Error(`The colour ${colour} is not opaque.`)
      return [r, g, b]
    }
    const luminance = (colour: string): number => {
      const [r = 0, g = 0, b = 0] = channels(colour).map((value) => {
        const c = value / 255
        return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
      })
      return 0.2126 * r + 0.7152 * g + 0.0722 * b
    }
    const [lighter, darker] = [luminance(style.color), luminance(style.backgroundColor)].sort((a, b) => b - a)
    return (lighter! + 0.05) / (darker! + 0.05)
  })
}

/** A disabled button looks disabled yet stays readable: not faded, its text at least 4.5:1 on its own background (defect 4.12). */
export async function expectReadableWhenDisabled(button: Locator, name: string): Promise<void> {
  if (!(await button.isDisabled())) throw new Error(`${name} is not disabled.`)
  const opacity = await button.evaluate((element) => getComputedStyle(element).opacity)
  if (opacity !== '1') throw new Error(`The disabled ${name} is faded (opacity ${opacity}).`)
  const contrast = await textContrast(button)
  if (contrast < 4.5) throw new Error(`The disabled ${name}'s text has a contrast of ${contrast.toFixed(2)}:1, under 4.5:1.`)
}
