import { createServer } from 'node:net'

/** Asks the OS for a free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      )
    })
  })
}

/** Resolves when nothing listens on the port (so a child can bind it), rejects if busy. */
export function assertPortFree(port: number, service: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', () =>
      reject(new DevnetError(`${service}: port ${port} is busy; pick another or omit it to get a free one`)),
    )
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()))
  })
}

export class DevnetError extends Error {
  override name = 'DevnetError'
}
