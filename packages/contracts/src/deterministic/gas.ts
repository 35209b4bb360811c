/**
 * A static gas limit for one call to the CREATE2 deployer, known without a node: the intrinsic cost of the
 * calldata (EIP-7623 floor included), CREATE2 with init-code hashing (EIP-3860 words), the code deposit of
 * everything the constructor leaves behind, and a budget for constructor storage writes. Callers that
 * talk to a node prefer `estimateSeedDeploymentCost`, which asks it.
 */
import { type Hex, size } from 'viem'

/** Constructor work besides code deposits: a few cold SSTOREs (owner, name, symbol, …) and the deployer's copy. */
const CONSTRUCTOR_BUDGET = 120_000n
const CREATE_COST = 32_000n
const CODE_DEPOSIT_PER_BYTE = 200n

function words(bytes: number): bigint {
  return BigInt(Math.ceil(bytes / 32))
}

export function deployerCallGas({
  data,
  deployedSize,
  children = [],
}: {
  /** `salt ‖ initCode`, as sent to the deployer. */
  data: Hex
  /** Runtime size of the contract deployed. */
  deployedSize: number
  /** Contracts its constructor creates with CREATE: their init and runtime sizes. */
  children?: readonly { initSize: number; deployedSize: number }[]
}): bigint {
  let zero = 0n
  let nonZero = 0n
  for (let i = 2; i < data.length; i += 2) {
    if (data.slice(i, i + 2) === '00') zero++
    else nonZero++
  }
  const standard = 21_000n + 4n * zero + 16n * nonZero
  const floor = 21_000n + 10n * (zero + 4n * nonZero)
  const initWords = words(size(data) - 32)
  let execution = CREATE_COST + initWords * (2n + 6n) + CODE_DEPOSIT_PER_BYTE * BigInt(deployedSize)
  for (const child of children) {
    execution += CREATE_COST + words(child.initSize) * 2n + CODE_DEPOSIT_PER_BYTE * BigInt(child.deployedSize)
  }
  execution += CONSTRUCTOR_BUDGET
  return standard + execution > floor ? standard + execution : floor
}
