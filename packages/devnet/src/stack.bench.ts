/** devnet.start_ms: time for startStack() to bring anvil, contracts and the bundler up. */
import { emit, log, stats } from '@seed/testkit/bench'
import { startStack } from './stack.ts'

const samples: number[] = []
for (let i = 0; i < 4; i++) {
  const t = performance.now()
  const stack = await startStack({ manifestPath: false })
  const ms = performance.now() - t
  await stack.stop()
  if (i > 0) samples.push(ms) // first run warms the disk cache
  log(`run ${i}: ${ms.toFixed(0)} ms`)
}
const s = stats(samples)
emit({ bench: 'devnet.start_ms', value: Math.round(s.p50), unit: 'ms', env: 'node', ...s })
