// The import graph of src/, read with TypeScript's own pre-processor, for the
// architecture tests: which file imports which, and whether only for types.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import ts from 'typescript'

export const ROOT = resolve(__dirname, '..', '..', '..')
export const SRC = join(ROOT, 'src')

export function sourceFiles(dir: string = SRC): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sourceFiles(path)
    return /\.(ts|tsx)$/.test(name) && !name.endsWith('.d.ts') ? [path] : []
  })
}

export interface Import {
  from: string
  to: string
  typeOnly: boolean
}

function resolveImport(from: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null
  const base = resolve(dirname(from), specifier)
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), join(base, 'index.tsx')]) {
    try {
      if (statSync(candidate).isFile()) return candidate
    } catch {
      // not this one
    }
  }
  return null
}

/** Every relative import and re-export of a file, with whether it is erased at run time. */
export function importsOf(file: string): Import[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false, file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS)
  const found: Import[] = []
  for (const statement of source.statements) {
    let specifier: ts.Expression | undefined
    let typeOnly = false
    if (ts.isImportDeclaration(statement)) {
      specifier = statement.moduleSpecifier
      const clause = statement.importClause
      typeOnly =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (clause.name === undefined &&
            clause.namedBindings !== undefined &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.length > 0 &&
            clause.namedBindings.elements.every((element) => element.isTypeOnly)))
    } else if (ts.isExportDeclaration(statement) && statement.moduleSpecifier !== undefined) {
      specifier = statement.moduleSpecifier
      typeOnly = statement.isTypeOnly
    }
    if (specifier === undefined || !ts.isStringLiteral(specifier)) continue
    const to = resolveImport(file, specifier.text)
    if (to !== null) found.push({ from: file, to, typeOnly })
  }
  return found
}

/** The strongly connected components with more than one file (or a file importing itself): the import circles. */
export function importCircles(files: readonly string[], include: (edge: Import) => boolean): string[][] {
  const edges = new Map<string, string[]>()
  for (const file of files) edges.set(file, importsOf(file).filter(include).map((edge) => edge.to))
  let index = 0
  const indices = new Map<string, number>()
  const lowlinks = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const circles: string[][] = []
  const visit = (file: string): void => {
    indices.set(file, index)
    lowlinks.set(file, index)
    index++
    stack.push(file)
    onStack.add(file)
    for (const next of edges.get(file) ?? []) {
      if (!indices.has(next)) {
        visit(next)
        lowlinks.set(file, Math.min(lowlinks.get(file)!, lowlinks.get(next)!))
      } else if (onStack.has(next)) lowlinks.set(file, Math.min(lowlinks.get(file)!, indices.get(next)!))
    }
    if (lowlinks.get(file) === indices.get(file)) {
      const component: string[] = []
      let member: string
      do {
        member = stack.pop()!
        onStack.delete(member)
        component.push(member)
      } while (member !== file)
      if (component.length > 1 || (edges.get(file) ?? []).includes(file)) circles.push(component.map((path) => relative(ROOT, path)).sort())
    }
  }
  for (const file of files) if (!indices.has(file)) visit(file)
  return circles
}
