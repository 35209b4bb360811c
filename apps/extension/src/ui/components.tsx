import { useState } from 'react'

export function Address({ value }: { value: string }) {
  const [copied, setCopied] = useState(false)
  return (
    <button
      type="button"
      className="address"
      title="Copy"
      onClick={() => navigator.clipboard.writeText(value).then(() => setCopied(true))}
    >
      <code>{value}</code>
      <span className="muted small">{copied ? 'copied' : 'copy'}</span>
    </button>
  )
}

export const short = (hex?: string) => (hex ? `${hex.slice(0, 10)}…${hex.slice(-6)}` : '—')

export function ago(ms: number) {
  const s = Math.round((Date.now() - ms) / 1000)
  if (s < 60) return `${s}s ago`
  if (s < 3600) return `${Math.round(s / 60)}m ago`
  return new Date(ms).toLocaleString()
}
