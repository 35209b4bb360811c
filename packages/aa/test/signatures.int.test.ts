import { SeedUSDAbi } from '@seed/contracts'
import { domainSeparator, type Hex, parseEther, parseUnits } from 'viem'
import { isErc6492Signature } from 'viem/utils'
import { describe, expect, test } from 'vitest'
import { executeCalls } from '../src/account/sendCalls.ts'
import { SessionKeyCannotSignError } from '../src/account/toSeedSmartAccount.ts'
import {
  fundEth,
  funder,
  fundUsd,
  manifest,
  newAgent,
  publicClient,
  randomAccount,
  randomAddress,
  usdBalance,
} from './fixtures.ts'
import { randomNonce, transferWithAuthorization, usdDomain } from './usd-typed-data.ts'

const typedData = {
  domain: { name: 'Seed test', version: '1', chainId: 31337 },
  types: {
    Order: [
      { name: 'item', type: 'string' },
      { name: 'price', type: 'uint256' },
    ],
  },
  primaryType: 'Order',
  message: { item: 'compute', price: 42n },
} as const

describe('smart account signatures', () => {
  test('undeployed: personal_sign and EIP-712 verify through ERC-6492; a different message does not', async () => {
    const agent = await newAgent()
    expect(await agent.account.isDeployed()).toBe(false)
    const signature = await agent.account.signMessage({ message: 'hello agent' })
    expect(isErc6492Signature(signature)).toBe(true)
    expect(await publicClient.verifyMessage({ address: agent.address, message: 'hello agent', signature })).toBe(true)
    expect(await publicClient.verifyMessage({ address: agent.address, message: 'hello agenT', signature })).toBe(false)
    const typed = await agent.account.signTypedData(typedData)
    expect(await publicClient.verifyTypedData({ address: agent.address, signature: typed, ...typedData })).toBe(true)
    expect(
      await publicClient.verifyTypedData({
        address: agent.address,
        signature: typed,
        ...typedData,
        message: { ...typedData.message, price: 43n },
      }),
    ).toBe(false)
  })

  test('deployed: plain ERC-1271 signatures verify; another account of the same owner rejects them (no replay)', async () => {
    const owner = randomAccount()
    const agent = await newAgent({ owner })
    const sibling = await newAgent({ owner, salt: 1n })
    await fundEth(agent.address)
    await executeCalls(agent, { calls: [{ to: randomAddress(), value: 1n }] })
    const signature = await agent.account.signMessage({ message: 'deployed hello' })
    expect(isErc6492Signature(signature)).toBe(false)
    expect(await publicClient.verifyMessage({ address: agent.address, message: 'deployed hello', signature })).toBe(
      true,
    )
    const typed = await agent.account.signTypedData(typedData)
    expect(await publicClient.verifyTypedData({ address: agent.address, signature: typed, ...typedData })).toBe(true)
    // Same owner key, different account: the EIP-712 wrapper binds the signature to one account.
    expect(await publicClient.verifyMessage({ address: sibling.address, message: 'deployed hello', signature })).toBe(
      false,
    )
    // And a raw owner EOA signature is not accepted as the account's.
    const raw = await owner.signMessage({ message: 'deployed hello' })
    expect(
      await publicClient.verifyMessage({ address: agent.address, message: 'deployed hello', signature: raw }),
    ).toBe(false)
  })

  test('a session key cannot sign for the account', async () => {
    const session = await newAgent({ sessionKey: randomAccount(), ownerAddress: randomAddress() })
    await expect(session.account.signMessage({ message: 'x' })).rejects.toBeInstanceOf(SessionKeyCannotSignError)
  })

  test('EIP-3009 transferWithAuthorization signed by a deployed smart account (ERC-1271) moves Seed USD', async () => {
    const agent = await newAgent()
    await fundEth(agent.address, parseEther('0.1'))
    await fundUsd(agent.address, parseUnits('10', 6))
    await executeCalls(agent, { calls: [{ to: randomAddress(), value: 1n }] }) // deploy
    const payee = randomAddress()
    const authorization = {
      from: agent.address,
      to: payee,
      value: parseUnits('2.5', 6),
      validAfter: 0n,
      validBefore: BigInt(Math.floor(Date.now() / 1000) + 3600),
      nonce: randomNonce(),
    }
    const transferTypedData = transferWithAuthorization(manifest.contracts.usd, authorization)
    const signature = await agent.account.signTypedData(transferTypedData)
    // The token's domain matches what wallets compute (EIP-712 name "Seed USD", version "2").
    const separator = await publicClient.readContract({
      address: manifest.contracts.usd,
      abi: SeedUSDAbi,
      functionName: 'DOMAIN_SEPARATOR',
    })
    expect(domainSeparator({ domain: transferTypedData.domain })).toBe(separator)

    const args = [
      authorization.from,
      authorization.to,
      authorization.value,
      0n,
      authorization.validBefore,
      authorization.nonce,
      signature,
    ] as const
    // A facilitator (anyone) submits it.
    const hash = await funder.writeContract({
      address: manifest.contracts.usd,
      abi: SeedUSDAbi,
      functionName: 'transferWithAuthorization',
      args,
    })
    expect((await publicClient.waitForTransactionReceipt({ hash })).status).toBe('success')
    expect(await usdBalance(payee)).toBe(parseUnits('2.5', 6))
    expect(
      await publicClient.readContract({
        address: manifest.contracts.usd,
        abi: SeedUSDAbi,
        functionName: 'authorizationState',
        args: [agent.address, authorization.nonce],
      }),
    ).toBe(true)
    // Replaying the same authorization fails.
    await expect(
      publicClient.simulateContract({
        address: manifest.contracts.usd,
        abi: SeedUSDAbi,
        functionName: 'transferWithAuthorization',
        args,
        account: funder.account,
      }),
    ).rejects.toThrow(/AuthorizationAlreadyUsed/)
  })

  test('EIP-3009 with an EOA v,r,s signature and EIP-2612 permit work too', async () => {
    const eoa = randomAccount()
    await fundUsd(eoa.address, parseUnits('5', 6))
    const payee = randomAddress()
    const nonce = randomNonce()
    const message = { from: eoa.address, to: payee, value: 1_000_000n, validAfter: 0n, validBefore: 2n ** 40n, nonce }
    const signature = await eoa.signTypedData(transferWithAuthorization(manifest.contracts.usd, message))
    const r = signature.slice(0, 66) as Hex
    const s = `0x${signature.slice(66, 130)}` as Hex
    const v = Number.parseInt(signature.slice(130, 132), 16)
    const hash = await funder.writeContract({
      address: manifest.contracts.usd,
      abi: SeedUSDAbi,
      functionName: 'transferWithAuthorization',
      args: [message.from, message.to, message.value, 0n, message.validBefore, nonce, v, r, s],
    })
    expect((await publicClient.waitForTransactionReceipt({ hash })).status).toBe('success')
    expect(await usdBalance(payee)).toBe(1_000_000n)

    const spender = randomAddress()
    const permit = await eoa.signTypedData({
      domain: usdDomain(manifest.contracts.usd),
      types: {
        Permit: [
          { name: 'owner', type: 'address' },
          { name: 'spender', type: 'address' },
          { name: 'value', type: 'uint256' },
          { name: 'nonce', type: 'uint256' },
          { name: 'deadline', type: 'uint256' },
        ],
      },
      primaryType: 'Permit',
      message: { owner: eoa.address, spender, value: 7n, nonce: 0n, deadline: 2n ** 40n },
    })
    const permitHash = await funder.writeContract({
      address: manifest.contracts.usd,
      abi: SeedUSDAbi,
      functionName: 'permit',
      args: [eoa.address, spender, 7n, 2n ** 40n, permit],
    })
    expect((await publicClient.waitForTransactionReceipt({ hash: permitHash })).status).toBe('success')
    expect(
      await publicClient.readContract({
        address: manifest.contracts.usd,
        abi: SeedUSDAbi,
        functionName: 'allowance',
        args: [eoa.address, spender],
      }),
    ).toBe(7n)
  })
})
