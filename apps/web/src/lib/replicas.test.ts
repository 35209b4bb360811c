import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Address } from 'viem'
import { describe, expect, test } from 'vitest'
import type { BountyView } from './bounties.ts'
import { MAX_LAG_ANSWER_BYTES, probeLag, replicaOperators } from './replicas.ts'

const inbox = '0x00000000000000000000000000000000000000aa' as Address
const other = '0x00000000000000000000000000000000000000bb' as Address
const operator = '0x0000000000000000000000000000000000000001' as Address

function bounty(bountyId: bigint, p: Partial<BountyView>, slots: [agentId: bigint, closed: boolean][]): BountyView {
  return {
    bountyId,
    kind: 'replica',
    inbox,
    closing: false,
    operatorSlots: slots.map(([agentId, closed]) => ({ agentId, operator, payee: operator, claimed: 0n, closed })),
    ...p,
  } as BountyView
}

describe('replicaOperators', () => {
  test("one row per agent still in a replica bounty for this chain's inbox, with every bounty it serves", () => {
    const bounties = [
      bounty(1n, {}, [
        [7n, false],
        [8n, true], // left: no longer a replica
      ]),
      bounty(2n, { inbox: inbox.toUpperCase().replace('0X', '0x') as Address }, [[7n, false]]),
      bounty(3n, { kind: 'pin' }, [[9n, false]]), // pins batches, serves no RPC
      bounty(4n, { inbox: other }, [[10n, false]]), // another chain
    ]
    expect(replicaOperators(bounties, inbox)).toEqual([{ agentId: 7n, bountyIds: [1n, 2n] }])
  })

  test('no replica bounty: no replica', () => {
    expect(replicaOperators([], inbox)).toEqual([])
  })
})

describe('probeLag', () => {
  test("a file's rollup-rpc that is not an http(s) or ws(s) URL is never fetched", async () => {
    await expect(probeLag('javascript:alert(1)', 10n)).rejects.toThrow('not an http(s) or ws(s) URL')
    await expect(probeLag('file:///etc/passwd', 10n)).rejects.toThrow('not an http(s) or ws(s) URL')
  })

  test('a replica whose answer is far larger than a block number is not read to its end', async () => {
    // A valid answer padded with a megabyte of whitespace: read whole, it would parse and count as a head.
    const server = createServer((req, res) => {
      let body = ''
      req.on('data', (chunk) => {
        body += chunk
      })
      req.on('end', () => {
        const { id } = JSON.parse(body) as { id: number }
        // Streamed (no content-length): only reading stops it.
        res.write(JSON.stringify({ jsonrpc: '2.0', id, result: '0x5' }))
        for (let i = 0; i < 256; i++) res.write(' '.repeat(4096))
        res.end()
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
      const error = await probeLag(url, 10n).then(
        () => undefined,
        (e: Error) => e,
      )
      expect(String(error?.cause ?? error)).toContain(`larger than ${MAX_LAG_ANSWER_BYTES} bytes`)
    } finally {
      server.close()
    }
  })
})
