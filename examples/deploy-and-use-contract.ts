/**
 * Deploy and use a contract on the rollup. Deploys a 24-byte storage contract from the agent's
 * rollup account (any call with 32 bytes of data stores them; a call without data returns them),
 * stores a value through the wallet's policy and reads it back with eth_call.
 *
 * Runtime code (hand-assembled): CALLDATASIZE ISZERO PUSH1 0x0c JUMPI  PUSH1 0 CALLDATALOAD PUSH1 0
 * SSTORE STOP  JUMPDEST PUSH1 0 SLOAD PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN; the creation code in
 * front of it copies it into memory and returns it.
 */
const CREATION_CODE = '0x601880600b6000396000f33615600c57600035600055005b60005460005260206000f3'

const deployed = await rollup.deploy({ bytecode: CREATION_CODE })
log('deployed at', deployed.address, 'in tx', deployed.hash)

const value = `0x${42n.toString(16).padStart(64, '0')}` as const
const stored = await rollup.send({ to: deployed.address, data: value })
log('stored 42 in tx', stored.hash)

const { data } = await rollup.call({ to: deployed.address, data: '0x' })
log('read back', BigInt(data).toString())
if (BigInt(data) !== 42n) throw new Error(`expected 42, read ${data}`)
log('done:', { address: deployed.address, value: BigInt(data).toString() })
