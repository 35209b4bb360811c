import { BRIDGE_CONFIG_PRESETS, type BridgeConfig, WithdrawalNotReadyError } from '@seed/contracts'
import { describe, expect, test } from 'vitest'
import type { Batch } from './batches.ts'
import { batchCovering, type L2Withdrawal, type WithdrawalPlace, withdrawalTimeline } from './bridge.ts'
import { explainWithdrawalError, WithdrawalStepError } from './withdrawal-errors.ts'

const hash = (n: number) => `0x${n.toString(16).padStart(64, '0')}` as const
const address = (n: number) => `0x${n.toString(16).padStart(40, '0')}` as const
const withdrawal: L2Withdrawal = {
  nonce: 0n,
  sender: address(1),
  target: address(2),
  value: 10n ** 17n,
  gasLimit: 100_000n,
  data: '0x',
  withdrawalHash: hash(7),
  l2Block: 12n,
  l2TxHash: hash(8),
}
const batch = (index: bigint, firstBlock: bigint, lastBlock: bigint): Batch => ({
  index,
  batchHash: hash(100 + Number(index)),
  firstBlock,
  lastBlock,
  outputRoot: hash(200 + Number(index)),
  blobHashes: [],
  cid: 'b',
  l1TxHash: hash(300 + Number(index)),
  l1Block: 40n + index,
})
const config: BridgeConfig = { ...BRIDGE_CONFIG_PRESETS.devnet, guardians: [address(9)], threshold: 1n }
const proven = {
  proven: new Map([[withdrawal.withdrawalHash, { index: 1n, l1TxHash: hash(9) }]]),
  finalized: new Map(),
}
const place = (p: Partial<WithdrawalPlace>): WithdrawalPlace => ({
  withdrawal,
  batch: batch(1n, 10n, 20n),
  events: proven,
  config,
  status: undefined,
  postedAt: 1_000n,
  ...p,
})
const stepOf = (steps: ReturnType<typeof withdrawalTimeline>, label: string) => steps.find((s) => s.label === label)

describe('batchCovering', () => {
  test('the first posted batch whose range reaches the block, not a later one', () => {
    const batches = [batch(2n, 21n, 30n), batch(1n, 10n, 20n), batch(0n, 0n, 9n)] // newest first
    expect(batchCovering(batches, 12n)?.index).toBe(1n)
    expect(batchCovering(batches, 31n)).toBeUndefined()
  })
})

describe('withdrawalTimeline', () => {
  test('proven, window open: the countdown runs on the time given (L1’s), finalizing waits', () => {
    const steps = withdrawalTimeline({ ...place({}), now: 1_000n + config.challengeWindow - 42n })
    expect(stepOf(steps, 'Challenge window')).toEqual({
      label: 'Challenge window',
      state: 'current',
      detail: '42 s left',
    })
    expect(stepOf(steps, 'Finalized')?.state).toBe('waiting')
  })

  test('window closed: finalizing is the current step', () => {
    const steps = withdrawalTimeline({ ...place({}), now: 1_000n + config.challengeWindow })
    expect(stepOf(steps, 'Challenge window')?.detail).toBe('closed')
    expect(stepOf(steps, 'Finalized')?.state).toBe('current')
  })

  test('a challenged output says so instead of counting down', () => {
    const steps = withdrawalTimeline({ ...place({ status: { status: 'challenged', index: 1n } }), now: 1_001n })
    expect(stepOf(steps, 'Challenge window')?.detail).toBe('output #1 is challenged: waiting for the guardians')
  })

  test('a rolled-back output sends the withdrawal back to proving', () => {
    const steps = withdrawalTimeline({ ...place({ status: { status: 'output-invalidated', index: 1n } }), now: 1_001n })
    expect(stepOf(steps, 'Proven')).toEqual({
      label: 'Proven',
      state: 'current',
      detail: 'output #1 was rolled back: prove again',
    })
  })

  test('no batch yet: waiting for the output, nothing to prove against', () => {
    const steps = withdrawalTimeline({
      ...place({ batch: undefined, events: { proven: new Map(), finalized: new Map() }, postedAt: undefined }),
      now: 1_001n,
    })
    expect(steps.map((s) => s.state)).toEqual(['done', 'current', 'waiting', 'waiting', 'waiting'])
  })
})

describe('explainWithdrawalError', () => {
  test('a bridge refusal becomes a sentence with the time the window closes', () => {
    const error = explainWithdrawalError('finalize', new WithdrawalNotReadyError(hash(7), 'challenge-window-open', 0n))
    expect(error).toBeInstanceOf(WithdrawalStepError)
    expect((error as WithdrawalStepError).shortMessage).toMatch(
      /^Cannot finalize this withdrawal: the challenge window is not over: it closes at .+\.$/,
    )
    expect(
      (
        explainWithdrawalError(
          'prove',
          new WithdrawalNotReadyError(hash(7), 'already-finalized'),
        ) as WithdrawalStepError
      ).shortMessage,
    ).toBe('Cannot prove this withdrawal: it is already finalized: its ETH was paid on L1.')
  })

  test('any other error is left as it is (the wallet’s and the node’s say their own)', () => {
    const error = new Error('User rejected the request.')
    expect(explainWithdrawalError('prove', error)).toBe(error)
  })
})
