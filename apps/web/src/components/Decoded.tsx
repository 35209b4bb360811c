/** A decoded call or event: name and each argument, addresses as links on the same layer. */
import { Link } from '@tanstack/react-router'
import { isAddress } from 'viem'
import type { Decoded as DecodedValue } from '../lib/decode.ts'
import { routesOf } from '../lib/layer.ts'
import type { Layer } from '../lib/live.ts'

export function Decoded({ decoded, layer }: { decoded: DecodedValue; layer: Layer }) {
  return (
    <div className="decoded">
      <strong>
        {decoded.contract}.{decoded.name}
      </strong>
      <dl>
        {decoded.args.map(([name, value]) => (
          <div key={name}>
            <dt>{name}</dt>
            <dd className="mono">
              {typeof value === 'string' && isAddress(value) ? (
                <Link to={routesOf(layer).address} params={{ address: value }}>
                  {value}
                </Link>
              ) : (
                stringify(value)
              )}
            </dd>
          </div>
        ))}
      </dl>
    </div>
  )
}

function stringify(value: unknown): string {
  if (typeof value === 'bigint') return value.toString()
  if (Array.isArray(value)) return `[${value.map(stringify).join(', ')}]`
  if (value && typeof value === 'object')
    return JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? v.toString() : v))
  return String(value)
}
