/** Search by transaction or block hash, block number or address; a hash is looked up on L2, then L1. */
import { useNavigate } from '@tanstack/react-router'
import { useState } from 'react'
import type { Hash } from 'viem'
import { useChain } from '../lib/chain-context.tsx'
import { addressSchema, blockNumberSchema, hashSchema } from '../lib/params.ts'

export function SearchBox() {
  const navigate = useNavigate()
  const { network, l2 } = useChain()
  const [problem, setProblem] = useState<string>()

  async function whereIsHash(hash: Hash) {
    const found = async (read: () => Promise<unknown>) => read().then(Boolean, () => false)
    if (l2 && (await found(() => l2.client.getTransaction({ hash }))))
      return { to: '/tx/$hash', params: { hash } } as const
    if (await found(() => network.l1.getTransaction({ hash }))) return { to: '/l1/tx/$hash', params: { hash } } as const
    if (l2) {
      const block = await l2.client.getBlock({ blockHash: hash }).catch(() => undefined)
      if (block?.number != null) return { to: '/block/$block', params: { block: block.number } } as const
    }
    const block = await network.l1.getBlock({ blockHash: hash }).catch(() => undefined)
    if (block?.number != null) return { to: '/l1/block/$block', params: { block: block.number } } as const
    return { to: '/tx/$hash', params: { hash } } as const // shows "not found" for it
  }

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const text = String(new FormData(event.currentTarget).get('q') ?? '').trim()
    setProblem(undefined)
    const address = addressSchema.safeParse(text)
    if (address.success) return navigate({ to: '/address/$address', params: { address: address.data } })
    const block = blockNumberSchema.safeParse(text)
    if (block.success) return navigate({ to: '/block/$block', params: { block: block.data } })
    const hash = hashSchema.safeParse(text)
    if (hash.success) return navigate(await whereIsHash(hash.data))
    setProblem('Enter a transaction or block hash (0x and 64 hex digits), a block number or an address.')
  }

  return (
    <search>
      <form className="search" onSubmit={onSubmit}>
        <label htmlFor="search-q" className="visually-hidden">
          Search by hash, block number or address
        </label>
        <input id="search-q" name="q" type="search" placeholder="Hash, block or address" autoComplete="off" />
        <button type="submit">Search</button>
        {problem && (
          <p className="error" role="alert">
            {problem}
          </p>
        )}
      </form>
    </search>
  )
}
