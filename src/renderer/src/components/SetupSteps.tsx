// Where a setup of several steps stands: done ones ticked, the current one marked.
import './SetupSteps.css'

export function SetupSteps({ steps, current }: { steps: readonly string[]; current: number }) {
  return (
    <ol className="setup-steps" aria-label="Steps">
      {steps.map((label, index) => (
        <li key={label} className={index < current ? 'setup-step done' : index === current ? 'setup-step current' : 'setup-step'} aria-current={index === current ? 'step' : undefined}>
          <span className="setup-step-number" aria-hidden="true">
            {index < current ? '✓' : index + 1}
          </span>
          {label}
        </li>
      ))}
    </ol>
  )
}
