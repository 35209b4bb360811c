import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { render } from '../scripts/api-doc.ts'

test('docs/agent-api.md is what the capability API types produce (run `pnpm --filter @seed/agent api-doc`)', () => {
  expect(readFileSync(join(import.meta.dirname, '../../../docs/agent-api.md'), 'utf8')).toBe(render())
})
