/**
 * The capability API as data, read from script-api.ts's own text: namespaces with their methods
 * (for the sandbox's globals) and every member with its signature and doc (for completion).
 */
import scriptApiSource from './script-api.ts?raw'

export type ApiMember = { path: string; signature: string; doc: string; kind: 'namespace' | 'method' | 'value' }

export function parseScriptApi(source: string): ApiMember[] {
  const body = source.slice(source.indexOf('export interface ScriptGlobals {'))
  const members: ApiMember[] = []
  let namespace: string | undefined
  let doc = ''
  for (const line of body.split('\n').slice(1)) {
    const docMatch = line.match(/^\s*\/\*\*\s*(.*?)\s*\*\/\s*$/)
    if (docMatch) {
      doc = docMatch[1] ?? ''
      continue
    }
    const depth = line.length - line.trimStart().length
    const text = line.trim()
    const open = text.match(/^(\w+): \{$/)
    if (depth === 2 && open) {
      namespace = open[1]!
      members.push({ path: namespace, signature: '', doc, kind: 'namespace' })
    } else if (text === '}' && depth === 2) namespace = undefined
    else {
      const member = text.match(/^(\w+)(\(.*|: .*)$/)
      if (member && (depth === 2 || (depth === 4 && namespace))) {
        const path = depth === 4 ? `${namespace}.${member[1]}` : member[1]!
        members.push({ path, signature: member[2]!, doc, kind: member[2]!.startsWith('(') ? 'method' : 'value' })
      }
    }
    doc = ''
  }
  return members
}

export const SCRIPT_API = parseScriptApi(scriptApiSource)

/** `{ wallet: ['addresses', …], … }`: what the sandbox defines (each method a host call). */
export const SCRIPT_NAMESPACES: Record<string, string[]> = Object.fromEntries(
  SCRIPT_API.filter((m) => m.kind === 'namespace').map((ns) => [
    ns.path,
    SCRIPT_API.filter((m) => m.kind === 'method' && m.path.startsWith(`${ns.path}.`)).map((m) => m.path.split('.')[1]!),
  ]),
)
