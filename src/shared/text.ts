// Text from the directory or the audit log shown to a person: control
// characters and bidirectional overrides are made visible, never interpreted,
// so that no stored value can fake a line, a colour or the order of what is
// printed around it (CVE-2021-42574 "Trojan Source" style). Pure TypeScript.

/** C0 and C1 controls, DEL, and the Unicode bidi controls and marks. */
 
export const HIDDEN_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g

/** Whether the text holds a character that would be interpreted rather than shown. */
export function hasHiddenCharacters(text: string): boolean {
  HIDDEN_CHARACTERS.lastIndex = 0
  return HIDDEN_CHARACTERS.test(text)
}

/** The text with every such character written as ⟨U+XXXX⟩. */
export function visibleText(text: string): string {
  return text.replace(HIDDEN_CHARACTERS, (char) => `⟨U+${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}⟩`)
}
