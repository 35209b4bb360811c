/**
 * eth_getProof checked against the block's stateRoot by a small, independent MPT walker
 * (viem's RLP + keccak — none of the node's trie code).
 */
import { TestTokenAbi, TestTokenBytecode } from '@seed/contracts'
import {
  bytesToHex,
  createPublicClient,
  createWalletClient,
  encodeAbiParameters,
  fromRlp,
  type Hex,
  hexToBigInt,
  hexToBytes,
  http,
  keccak256,
  toRlp,
} from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestNode, TEST_KEYS, type TestNode } from '../testing.ts'

type RlpItem = Hex | RlpItem[]

function nibbles(bytes: Uint8Array): number[] {
  return [...bytes].flatMap((b) => [b >> 4, b & 15])
}

/** Returns the value stored under keccak(key) in the trie with `root`, or null if proven absent. */
function verifyProof(root: Hex, key: Hex, proof: Hex[]): Hex | null {
  const path = nibbles(hexToBytes(keccak256(key)))
  let expected: RlpItem = root
  let at = 0
  for (let i = 0; ; i++) {
    let node: RlpItem[]
    if (Array.isArray(expected))
      node = expected // inline node
    else {
      const raw = proof[i]
      if (!raw) throw new Error('proof too short')
      if (keccak256(raw) !== expected) throw new Error(`proof node ${i} hash mismatch`)
      node = fromRlp(raw) as RlpItem[]
    }
    if (node.length === 17) {
      if (at === path.length) return (node[16] as Hex) === '0x' ? null : (node[16] as Hex)
      const child = node[path[at] as number] as RlpItem
      at++
      if (child === '0x') return null
      expected = child
      continue
    }
    const encoded = nibbles(hexToBytes(node[0] as Hex))
    const flag = encoded[0] as number
    const rest = encoded.slice(flag % 2 === 1 ? 1 : 2)
    const matches = rest.every((n, j) => path[at + j] === n)
    if (!matches) return null
    at += rest.length
    if (flag >= 2) return at === path.length ? (node[1] as Hex) : null
    expected = node[1] as RlpItem
  }
}

const account = privateKeyToAccount(TEST_KEYS[0] as Hex)

describe('eth_getProof', () => {
  let t: TestNode
  beforeAll(async () => {
    t = await startTestNode({ blockTime: 0 })
  })
  afterAll(() => t.close())

  it('proves an account and a storage slot against the sealed block stateRoot', async () => {
    const pub = createPublicClient({ chain: t.chain, transport: http(), pollingInterval: 10 })
    const wallet = createWalletClient({ chain: t.chain, transport: http(), account })
    const hash = await wallet.deployContract({ abi: TestTokenAbi, bytecode: TestTokenBytecode, args: ['P', 'P'] })
    const { contractAddress } = await pub.waitForTransactionReceipt({ hash })
    const token = contractAddress as Hex
    await wallet.writeContract({
      address: token,
      abi: TestTokenAbi,
      functionName: 'mint',
      args: [account.address, 777n],
    })
    await t.node.sealNow()
    const block = await pub.getBlock()

    // OpenZeppelin ERC20: _balances is slot 0 → balances[a] at keccak(a . 0).
    const slot = keccak256(encodeAbiParameters([{ type: 'address' }, { type: 'uint256' }], [account.address, 0n]))
    const proof = await pub.getProof({ address: token, storageKeys: [slot], blockNumber: block.number })

    const leaf = verifyProof(block.stateRoot, token, proof.accountProof)
    expect(leaf).not.toBeNull()
    const [nonce, balance, storageRoot, codeHash] = fromRlp(leaf as Hex) as Hex[]
    expect(BigInt(nonce === '0x' ? 0 : (nonce as Hex))).toBe(BigInt(proof.nonce))
    expect(balance === '0x' ? 0n : hexToBigInt(balance as Hex)).toBe(proof.balance)
    expect(storageRoot).toBe(proof.storageHash)
    expect(codeHash).toBe(keccak256((await pub.getCode({ address: token })) as Hex))

    const value = verifyProof(proof.storageHash, slot, proof.storageProof[0]?.proof as Hex[])
    expect(value).toBe(toRlp(bytesToHex(new Uint8Array([0x03, 0x09]))))
    expect(proof.storageProof[0]?.value).toBe(777n)

    // An account that never existed is proven absent.
    const absent = await pub.getProof({
      address: '0x000000000000000000000000000000000000beef',
      storageKeys: [],
      blockNumber: block.number,
    })
    expect(verifyProof(block.stateRoot, '0x000000000000000000000000000000000000beef', absent.accountProof)).toBeNull()

    // A forged proof fails.
    const forged = [...proof.accountProof]
    forged[forged.length - 1] = toRlp(['0x20', '0x01'])
    expect(() => verifyProof(block.stateRoot, token, forged)).toThrow(/hash mismatch/)
  })
})
