/** The CLI's help: every command answers --help and exits 0; an unknown command says how to use it. */
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'

const BIN = join(import.meta.dirname, '..', 'bin', 'seed-agent.mjs')
const run = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' })

describe('seed-agent --help', () => {
  test.each(['', 'pair', 'run', 'mcp', 'status', 'bridge'])('seed-agent %s --help', (command) => {
    const answer = run(...(command ? [command] : []), '--help')
    expect(answer.status).toBe(0)
    expect(answer.stdout).toContain(command ? `seed-agent ${command}` : 'Commands:')
    expect(answer.stdout).toContain('--port')
  })

  test.each(['', ' deposit', ' prove'])('seed-agent bridge%s --help names every step and its options', (step) => {
    const answer = run('bridge', ...(step ? [step.trim()] : []), '--help')
    expect(answer.status).toBe(0)
    for (const word of ['deposit', 'withdraw', 'prove', 'finalize', 'status', '--asset', '--withdrawal', '--wait'])
      expect(answer.stdout).toContain(word)
  })

  test('an unknown command prints the usage and fails', () => {
    const answer = run('drain')
    expect(answer.status).toBe(2)
    expect(answer.stdout).toContain('Usage: seed-agent <command>')
  })
})
