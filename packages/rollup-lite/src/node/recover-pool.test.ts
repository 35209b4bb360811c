import { createTxFromRLP } from '@ethereumjs/tx'
import { hexToBytes, parseGwei } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { afterAll, describe, expect, it } from 'vitest'
import { loadCrypto } from '../chain/crypto.ts'
import { createRollupCommon, createSharedTxCommon } from '../chain/spec.ts'
import { createRecoverPool } from './recover-pool.ts'

describe('createRecoverPool', async () => {
  const crypto = await loadCrypto()
  const common = createSharedTxCommon(createRollupCommon(31338n, crypto))
  const pool = createRecoverPool(crypto.keccak256, { threads: 2 })
  afterAll(() => pool.close())

  it('recovers the senders of legacy and typed txs in order, and rejects a bad signature', async () => {
    const accounts = Array.from({ length: 70 }, () => privateKeyToAccount(generatePrivateKey()))
    const raws = await Promise.all(
      accounts.map((a, i) =>
        i % 2 === 0
          ? a.signTransaction({
              type: 'legacy',
              chainId: 31338,
              to: a.address,
              gas: 21_000n,
              gasPrice: parseGwei('1'),
              nonce: i,
            })
          : a.signTransaction({
              type: 'eip1559',
              chainId: 31338,
              to: a.address,
              gas: 21_000n,
              maxFeePerGas: 1n,
              nonce: i,
            }),
      ),
    )
    const txs = raws.map((raw) => createTxFromRLP(hexToBytes(raw), { common, freeze: false }))
    const senders = await Promise.all(txs.map((tx) => pool.recover(tx)))
    expect(senders.map((s) => s?.toString())).toEqual(accounts.map((a) => a.address.toLowerCase()))

    // Same r/s on another message recovers some other key: never the signer.
    const forged = createTxFromRLP(hexToBytes(raws[1] as `0x${string}`), { common, freeze: false })
    Object.defineProperty(forged, 'getMessageToVerifySignature', { value: () => new Uint8Array(32).fill(7) })
    expect((await pool.recover(forged))?.toString()).not.toBe(accounts[1]?.address.toLowerCase())
    // A high-s signature is invalid (EIP-2).
    const highS = createTxFromRLP(hexToBytes(raws[1] as `0x${string}`), { common, freeze: false })
    Object.defineProperty(highS, 's', { value: 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140n })
    expect(await pool.recover(highS)).toBeUndefined()
  })

  it('recovers txs that arrive one by one, each after the previous was sent (held while the threads are busy)', async () => {
    const accounts = Array.from({ length: 40 }, () => privateKeyToAccount(generatePrivateKey()))
    const raws = await Promise.all(
      accounts.map((a, i) =>
        a.signTransaction({ type: 'eip1559', chainId: 31338, to: a.address, gas: 21_000n, maxFeePerGas: 1n, nonce: i }),
      ),
    )
    const pending: Promise<unknown>[] = []
    for (const raw of raws) {
      pending.push(pool.recover(createTxFromRLP(hexToBytes(raw), { common, freeze: false })))
      // A Worker's sends arrive one message each; the flush of the previous one has run.
      await Promise.resolve()
    }
    const senders = (await Promise.all(pending)) as Array<{ toString(): string } | undefined>
    expect(senders.map((s) => s?.toString())).toEqual(accounts.map((a) => a.address.toLowerCase()))
  })
})
