import { createSmartAccountClient } from 'permissionless'
import { toSimpleSmartAccount } from 'permissionless/accounts'
import { createPublicClient, createWalletClient, http, parseEther } from 'viem'
import { createBundlerClient, entryPoint07Address } from 'viem/account-abstraction'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { foundry } from 'viem/chains'
import { expect, inject, test } from 'vitest'
import { devAccount } from '../src/accounts.ts'

const manifest = inject('manifest')
const transport = http(manifest.l1.rpcUrl)
const publicClient = createPublicClient({ chain: foundry, transport, pollingInterval: 50 })

test('a counterfactual SimpleAccount sends ETH with a user operation through alto', async () => {
  expect(manifest.contracts.entryPointV07).toBe(entryPoint07Address)
  const owner = privateKeyToAccount(generatePrivateKey())
  const account = await toSimpleSmartAccount({
    client: publicClient,
    owner,
    entryPoint: { address: entryPoint07Address, version: '0.7' },
  })
  expect(await publicClient.getCode({ address: account.address })).toBeUndefined()

  // Fund the counterfactual address so it pays its own gas.
  const funder = createWalletClient({ chain: foundry, transport, account: devAccount('user') })
  await publicClient.waitForTransactionReceipt({
    hash: await funder.sendTransaction({ to: account.address, value: parseEther('1') }),
  })

  const bundlerTransport = http(manifest.bundler.url)
  const bundler = createBundlerClient({ client: publicClient, transport: bundlerTransport })
  const client = createSmartAccountClient({
    account,
    chain: foundry,
    bundlerTransport,
    userOperation: {
      estimateFeesPerGas: async () =>
        ((await bundler.request({ method: 'pimlico_getUserOperationGasPrice' } as never)) as any).fast,
    },
  })
  const recipient = privateKeyToAccount(generatePrivateKey()).address
  const hash = await client.sendTransaction({ to: recipient, value: parseEther('0.25') })
  const receipt = await publicClient.waitForTransactionReceipt({ hash })
  expect(receipt.status).toBe('success')
  expect(await publicClient.getBalance({ address: recipient })).toBe(parseEther('0.25'))
  expect(await publicClient.getCode({ address: account.address })).toMatch(/^0x.+/)
})
