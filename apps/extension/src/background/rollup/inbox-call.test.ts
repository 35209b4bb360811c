/** The bridge config "Start batching" registers (decision 0702): the network's preset, the wallet's guardian, the bond. */
import { BRIDGE_CONFIG_PRESETS, SEED_PORTAL, SeedPortalAbi } from '@seed/contracts'
import { decodeFunctionData, getAddress } from 'viem'
import { expect, test } from 'vitest'
import { registerBridgeConfigCall } from './inbox-call.ts'

const inbox = getAddress('0x00000000000000000000000000000000000001b0')
const guardian = getAddress('0x000000000000000000000000000000000000a4d1')

const registered = (network: string) => {
  const call = registerBridgeConfigCall(network, inbox, guardian)
  const { functionName, args } = decodeFunctionData({ abi: SeedPortalAbi, data: call.data! })
  return {
    call,
    functionName,
    args: args as readonly [
      string,
      { guardians: readonly string[]; threshold: bigint; forceWindow: bigint; challengeWindow: bigint },
    ],
  }
}

test("on the devnet: the devnet's windows in seconds, the wallet's guardian alone, the challenge bond as value", () => {
  const { call, functionName, args } = registered('devnet')
  expect(call.to).toBe(SEED_PORTAL)
  expect(functionName).toBe('registerConfig')
  expect(args[0]).toBe(inbox)
  expect(args[1]).toMatchObject({
    guardians: [guardian],
    threshold: 1n,
    forceWindow: BRIDGE_CONFIG_PRESETS.devnet.forceWindow,
    challengeWindow: BRIDGE_CONFIG_PRESETS.devnet.challengeWindow,
  })
  expect(call.value).toBe(BRIDGE_CONFIG_PRESETS.devnet.challengeBond)
})

test('on any other network: the mainnet preset (a 12 h force window, a 7-day challenge window)', () => {
  const { call, args } = registered('sepolia')
  expect(args[1]).toMatchObject({
    forceWindow: BRIDGE_CONFIG_PRESETS.mainnet.forceWindow,
    challengeWindow: BRIDGE_CONFIG_PRESETS.mainnet.challengeWindow,
  })
  expect(call.value).toBe(BRIDGE_CONFIG_PRESETS.mainnet.challengeBond)
})
