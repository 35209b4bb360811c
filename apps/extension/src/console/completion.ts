/** Completion of the capability API in the console's editor: names, signatures and docs from script-api.ts. */
import type { Completion, CompletionContext, CompletionResult } from '@codemirror/autocomplete'
import { type ApiMember, SCRIPT_API } from './api-surface.ts'

const option = (member: ApiMember): Completion => ({
  label: member.path.split('.').pop()!,
  detail: member.signature,
  info: member.doc,
  type: member.kind === 'namespace' ? 'namespace' : member.kind === 'method' ? 'function' : 'variable',
  boost: 1,
})

/** `wallet.` → wallet's methods; a bare word → the namespaces, `log`, `sleep`, `trigger`. */
export function scriptApiCompletions(context: CompletionContext, api = SCRIPT_API): CompletionResult | null {
  const word = context.matchBefore(/[\w$]+(?:\.[\w$]*)?/)
  if (!word || (word.from === word.to && !context.explicit)) return null
  const dot = word.text.lastIndexOf('.')
  const scope = dot >= 0 ? word.text.slice(0, dot) : ''
  const members = api.filter((m) => (scope ? m.path.startsWith(`${scope}.`) : !m.path.includes('.')))
  if (!members.length) return null
  return { from: dot >= 0 ? word.from + dot + 1 : word.from, options: members.map(option), validFor: /^[\w$]*$/ }
}
