/**
 * Attack 1 of issue 11: a page that gets the owner key to `personal_sign` a 32-byte "message" must not obtain a
 * user-op signature. SeedAccount verifies EIP-712 `SeedUserOperation` typed data in its own domain only.
 */
import { SeedAccountAbi } from '@seed/contracts'
import { type Hex, parseEther } from 'viem'
import {
  entryPoint07Abi,
  entryPoint07Address,
  getUserOperationHash,
  toPackedUserOperation,
} from 'viem/account-abstraction'
import { beforeAll, describe, expect, test } from 'vitest'
import type { AgentAccount } from '../src/account/createAgentAccount.ts'
import { getUserOperationGasPrice } from '../src/account/fees.ts'
import { executeCalls } from '../src/account/sendCalls.ts'
import { encodeUserOperationSignature } from '../src/account/signatureTypedData.ts'
import { fundEth, funder, newAgent, publicClient, randomAccount, randomAddress } from './fixtures.ts'

const handleOps = (op: object) =>
  funder.writeContract({
    address: entryPoint07Address,
    abi: entryPoint07Abi,
    functionName: 'handleOps',
    args: [[toPackedUserOperation(op as never)], funder.account.address],
  })

describe('user-op signatures are domain-separated from messages', () => {
  const ownerKey = randomAccount()
  const thief = randomAddress()
  let agent: AgentAccount
  let drain: Record<string, unknown>
  let userOpHash: Hex

  beforeAll(async () => {
    agent = await newAgent({ owner: ownerKey })
    await fundEth(agent.address, parseEther('1'))
    await executeCalls(agent, { calls: [{ to: randomAddress(), value: 1n }] }) // deployed, so the op needs no factory
    drain = (await agent.bundler.prepareUserOperation({
      account: agent.account,
      calls: [{ to: thief, value: parseEther('0.5') }],
      callGasLimit: 100_000n,
      verificationGasLimit: 300_000n,
      preVerificationGas: 100_000n,
      ...(await getUserOperationGasPrice(agent.bundler)),
    } as never)) as Record<string, unknown>
    userOpHash = getUserOperationHash({
      userOperation: { ...drain, signature: '0x' } as never,
      entryPointAddress: entryPoint07Address,
      entryPointVersion: '0.7',
      chainId: publicClient.chain.id,
    })
  })

  test("the owner's personal_sign of a userOpHash does not validate in handleOps (AA24)", async () => {
    // What a connected page obtains by asking the wallet to personal_sign 32 "message" bytes.
    const pageSignature = await ownerKey.signMessage({ message: { raw: userOpHash } })
    await expect(handleOps({ ...drain, signature: pageSignature })).rejects.toThrow(/AA24/)
    // Nor wrapped in the account's signature layout.
    const wrapped = encodeUserOperationSignature({ validAfter: 0, validUntil: 0 }, pageSignature)
    await expect(handleOps({ ...drain, signature: wrapped })).rejects.toThrow(/AA24/)
    expect(await publicClient.getBalance({ address: thief })).toBe(0n)
  })

  test('no owner EIP-191 signature is an ERC-1271 signature of the account', async () => {
    const replaySafe = await publicClient.readContract({
      address: agent.address,
      abi: SeedAccountAbi,
      functionName: 'replaySafeHash',
      args: [userOpHash],
    })
    for (const signed of [userOpHash, replaySafe]) {
      const signature = await ownerKey.signMessage({ message: { raw: signed } })
      const result = await publicClient.readContract({
        address: agent.address,
        abi: SeedAccountAbi,
        functionName: 'isValidSignature',
        args: [userOpHash, signature],
      })
      expect(result).toBe('0xffffffff')
    }
  })

  test('the EIP-712 SeedUserOperation signature of the same op executes', async () => {
    const signature = await agent.account.signUserOperation(drain as never)
    await publicClient.waitForTransactionReceipt({ hash: await handleOps({ ...drain, signature }) })
    expect(await publicClient.getBalance({ address: thief })).toBe(parseEther('0.5'))
  })
})
