import { SeedUSDAbi } from '@seed/contracts'
import { devAccount } from '@seed/devnet'
import { createWalletClient, http } from 'viem'
import { foundry } from 'viem/chains'
import { describe, expect, test } from 'vitest'
import { fundEth, fundUsd, manifest, publicClient, randomAccount, randomAddress, usdBalance } from './fixtures.ts'
import { randomNonce, transferWithAuthorizationFields, usdDomain } from './usd-typed-data.ts'

const usd = manifest.contracts.usd
const domain = usdDomain(usd)
const authorizationFields = transferWithAuthorizationFields

describe('SeedUSD', () => {
  test('metadata: Seed USD / USDS, 6 decimals, version 2; devnet roles hold minted USDS; only the owner mints', async () => {
    const read = (functionName: 'name' | 'symbol' | 'decimals' | 'version' | 'owner') =>
      publicClient.readContract({ address: usd, abi: SeedUSDAbi, functionName })
    expect([await read('name'), await read('symbol'), await read('decimals'), await read('version')]).toEqual([
      'Seed USD',
      'USDS',
      6,
      '2',
    ])
    expect(await read('owner')).toBe(manifest.accounts.deployer)
    expect(await usdBalance(manifest.accounts.sponsor as `0x${string}`)).toBeGreaterThan(0n)
    await expect(
      publicClient.simulateContract({
        address: usd,
        abi: SeedUSDAbi,
        functionName: 'mint',
        args: [randomAddress(), 1n],
        account: devAccount('user'),
      }),
    ).rejects.toThrow(/OwnableUnauthorizedAccount/)
  })

  test('receiveWithAuthorization only by the payee; a cancelled authorization cannot be used', async () => {
    const payer = randomAccount()
    const payee = randomAccount()
    await fundUsd(payer.address, 10_000_000n)
    await fundEth(payee.address)
    const payeeWallet = createWalletClient({ chain: foundry, transport: http(manifest.l1.rpcUrl), account: payee })
    const message = {
      from: payer.address,
      to: payee.address,
      value: 4_000_000n,
      validAfter: 0n,
      validBefore: 2n ** 40n,
      nonce: randomNonce(),
    }
    const signature = await payer.signTypedData({
      domain,
      types: { ReceiveWithAuthorization: authorizationFields },
      primaryType: 'ReceiveWithAuthorization',
      message,
    })
    const args = [
      message.from,
      message.to,
      message.value,
      message.validAfter,
      message.validBefore,
      message.nonce,
      signature,
    ] as const
    await expect(
      publicClient.simulateContract({
        address: usd,
        abi: SeedUSDAbi,
        functionName: 'receiveWithAuthorization',
        args,
        account: devAccount('user'),
      }),
    ).rejects.toThrow(/CallerMustBePayee/)
    const hash = await payeeWallet.writeContract({
      address: usd,
      abi: SeedUSDAbi,
      functionName: 'receiveWithAuthorization',
      args,
    })
    expect((await publicClient.waitForTransactionReceipt({ hash })).status).toBe('success')
    expect(await usdBalance(payee.address)).toBe(4_000_000n)

    // The payer cancels a second authorization before anyone uses it.
    const second = { ...message, nonce: randomNonce() }
    const transferSig = await payer.signTypedData({
      domain,
      types: { TransferWithAuthorization: authorizationFields },
      primaryType: 'TransferWithAuthorization',
      message: second,
    })
    const cancelSig = await payer.signTypedData({
      domain,
      types: {
        CancelAuthorization: [
          { name: 'authorizer', type: 'address' },
          { name: 'nonce', type: 'bytes32' },
        ],
      },
      primaryType: 'CancelAuthorization',
      message: { authorizer: payer.address, nonce: second.nonce },
    })
    const cancel = await payeeWallet.writeContract({
      address: usd,
      abi: SeedUSDAbi,
      functionName: 'cancelAuthorization',
      args: [payer.address, second.nonce, cancelSig],
    })
    expect((await publicClient.waitForTransactionReceipt({ hash: cancel })).status).toBe('success')
    await expect(
      publicClient.simulateContract({
        address: usd,
        abi: SeedUSDAbi,
        functionName: 'transferWithAuthorization',
        args: [second.from, second.to, second.value, second.validAfter, second.validBefore, second.nonce, transferSig],
        account: devAccount('user'),
      }),
    ).rejects.toThrow(/AuthorizationAlreadyUsed/)
    // A signature by someone else is rejected.
    const forged = await randomAccount().signTypedData({
      domain,
      types: { TransferWithAuthorization: authorizationFields },
      primaryType: 'TransferWithAuthorization',
      message: { ...second, nonce: randomNonce() },
    })
    await expect(
      publicClient.simulateContract({
        address: usd,
        abi: SeedUSDAbi,
        functionName: 'transferWithAuthorization',
        args: [second.from, second.to, second.value, second.validAfter, second.validBefore, randomNonce(), forged],
        account: devAccount('user'),
      }),
    ).rejects.toThrow(/InvalidSignature/)
    expect(await usdBalance(payer.address)).toBe(6_000_000n)
  })
})
