export { kzg } from './chain/kzg.ts'
