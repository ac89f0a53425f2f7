// CI-like noise for bench/baseline-real.js: burns one core in random bursts (0.2 to 1.5 s on, 0.3
// to 2.5 s off, from a seeded generator, so every bench sees the same pattern), as a neighbour job
// on a shared runner would. Ends by itself after MAX_LIFE_MS, or on SIGTERM.
import process from 'node:process'

const MAX_LIFE_MS = Number(process.env.NOISE_MAX_LIFE_MS ?? 3_600_000)
let state = Number(process.env.NOISE_SEED ?? 12345) >>> 0
function random() {
  state = (state + 0x6D2B79F5) >>> 0
  let t = state
  t = Math.imul(t ^ (t >>> 15), t | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
}

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
