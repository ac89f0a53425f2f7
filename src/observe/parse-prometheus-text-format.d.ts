// Types for parse-prometheus-text-format 1.1.1, which ships none. Read from its
// dist/parse-prometheus-text-format.cjs.js: `module.exports = parsePrometheusTextFormat`.
declare module 'parse-prometheus-text-format' {
  /** Label name → value, unescaped (`\"`, `\\` and `\n` are undone). Absent when a line has no labels. */
  export type Labels = Record<string, string>

  /** One sample of a counter, gauge or untyped family. Numbers stay as written: `"1"`, `"1e3"`, `"+Inf"`, `"NaN"`. */
  export interface ValueSample {
    value: string
    labels?: Labels
    /** The optional third field of a sample line, in milliseconds since the epoch. */
    timestamp_ms?: string
  }

  /**
   * A summary's samples, flattened by the parser into one object without labels: quantile → value
   * from every line that has a `quantile` label (all label sets together, later ones overwriting
   * earlier ones), `count` and `sum` only from unlabelled `_count` and `_sum` lines. A family whose
   * every line has labels and none a quantile stays unflattened: `{ labels, count, sum }` per series.
   */
  export interface SummarySample {
    quantiles?: Record<string, string>
    count?: string
    sum?: string
    labels?: Labels
  }

  /** A histogram's samples, flattened as a summary's are, with `le` → cumulative count in `buckets`. */
  export interface HistogramSample {
    buckets?: Record<string, string>
    count?: string
    sum?: string
    labels?: Labels
  }

  /**
   * The samples of one family (its `# HELP` and `# TYPE` lines and the sample lines under them).
   * `type` is the TYPE word upper-cased, `UNTYPED` without one. A family whose lines are interleaved
   * with another's comes back as several families of the same name.
   */
  export type MetricFamily
    = | { name: string, help: string, type: 'COUNTER' | 'GAUGE' | 'UNTYPED', metrics: ValueSample[] }
      | { name: string, help: string, type: 'SUMMARY', metrics: SummarySample[] }
      | { name: string, help: string, type: 'HISTOGRAM', metrics: HistogramSample[] }

  /**
   * Parses the Prometheus text exposition format (0.0.4). Throws an `InvalidLineError` ("Encountered
   * invalid line: …") on a malformed TYPE or label, but reads most other text as samples. Drops the
   * last line when the text does not end with a newline.
   */
  export default function parsePrometheusTextFormat(text: string): MetricFamily[]
}
