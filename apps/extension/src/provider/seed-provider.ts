/** The EIP-1193 provider pages talk to. Every request crosses to the content script by postMessage. */
import { deserializeError, ErrorCode, ProviderRpcError } from '../core/errors.ts'
import { onWindowEvent, sendWindowRequest } from '../core/messenger.ts'

type Listener = (...args: any[]) => void
export type RequestArguments = { method: string; params?: readonly unknown[] | object }

export class SeedProvider {
  readonly isSeed = true
  #listeners = new Map<string, Set<Listener>>()
  #chainId: string | undefined
  #connected = false

  constructor() {
    onWindowEvent((event, data) => this.#onEvent(event, data))
    // Learn the chain once so `connect` fires with it (EIP-1193).
    this.request({ method: 'eth_chainId' }).then(
      (chainId) => this.#setConnected(chainId as string),
      () => {},
    )
  }

  request(args: RequestArguments): Promise<unknown> {
    if (!args || typeof args !== 'object' || typeof args.method !== 'string') {
      return Promise.reject(new ProviderRpcError(ErrorCode.invalidParams, 'request() expects { method, params? }'))
    }
    return sendWindowRequest(args.method, args.params).then((result) => {
      if (args.method === 'eth_chainId' && typeof result === 'string' && result !== this.#chainId) {
        if (this.#connected) this.#onEvent('chainChanged', result)
        else this.#setConnected(result)
      }
      return result
    })
  }

  on(event: string, listener: Listener) {
    const set = this.#listeners.get(event) ?? new Set()
    this.#listeners.set(event, set)
    set.add(listener)
    return this
  }

  removeListener(event: string, listener: Listener) {
    this.#listeners.get(event)?.delete(listener)
    return this
  }

  off(event: string, listener: Listener) {
    return this.removeListener(event, listener)
  }

  #emit(event: string, ...args: unknown[]) {
    for (const listener of this.#listeners.get(event) ?? []) {
      try {
        listener(...args)
      } catch (error) {
        console.error(error)
      }
    }
  }

  /** EIP-1193: whether the provider can serve RPC requests to its current chain. */
  isConnected() {
    return this.#connected
  }

  #setConnected(chainId: string) {
    this.#chainId = chainId
    if (this.#connected) return
    this.#connected = true
    this.#emit('connect', { chainId })
  }

  #onEvent(event: string, data: unknown) {
    if (event === 'chainChanged') {
      if (data === this.#chainId) return
      this.#chainId = data as string
    }
    // The wallet says when the chain's RPC stops (4901) or resumes answering (decision 0412).
    if (event === 'disconnect') {
      if (!this.#connected) return
      this.#connected = false
      this.#emit('disconnect', deserializeError(data as never))
      return
    }
    if (event === 'connect') {
      const chainId = (data as { chainId?: string } | undefined)?.chainId
      if (typeof chainId !== 'string') return
      if (this.#connected && chainId === this.#chainId) return
      this.#chainId = chainId
      this.#connected = true
      this.#emit('connect', { chainId })
      return
    }
    this.#emit(event, data)
  }
}
