/** The generated deployment list agrees with CREATE2 and with the spec (guards the build against drift). */
import { concat, getContractAddress, isAddressEqual, keccak256, stringToHex } from 'viem'
import { expect, test } from 'vitest'
import { seedDeploymentSpecs } from './deterministic/spec.ts'
import { CREATE2_DEPLOYER, SEED_SALT, seedAddresses, seedDeploymentCalls, seedDeployments } from './deterministic.ts'

test('every address is CREATE2(deployer, salt, initCode); the calls carry salt ‖ initCode', () => {
  expect(SEED_SALT).toBe(keccak256(stringToHex('seed/deterministic/v1')))
  expect(seedDeployments.map((d) => d.name)).toEqual(seedDeploymentSpecs.map((s) => s.name))
  const calls = seedDeploymentCalls(seedDeployments)
  seedDeployments.forEach((d, i) => {
    const address = getContractAddress({
      opcode: 'CREATE2',
      from: CREATE2_DEPLOYER,
      salt: d.salt,
      bytecode: d.initCode,
    })
    expect(isAddressEqual(address, d.address), d.name).toBe(true)
    expect(calls[i]).toEqual({ name: d.name, to: CREATE2_DEPLOYER, data: concat([d.salt, d.initCode]), gas: d.gas })
  })
})

test('the token paymaster is bound to the deterministic Seed USD; the implementation is the factory’s first CREATE', () => {
  const addresses = seedAddresses()
  const tokenPaymaster = seedDeployments.find((d) => d.name === 'tokenPaymaster')!
  expect(tokenPaymaster.initCode.toLowerCase()).toContain(addresses.usd.slice(2).toLowerCase())
  expect(addresses.seedAccountImplementation).toBe(
    getContractAddress({ from: addresses.seedAccountFactory, nonce: 1n }),
  )
  expect(new Set(Object.values(addresses)).size).toBe(Object.keys(addresses).length)
})
