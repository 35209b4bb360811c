import { expect, test } from 'vitest'
import { addedChainOf } from './chain-approval.ts'

test('an added chain needs an http(s) RPC URL; its name is kept short for the approval window', () => {
  const chain = addedChainOf([{ chainName: 'x'.repeat(200), rpcUrls: ['https://rpc.example'] }], 0x30b)
  expect(chain).toEqual({ chainId: 0x30b, name: 'x'.repeat(64), rpcUrl: 'https://rpc.example' })
  expect(addedChainOf([{ rpcUrls: ['http://127.0.0.1:8545'] }], 7)).toEqual({
    chainId: 7,
    name: 'Chain 7',
    rpcUrl: 'http://127.0.0.1:8545',
  })
  for (const rpcUrls of [undefined, [], ['javascript:alert(1)'], ['ws://127.0.0.1'], [42]]) {
    expect(() => addedChainOf([{ chainName: 'Bad', rpcUrls }], 7)).toThrow(expect.objectContaining({ code: -32602 }))
  }
})
