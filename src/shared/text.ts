// Text from the directory or the audit log shown to a person: control
// characters and bidirectional overrides are made visible, never interpreted,
// so that no stored value can fake a line, a colour or the order of what is
// printed around it (CVE-2021-42574 "Trojan Source" style). Pure TypeScript.

/**
 * C0 and C1 controls, DEL, the Unicode bidi controls and marks, every other
 * format character (the zero-width space, the soft hyphen, the word joiner,
 * invisible operators, tags, the byte order mark) and the line and paragraph
 * separators: nothing that could make two names look the same. Except the
 * zero-width non-joiner and joiner (U+200C, U+200D), which Persian, Indic
 * scripts and emoji sequences need to be written at all.
 */
export const HIDDEN_CHARACTERS = /(?![\u200c\u200d])[\u0000-\u001f\u007f-\u009f\u2028\u2029\p{Cf}]/gu

/** Whether the text holds a character that would be interpreted rather than shown. */
export function hasHiddenCharacters(text: string): boolean {
  HIDDEN_CHARACTERS.lastIndex = 0
  return HIDDEN_CHARACTERS.test(text)
}

/** The text with every such character written as ⟨U+XXXX⟩. */
export function visibleText(text: string): string {
  return text.replace(HIDDEN_CHARACTERS, (char) => `⟨U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}⟩`)
}
