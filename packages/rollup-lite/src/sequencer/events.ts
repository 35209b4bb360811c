/** A tiny typed event hub (no Node EventEmitter: the same code runs in a browser Worker). */
export class Events<Map extends Record<string, unknown[]>> {
  private listeners: { [K in keyof Map]?: Set<(...args: Map[K]) => void> } = {}

  on<K extends keyof Map>(event: K, listener: (...args: Map[K]) => void): () => void {
    let set = this.listeners[event]
    if (!set) {
      set = new Set()
      this.listeners[event] = set
    }
    set.add(listener)
    return () => set.delete(listener)
  }

  emit<K extends keyof Map>(event: K, ...args: Map[K]): void {
    for (const listener of this.listeners[event] ?? []) {
      try {
        listener(...args)
      } catch (error) {
        console.error(`rollup-lite: ${String(event)} listener failed`, error)
      }
    }
  }
}
