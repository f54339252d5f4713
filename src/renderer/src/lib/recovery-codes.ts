// Copy and save-as-text for recovery codes, the only two ways they leave the screen.

export function recoveryCodesText(codes: readonly string[], account: string, now: Date = new Date()): string {
  return [
    '2FA Admin recovery codes',
    `Account: ${account}`,
    `Created: ${now.toISOString()}`,
    '',
    'Each code can be used once, instead of an authentication code, if you lose your phone.',
    '',
    ...codes,
    ''
  ].join('\n')
}

export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text)
    return true
  } catch {
    return false
  }
}

export function downloadText(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }))
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  document.body.append(link)
  link.click()
  link.remove()
  // Let the download start before the URL goes away.
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}
