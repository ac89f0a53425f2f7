// CI-like noise for bench/baseline-real.js: burns one core in random bursts (0.2 to 1.5 s on, 0.3
// to 2.5 s off, from a seeded generator, so every bench sees the same pattern), as a neighbour job
// on a shared runner would. Ends by itself after MAX_LIFE_MS, or on SIGTERM.
import process from 'node:process'
// eslint-disable-next-line antfu/no-import-dist -- the benches use the build's generator
import { createRandom } from '../../dist/scenario/random.js'

const MAX_LIFE_MS = Number(process.env.NOISE_MAX_LIFE_MS ?? 3_600_000)
const random = createRandom(Number(process.env.NOISE_SEED ?? 12345))

const endAt = Date.now() + MAX_LIFE_MS
function burst() {
  if (Date.now() >= endAt)
    process.exit(0)
  const until = Date.now() + 200 + random() * 1300
  let sink = 0
  while (Date.now() < until)
    sink += Math.sqrt(sink + 1)
  setTimeout(burst, 300 + random() * 2200 + (sink > 0
    ? 0
    : 1))
}
burst()
process.on('SIGTERM', () => process.exit(0))
