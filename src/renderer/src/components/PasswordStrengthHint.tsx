import { passwordStrength } from '../lib/password-strength'

/** A meter and a sentence under a new-password input. */
export function PasswordStrengthHint({ password }: { password: string }) {
  const strength = passwordStrength(password)
  return (
    <span className={`strength strength-${strength.level}`}>
      <span className="strength-meter" aria-hidden="true">
        {[1, 2, 3, 4].map((step) => (
          <span key={step} className={step <= strength.level ? 'strength-step filled' : 'strength-step'} />
        ))}
      </span>
      <span className="strength-text">
        {strength.label ? <strong>{strength.label}. </strong> : null}
        {strength.hint}
      </span>
    </span>
  )
}
