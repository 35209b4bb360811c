/**
 * The pnpm patches of @ethereumjs/util, /tx and /evm (patches/) change how values are computed,
 * never which: integers from bytes without hex below 7 bytes, bytes from integers without the 0x
 * round trip, typed-array copies by the constructor, validators without Object.entries, calldata
 * gas counted as a number, EVM steps whose gas and handler are synchronous run without a promise,
 * a call frame's message and run state without spread copies. Decoded transactions must carry
 * the fields viem's parser reads from the same bytes, malformed ones must still be rejected, and
 * the EVM's promise-free steps must give what ethereumjs' own step path gives (a `step` listener
 * puts every opcode on that path), with the run state it reports.
 */
import { Common, Hardfork, Mainnet } from '@ethereumjs/common'
import { createEVM } from '@ethereumjs/evm'
import { RLP } from '@ethereumjs/rlp'
import { createTxFromRLP } from '@ethereumjs/tx'
import { Account, bigIntToBytes, bytesToBigInt, createAddressFromString, toBytes } from '@ethereumjs/util'
import { bytesToHex, type Hex, hexToBytes, parseTransaction } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { describe, expect, it } from 'vitest'
import { loadCrypto } from '../chain/crypto.ts'
import { createRollupCommon, createSharedTxCommon } from '../chain/spec.ts'

const CHAIN_ID = 31338
const account = privateKeyToAccount('0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d')

/** Deterministic bytes (xorshift), so a failure reproduces. */
function bytesFrom(seed: number, length: number): Uint8Array {
  let x = seed || 1
  return Uint8Array.from({ length }, () => {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    return x & 0xff
  })
}

const unsigned = (b: Uint8Array) => BigInt(b.length === 0 ? 0 : bytesToHex(b))

describe('@ethereumjs/util patch', () => {
  it('reads every length from 0 to 40 bytes as the big-endian integer, including the 6/7-byte edge', () => {
    for (let length = 0; length <= 40; length++) {
      for (let seed = 1; seed <= 25; seed++) {
        const b = bytesFrom(seed * 41 + length, length)
        expect(bytesToBigInt(b)).toBe(unsigned(b))
      }
      expect(bytesToBigInt(new Uint8Array(length).fill(0xff))).toBe(2n ** BigInt(8 * length) - 1n)
    }
    expect(bytesToBigInt(Uint8Array.of(1, 0, 0))).toBe(65_536n)
    expect(bytesToBigInt(Uint8Array.of(2, 1), true)).toBe(0x0102n)
  })

  it('writes integers of 0 to 40 bytes as their minimal big-endian bytes, and still refuses negatives', () => {
    for (let length = 0; length <= 40; length++) {
      for (let seed = 1; seed <= 25; seed++) {
        const value = unsigned(bytesFrom(seed * 43 + length, length))
        const hex = value.toString(16)
        expect(bytesToHex(bigIntToBytes(value))).toBe(`0x${hex.length % 2 ? `0${hex}` : hex}`)
        expect(bigIntToBytes(value, true).reverse()).toEqual(bigIntToBytes(value))
      }
    }
    expect([...bigIntToBytes(0n)]).toEqual([0])
    expect(() => bigIntToBytes(-1n)).toThrow()
  })

  it('copies a typed array (the caller may reuse its buffer) and still converts arrays', () => {
    const source = Uint8Array.of(1, 2, 3)
    const copy = toBytes(source)
    source[0] = 9
    expect([...copy]).toEqual([1, 2, 3])
    expect([...toBytes([4, 5])]).toEqual([4, 5])
  })
})

describe('@ethereumjs/tx patch', async () => {
  const crypto = await loadCrypto()
  const common = createSharedTxCommon(createRollupCommon(BigInt(CHAIN_ID), crypto))

  it('decodes signed 1559, 2930 and legacy txs to the fields viem parses, over 1- to 32-byte values', async () => {
    for (let i = 0; i < 60; i++) {
      const word = (bytes: number) => unsigned(bytesFrom(i * 7 + bytes, bytes)) | (bytes === 0 ? 0n : 1n)
      const fields = {
        chainId: CHAIN_ID,
        nonce: Number(word(i % 7)),
        gas: 21_000n + word(i % 9),
        to: bytesToHex(bytesFrom(i + 1, 20)),
        value: word(i % 33),
        data: bytesToHex(bytesFrom(i + 3, i % 5)),
      } as const
      const maxTip = word(i % 8)
      const raw = await account.signTransaction(
        i % 3 === 0
          ? { ...fields, type: 'eip1559', maxFeePerGas: maxTip + word(i % 6), maxPriorityFeePerGas: maxTip }
          : i % 3 === 1
            ? { ...fields, type: 'eip2930', gasPrice: word(1 + (i % 12)), accessList: [] }
            : { ...fields, type: 'legacy', gasPrice: word(1 + (i % 12)) },
      )
      const tx = createTxFromRLP(hexToBytes(raw), { common })
      const parsed = parseTransaction(raw)
      expect({ nonce: tx.nonce, gas: tx.gasLimit, value: tx.value, r: tx.r, s: tx.s }).toEqual({
        nonce: BigInt(parsed.nonce ?? 0),
        gas: parsed.gas,
        value: parsed.value ?? 0n,
        r: BigInt(parsed.r as Hex),
        s: BigInt(parsed.s as Hex),
      })
      expect(bytesToHex(tx.data)).toBe(parsed.data ?? '0x')
      expect(tx.getSenderAddress().toString()).toBe(account.address.toLowerCase())
      expect(bytesToHex(tx.serialize())).toBe(raw)
    }
  })

  it('still rejects leading zeroes, a list where an integer belongs and values past 2^64', async () => {
    const raw = await account.signTransaction({
      type: 'eip1559',
      chainId: CHAIN_ID,
      nonce: 5,
      gas: 21_000n,
      maxFeePerGas: 2n,
      maxPriorityFeePerGas: 1n,
      to: account.address,
    })
    const items = RLP.decode(hexToBytes(raw).subarray(1)) as Uint8Array[]
    const typed = (list: unknown[]) => Uint8Array.from([2, ...RLP.encode(list as Uint8Array[])])
    const replaced = (index: number, value: unknown) => typed(items.map((item, i) => (i === index ? value : item)))

    expect(() => createTxFromRLP(replaced(1, Uint8Array.of(0, 5)), { common })).toThrow(
      'nonce cannot have leading zeroes',
    )
    expect(() => createTxFromRLP(replaced(0, [Uint8Array.of(1)]), { common })).toThrow('chainId cannot be an array')
    expect(() => createTxFromRLP(replaced(4, new Uint8Array(9).fill(0xff)), { common })).toThrow(
      'gasLimit cannot exceed MAX_UINT64',
    )
    expect(() => createTxFromRLP(replaced(1, new Uint8Array(8).fill(0xff)), { common })).toThrow(
      'nonce cannot equal or exceed MAX_UINT64',
    )
    // The unmodified items decode: the failures above come from the replaced field.
    expect(createTxFromRLP(typed(items), { common }).nonce).toBe(5n)
  })
})

describe('@ethereumjs/evm patch', () => {
  /** Programs over every opcode whose gas handler the patch made synchronous, and their traps. */
  const programs: Record<string, string> = {
    'MSTORE, RETURN': '602a60005260206000f3',
    'MSTORE past any gas (memory expansion)': '600163ffffffff5200',
    'MSTORE8, KECCAK256, LOG2, MLOAD': '60ff600553604060002060405260026001606060' + '00a260405160005260206000f3',
    'RETURNDATACOPY out of bounds': '6001600060003e00',
    'EXP with a 32-byte exponent': `7f${'ff'.repeat(32)}60030a60005260206000f3`,
    'CALLDATACOPY, CODECOPY, MCOPY, REVERT': '6020600060003760106000604039603060006080' + '5e60306080fd',
    'SSTORE and SLOAD between memory ops': '600760015560015460005260206000f3',
    'KECCAK256 over a huge length': '63ffffffff60002000',
    // ADDRESS ORIGIN CALLER CALLVALUE CALLDATASIZE, CALLDATALOAD at 0 and past the data,
    // COINBASE TIMESTAMP NUMBER PREVRANDAO GASLIMIT RETURNDATASIZE: the 13 words returned.
    'environment and block fields': `303233343660003561ffff3541424344453d${Array.from(
      { length: 13 },
      (_, i) => `60${(i * 32).toString(16).padStart(2, '0')}52`,
    ).join('')}6101a06000f3`,
  }

  const CODE_ADDRESS = createAddressFromString('0x00000000000000000000000000000000000c0de0')

  async function run(code: string, gasLimit: bigint, observed: boolean) {
    const evm = await createEVM({ common: new Common({ chain: Mainnet, hardfork: Hardfork.Prague }) })
    if (observed) evm.events.on('step', () => {})
    await evm.stateManager.putAccount(CODE_ADDRESS, new Account())
    const result = await evm.runCode({
      code: hexToBytes(`0x${code}`),
      data: bytesFrom(3, 40),
      gasLimit,
      to: CODE_ADDRESS,
    })
    return {
      gasUsed: result.executionGasUsed,
      error: result.exceptionError?.error,
      returned: bytesToHex(result.returnValue),
      // Built when read (the patch's lazy run state): the interpreter's state merged with the env.
      programCounter: result.runState?.programCounter,
      address: result.runState?.env.address.toString(),
      logs: (result.logs ?? []).map(([address, topics, data]) =>
        [address, topics, data].flat().map((b) => bytesToHex(b)),
      ),
    }
  }

  it('gives the gas, error, return data and logs of the observed step path, at every gas limit up to enough', async () => {
    for (const [name, code] of Object.entries(programs)) {
      const enough = await run(code, 1_000_000n, true)
      const limits = [1_000_000n, ...Array.from({ length: 40 }, (_, i) => BigInt(i * 3))]
      for (const gasLimit of limits) {
        expect({ name, gasLimit, ...(await run(code, gasLimit, false)) }).toEqual({
          name,
          gasLimit,
          ...(await run(code, gasLimit, true)),
        })
      }
      expect({ name, ran: enough.gasUsed > 0n, address: enough.address }).toEqual({
        name,
        ran: true,
        address: CODE_ADDRESS.toString(),
      })
    }
  })
})
