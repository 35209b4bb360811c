/**
 * What x402 needs in the light rollup's genesis (rollup-lite `Genesis.alloc`: code + storage per address):
 * SeedUSD at the same address as on L1 (one token address on both chains), with the owner and the holders'
 * balances written straight into its storage, and Multicall3 at its canonical address (x402's EVM
 * facilitator reads through it).
 *
 * Storage slots follow SeedUSD's layout (`ERC20, IERC20Permit, EIP712, Nonces, Ownable`, OpenZeppelin 5,
 * non-upgradeable): _balances 0, _allowances 1, _totalSupply 2, _name 3, _symbol 4, EIP712 fallbacks 5-6,
 * _nonces 7, _owner 8, _authorizationStates 9. The runtime code is SeedUSD's L1 code: its EIP-712 domain
 * cache keys on (address, chainId), so on the rollup's chain id it recomputes the separator correctly.
 */
import { Multicall3DeployedBytecode } from '@seed/contracts'
import { type Address, encodeAbiParameters, type Hex, keccak256, numberToHex, padHex, stringToHex } from 'viem'
import { MULTICALL3_ADDRESS } from '../networks.ts'

/** Anything that reads code (a viem public client). */
export type CodeReader = { getCode(args: { address: Address }): Promise<Hex | undefined> }

export type GenesisAlloc = Record<Address, { balance?: bigint; nonce?: bigint; code?: Hex; storage?: Record<Hex, Hex> }>

const slot = (n: number) => padHex(numberToHex(n), { size: 32 })
const word = (v: bigint) => padHex(numberToHex(v), { size: 32 })
const mappingSlot = (key: Address, n: number) =>
  keccak256(encodeAbiParameters([{ type: 'address' }, { type: 'uint256' }], [key, BigInt(n)]))

/** Solidity's in-place encoding of a string shorter than 32 bytes: data left-aligned, length*2 in the last byte. */
function shortString(value: string): Hex {
  const bytes = stringToHex(value)
  const length = (bytes.length - 2) / 2
  if (length > 31) throw new Error(`"${value}" is too long for a short string slot`)
  const data = padHex(bytes, { size: 32, dir: 'right' })
  return `${data.slice(0, 64)}${(length * 2).toString(16).padStart(2, '0')}` as Hex
}

export type SeedUsdPredeploy = {
  address: Address
  owner: Address
  balances: Record<Address, bigint>
  /** Runtime code as deployed on L1 (the compiler's runtime code has its immutables zeroed). */
  code: Hex
}

export function seedUsdAlloc(p: SeedUsdPredeploy): GenesisAlloc {
  const storage: Record<Hex, Hex> = {
    [slot(3)]: shortString('Seed USD'),
    [slot(4)]: shortString('USDS'),
    [slot(8)]: padHex(p.owner, { size: 32 }),
  }
  let total = 0n
  for (const [holder, amount] of Object.entries(p.balances)) {
    storage[mappingSlot(holder as Address, 0)] = word(amount)
    total += amount
  }
  storage[slot(2)] = word(total)
  return { [p.address]: { code: p.code, storage } }
}

/** The x402 predeploys, reading SeedUSD's runtime code from L1 (its immutables pin the L1 address). */
export async function x402RollupAlloc(l1: CodeReader, p: Omit<SeedUsdPredeploy, 'code'>): Promise<GenesisAlloc> {
  const code = await l1.getCode({ address: p.address })
  if (!code) throw new Error(`no SeedUSD code at ${p.address} on L1`)
  return { ...seedUsdAlloc({ ...p, code }), [MULTICALL3_ADDRESS]: { code: Multicall3DeployedBytecode } }
}
