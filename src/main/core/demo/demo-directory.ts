// A realistic, reproducible directory for demos and the benchmark: names and
// emails from several countries, a few administrators, individual enforcements
// and exemptions, enrolled and not-yet-enrolled users, some locked or disabled.
// Pure: the same seed and the same `now` give the same users.
import type { Enforcement, Role } from '../../../shared/domain'

export interface DemoUser {
  name: string
  email: string
  role: Role
  disabled: boolean
  enforcement: Enforcement
  enforcementAt: number | null
  failedAttempts: number
  lockedUntil: number | null
  createdAt: number
  updatedAt: number
  /** When 2FA was activated, or null when the user has no credential. */
  confirmedAt: number | null
  lastTwoFactorLoginAt: number | null
}

/** Bumped whenever the generated users change, so cached benchmark databases are rebuilt. */
export const DEMO_GENERATOR_VERSION = 2

/** Demo locks last a day rather than the real 10 minutes, so a seeded directory still shows some. */
export const DEMO_LOCK_MS = 24 * 60 * 60 * 1000
const HISTORY_MS = 3 * 365 * 24 * 60 * 60 * 1000

// The mix, per user. Administrators are rare, most enforcement follows the
// global policy, and enrolment is more common where 2FA is required.
const SHARE = {
  admin: 1 / 500,
  enforced: 0.08,
  exempt: 0.04,
  locked: 0.005,
  disabled: 0.015,
  enrolledAdmin: 0.7,
  enrolledEnforced: 0.65,
  enrolledInherit: 0.45,
  enrolledExempt: 0.1
} as const

const FIRST_NAMES = [
  'Maria', 'Mariana', 'Marie', 'Mario', 'Marius', 'Marisol', 'Marta', 'Martin', 'Martina', 'Mark', 'Marco', 'Marcus',
  'Omar', 'Tamara', 'Amara', 'Ada', 'Alan', 'Alice', 'Amelia', 'Ana', 'Andrea', 'Anna', 'Antoine', 'Aisha', 'Ben',
  'Björn', 'Camille', 'Carlos', 'Charlotte', 'Chloé', 'Chen', 'Daniel', 'David', 'Diego', 'Elena', 'Elif', 'Emma',
  'Émile', 'Erik', 'Eva', 'Fatima', 'Felix', 'Francesca', 'François', 'Gabriel', 'Giulia', 'Hana', 'Hannah', 'Hugo',
  'Ines', 'Ingrid', 'Isabel', 'Ivan', 'Jakub', 'James', 'Jana', 'João', 'Jonas', 'José', 'Julia', 'Kai', 'Karin',
  'Kenji', 'Laura', 'Lea', 'Leon', 'Liam', 'Lina', 'Lucas', 'Lucía', 'Luis', 'Łukasz', 'Magnus', 'Mateo', 'Mei',
  'Mia', 'Mohammed', 'Nadia', 'Noah', 'Nora', 'Olga', 'Oliver', 'Paula', 'Pedro', 'Piotr', 'Priya', 'Rafael',
  'Ravi', 'Rosa', 'Sara', 'Sebastian', 'Sofia', 'Søren', 'Thomas', 'Tom', 'Valentina', 'Wei', 'Yuki', 'Zoë', 'Zeynep'
]

const LAST_NAMES = [
  'García', 'Martínez', 'Marino', 'Marquardt', 'Rossi', 'Russo', 'Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber',
  'Meyer', 'Wagner', 'Becker', 'Hoffmann', 'Dubois', 'Durand', 'Lefebvre', 'Moreau', 'Laurent', 'Bernard', 'Smith',
  'Johnson', 'Williams', 'Brown', 'Jones', 'Miller', 'Davis', 'Wilson', 'Taylor', 'Anderson', 'Thomas', 'Moore',
  'Jackson', 'White', 'Harris', 'Clark', 'Lewis', 'Walker', 'Hall', 'Young', 'King', 'Wright', 'López', 'González',
  'Rodríguez', 'Fernández', 'Pérez', 'Sánchez', 'Ramírez', 'Torres', 'Flores', 'Silva', 'Santos', 'Oliveira',
  'Souza', 'Costa', 'Pereira', 'Almeida', 'Nowak', 'Kowalski', 'Wiśniewski', 'Novák', 'Svoboda', 'Horváth',
  'Nagy', 'Popescu', 'Ionescu', 'Jensen', 'Nielsen', 'Hansen', 'Johansson', 'Andersson', 'Karlsson', 'Nilsson',
  'Virtanen', 'Korhonen', 'de Vries', 'van Dijk', 'Jansen', 'Bakker', 'Peeters', 'Janssens', "O'Brien", 'Murphy',
  'Kelly', 'Yılmaz', 'Kaya', 'Demir', 'Ivanov', 'Petrov', 'Kuznetsova', 'Haddad', 'Khan', 'Patel', 'Sharma',
  'Singh', 'Kumar', 'Nguyen', 'Tran', 'Kim', 'Lee', 'Park', 'Wang', 'Li', 'Zhang', 'Liu', 'Tanaka', 'Suzuki', 'Sato',
  'Okafor', 'Mensah', 'Adeyemi', 'Mwangi', 'Cohen', 'Levi', 'Papadopoulos', 'Marchetti', 'Ricci', 'Romano'
]

// Reserved example domains (RFC 2606): a demo can never mail a real person.
const DOMAINS = ['example.com', 'example.org', 'example.net', 'corp.example.com', 'eu.example.com', 'lab.example.org']

/** mulberry32: small, fast and good enough to make demo data reproducible. Not for secrets. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function emailPart(text: string): string {
  // Lower case first, so that Ł and Ø are transliterated like ł and ø ("Łukasz" -> "lukasz").
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/ł/g, 'l')
    .replace(/ø/g, 'o')
    .replace(/ı/g, 'i')
    .replace(/[^a-z]/g, '')
}

export interface DemoOptions {
  count: number
  seed: number
  /** Epoch ms the history is relative to. */
  now: number
}

/** Calls `emit` once per demo user, in order. Emails are unique: a second Maria García gets maria.garcia2@... */
export function generateDemoUsers(options: DemoOptions, emit: (user: DemoUser) => void): void {
  const random = seededRandom(options.seed)
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T
  const between = (from: number, to: number): number => Math.floor(from + random() * (to - from))
  const firstParts = FIRST_NAMES.map(emailPart)
  const lastParts = LAST_NAMES.map(emailPart)
  const taken = new Map<string, number>()
  const { now } = options

  for (let i = 0; i < options.count; i++) {
    const first = Math.floor(random() * FIRST_NAMES.length)
    const last = Math.floor(random() * LAST_NAMES.length)
    const domain = pick(DOMAINS)
    const local = `${firstParts[first]}.${lastParts[last]}`
    const key = `${local}@${domain}`
    const seen = (taken.get(key) ?? 0) + 1
    taken.set(key, seen)
    const email = seen === 1 ? key : `${local}${seen}@${domain}`

    const role: Role = random() < SHARE.admin ? 'admin' : 'user'
    const draw = random()
    const enforcement: Enforcement =
      role === 'admin' ? 'inherit' : draw < SHARE.enforced ? 'enforced' : draw < SHARE.enforced + SHARE.exempt ? 'exempt' : 'inherit'
    const enrolledShare =
      role === 'admin'
        ? SHARE.enrolledAdmin
        : enforcement === 'enforced'
          ? SHARE.enrolledEnforced
          : enforcement === 'exempt'
            ? SHARE.enrolledExempt
            : SHARE.enrolledInherit
    const enrolled = random() < enrolledShare
    const locked = random() < SHARE.locked
    const disabled = random() < SHARE.disabled

    const createdAt = between(now - HISTORY_MS, now - 60_000)
    const enforcementAt = enforcement === 'inherit' ? null : between(createdAt, now)
    const confirmedAt = enrolled ? between(createdAt, now) : null
    const lastTwoFactorLoginAt = confirmedAt === null ? null : random() < 0.9 ? between(confirmedAt, now) : null
    emit({
      name: `${FIRST_NAMES[first]} ${LAST_NAMES[last]}`,
      email,
      role,
      disabled,
      enforcement,
      enforcementAt,
      failedAttempts: locked ? 10 : 0,
      lockedUntil: locked ? now + DEMO_LOCK_MS : null,
      createdAt,
      updatedAt: Math.max(createdAt, enforcementAt ?? 0, confirmedAt ?? 0),
      confirmedAt,
      lastTwoFactorLoginAt
    })
  }
}
