import { createPublicClient, createWalletClient, type Hex, http } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { describe, expect, it } from 'vitest'
import { startTestNode, TEST_KEYS } from '../testing.ts'

const account = privateKeyToAccount(TEST_KEYS[2] as Hex)
const POINT_EVALUATION = '0x000000000000000000000000000000000000000a'
const RECIPIENT = '0x00000000000000000000000000000000000d0d0d'

describe('persistence across restart', () => {
  it('keeps every sealed block state, also after a tx whose precompile call fails', async () => {
    const first = await startTestNode({ blockTime: 0 })
    const pub = createPublicClient({ chain: first.chain, transport: http(), pollingInterval: 10 })
    const wallet = createWalletClient({ chain: first.chain, transport: http(), account })
    // Invalid input to the KZG point-evaluation precompile: the tx fails, the block must not.
    const failing = await wallet.sendTransaction({ to: POINT_EVALUATION, value: 1n, data: '0x01', gas: 100_000n })
    expect((await pub.waitForTransactionReceipt({ hash: failing })).status).toBe('reverted')
    const ok = await wallet.sendTransaction({ to: RECIPIENT, value: 12345n })
    expect((await pub.waitForTransactionReceipt({ hash: ok })).status).toBe('success')
    // An answered tx is on disk already: its block is the head the restart must find.
    const head = first.node.status().head.hash
    await first.close({ keepData: true })

    const second = await startTestNode({ blockTime: 0, dataDir: first.dataDir })
    try {
      const pub2 = createPublicClient({ chain: second.chain, transport: http() })
      expect((await pub2.getBlock()).hash).toBe(head)
      expect(await pub2.getBalance({ address: RECIPIENT })).toBe(12345n)
      expect(await pub2.getTransactionCount({ address: account.address })).toBe(2)
      expect((await pub2.getTransactionReceipt({ hash: failing })).status).toBe('reverted')
    } finally {
      await second.close()
    }
  })
})
