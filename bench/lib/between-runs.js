// eslint-disable-next-line antfu/no-import-dist -- the rule is the build's own
import { predictionInterval } from '../../dist/baseline/statistics.js'

/** The tolerance the real-services benches judge every figure against: 10 %. */
export const TOLERANCE = 0.1
/** +1 where a rise is worse, -1 where a fall is. */
export const WORSE = { p50Ms: 1, p95Ms: 1, throughputPerSec: -1 }

/** The whole-run figures, as a baseline keeps them: the default statistic of a run. */
export const WHOLE_RUN = {
  p50Ms: run => run.p50Ms,
  p95Ms: run => run.p95Ms,
  throughputPerSec: run => run.throughputPerSec,
}

/**
 * The between-run rule of the benches: the history's runs, reduced to one value per figure by
 * `statistic`, give a mean and a spread of logarithms; a new run regressed a figure when its whole
 * 95 % prediction interval lies beyond the tolerance. Also the smallest change it could flag.
 */
export function judgeBetweenRuns(past, now, statistic = WHOLE_RUN) {
  const verdict = {}
  for (const figure of Object.keys(WORSE)) {
    const { mean, halfWidth } = predictionInterval(past.map(run => Math.log(statistic[figure](run))))
    const worse = (Math.log(statistic[figure](now)) - mean) * WORSE[figure]
    verdict[figure] = {
      regressed: worse - halfWidth > Math.log1p(TOLERANCE),
      detectable: Math.expm1(Math.log1p(TOLERANCE) + halfWidth),
    }
  }
  return verdict
}
