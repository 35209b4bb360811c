export { emit, type Figure, log, percentile, round, stats } from './bench.ts'
