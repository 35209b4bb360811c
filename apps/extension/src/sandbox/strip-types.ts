import { transform } from 'sucrase'

/** TypeScript → JavaScript (types stripped, lines kept), as the body of the async function the VM runs. */
export function stripTypes(source: string): string {
  const wrapped = transform(`async function script() {\n${source}\n}`, {
    transforms: ['typescript'],
    disableESTransforms: true,
  }).code
  return wrapped.slice(wrapped.indexOf('{\n') + 2, wrapped.lastIndexOf('\n}'))
}
