/**
 * The examples/ scripts type-check against the capability API's types (examples/seed-script.d.ts
 * over script-api.ts), each as the sandbox runs it: the body of an async function. They also pass
 * the sandbox host's TypeScript stripping, and each starts with a header comment.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import { stripTypes } from '../sandbox/strip-types.ts'

const EXAMPLES = join(import.meta.dirname, '../../../../examples')
const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))

/** One program for every example (the API's types load once); each example's own diagnostics by file. */
function typeCheck(): Map<string, string[]> {
  const checked = new Map(
    files.map((file) => [
      join(EXAMPLES, `${file}.check.ts`),
      `export {}\nasync function script() {\n${readFileSync(join(EXAMPLES, file), 'utf8')}\n}\n`,
    ]),
  )
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    allowImportingTsExtensions: true,
    // A script has no DOM, no Node: only the language and the API's globals.
    lib: ['lib.es2023.d.ts'],
    types: [],
  }
  const host = ts.createCompilerHost(options)
  const { readFile, fileExists } = host
  host.readFile = (path) => checked.get(path) ?? readFile(path)
  host.fileExists = (path) => checked.has(path) || fileExists(path)
  const program = ts.createProgram([...checked.keys(), join(EXAMPLES, 'seed-script.d.ts')], options, host)
  const errors = new Map(files.map((file) => [file, [] as string[]]))
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const file =
      d.file?.fileName
        .split('/')
        .pop()
        ?.replace(/\.check\.ts$/, '') ?? '(global)'
    const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line - 1 : 0
    const list = errors.get(file) ?? errors.set(file, []).get(file)!
    list.push(`${line}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`)
  }
  return errors
}

describe('examples/', () => {
  const errors = typeCheck()
  it('has at least five scripts', () => expect(files.length).toBeGreaterThanOrEqual(5))
  it('declares the globals without errors', () => expect([...errors].filter(([f]) => !files.includes(f))).toEqual([]))

  for (const file of files) {
    it(`${file} type-checks against the capability API and runs through the sandbox's stripping`, () => {
      const source = readFileSync(join(EXAMPLES, file), 'utf8')
      expect(source.startsWith('/**')).toBe(true)
      expect(errors.get(file)).toEqual([])
      expect(() => stripTypes(source)).not.toThrow()
    })
  }
})
