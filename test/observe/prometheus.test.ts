import { describe, expect, it } from 'vitest'
import { checkPrometheus, PrometheusSampler } from '../../src/observe/prometheus.js'
import { startServer } from '../helpers/server.js'

/** A metrics endpoint on 127.0.0.1 that answers whatever the test last gave `answer`. */
async function startExposition(text: string): Promise<{ url: string, answer: (next: string, status?: number) => void }> {
  let body = text
  let statusCode = 200
  const server = await startServer((_req, res) => {
    res.statusCode = statusCode
    res.setHeader('content-type', 'text/plain; version=0.0.4; charset=utf-8')
    res.end(body)
  })
  return {
    url: `${server.url}/metrics`,
    answer: (next, status = 200) => {
      body = next
      statusCode = status
    },
  }
}

/** A server that answers every request with this status, content type and body. */
async function startAnswering(status: number, contentType: string, body: string): Promise<string> {
  const server = await startServer((_req, res) => {
    res.writeHead(status, { 'content-type': contentType })
    res.end(body)
  })
  return `${server.url}/metrics`
}

function counter(name: string, value: number): string {
  return `# HELP ${name} Things done.\n# TYPE ${name} counter\n${name} ${value}\n`
}

describe('sampling a Prometheus endpoint', () => {
  it('gives no counter rate on the first scrape, then 25 /s for a counter that rose by 50 over 2 s', async () => {
    const endpoint = await startExposition(counter('requests_total', 100))
    const sampler = new PrometheusSampler({
      url: endpoint.url,
      metrics: ['requests_total'],
    })

    expect(await sampler.sample(1000)).toEqual({})
    endpoint.answer(counter('requests_total', 150))
    expect(await sampler.sample(3000)).toEqual({ requests_total: 25 })
  })

  it('tells rates (/s) from values by series name', async () => {
    const endpoint = await startExposition(`${counter('requests_total', 1)}# TYPE rpc_seconds summary\nrpc_seconds{quantile="0.5"} 0.1\nrpc_seconds_sum 1\nrpc_seconds_count 2\n`)
    const sampler = new PrometheusSampler({
      url: endpoint.url,
      metrics: ['requests_total', 'rpc_seconds'],
    })

    await sampler.sample(0)
    expect([
      'requests_total',
      'rpc_seconds_count',
      'rpc_seconds_sum',
      'rpc_seconds{quantile="0.5"}',
    ].map(series => sampler.unitOf(series)))
      .toEqual(['/s', '/s', '/s', ''])
  })

  it('gives gauges and untyped metrics their value from the first scrape on', async () => {
    const endpoint = await startExposition([
      '# HELP heap_bytes Heap in use.',
      '# TYPE heap_bytes gauge',
      'heap_bytes 1.5e6',
      'queue_depth 7',
      '',
    ].join('\n'))
    const sampler = new PrometheusSampler({
      url: endpoint.url,
      metrics: ['heap_bytes', 'queue_depth'],
    })

    expect(await sampler.sample(0)).toEqual({ heap_bytes: 1_500_000, queue_depth: 7 })
    endpoint.answer('# TYPE heap_bytes gauge\nheap_bytes 2e6\nqueue_depth 0\n')
    expect(await sampler.sample(1000)).toEqual({ heap_bytes: 2_000_000, queue_depth: 0 })
  })

  it('names labelled series by their labels sorted by name, values escaped as in the exposition format', async () => {
    const endpoint = await startExposition(String.raw`# TYPE http_inflight gauge
http_inflight{path="/a",method="GET"} 3
http_inflight{method="POST",path="/b"} 1
# TYPE log_lines gauge
log_lines{path="C:\\temp",msg="say \"hi\"\n",level="warn"} 2
`)
    const sampler = new PrometheusSampler({
      url: endpoint.url,
      metrics: ['http_inflight', 'log_lines'],
    })

    expect(await sampler.sample(0)).toEqual({
      'http_inflight{method="GET",path="/a"}': 3,
      'http_inflight{method="POST",path="/b"}': 1,
      [String.raw`log_lines{level="warn",msg="say \"hi\"\n",path="C:\\temp"}`]: 2,
    })
  })

  it('gives a summary\'s quantiles as values and its _count and _sum as rates, per label set', async () => {
    // as prom-client writes a labelled summary: each label set's quantiles, then its _sum and _count
    const summary = (getCount: number, getSum: number, putCount: number, putSum: number): string => `# HELP rpc_seconds RPC latency.
# TYPE rpc_seconds summary
rpc_seconds{quantile="0.5",method="get"} 0.01
rpc_seconds{quantile="0.99",method="get"} 0.05
rpc_seconds_sum{method="get"} ${getSum}
rpc_seconds_count{method="get"} ${getCount}
rpc_seconds{quantile="0.5",method="put"} 0.02
rpc_seconds{quantile="0.99",method="put"} 0.08
rpc_seconds_sum{method="put"} ${putSum}
rpc_seconds_count{method="put"} ${putCount}
`
    const endpoint = await startExposition(summary(100, 2, 40, 1))
    const sampler = new PrometheusSampler({
      url: endpoint.url,
      metrics: ['rpc_seconds'],
    })
    const quantiles = {
      'rpc_seconds{method="get",quantile="0.5"}': 0.01,
      'rpc_seconds{method="get",quantile="0.99"}': 0.05,
      'rpc_seconds{method="put",quantile="0.5"}': 0.02,
      'rpc_seconds{method="put",quantile="0.99"}': 0.08,
    }

    expect(await sampler.sample(0)).toEqual(quantiles)
    endpoint.answer(summary(150, 3, 50, 1.5))
    expect(await sampler.sample(500)).toEqual({
      ...quantiles,
      'rpc_seconds_count{method="get"}': 100,
      'rpc_seconds_sum{method="get"}': 2,
      'rpc_seconds_count{method="put"}': 20,
      'rpc_seconds_sum{method="put"}': 1,
    })
  })

  it('gives a histogram\'s _count and _sum as rates and keeps no buckets', async () => {
    const histogram = (count: number, sum: number): string => `# HELP http_request_duration_seconds Request time.
# TYPE http_request_duration_seconds histogram
http_request_duration_seconds_bucket{le="0.1",route="/a"} ${count - 3}
http_request_duration_seconds_bucket{le="+Inf",route="/a"} ${count}
http_request_duration_seconds_sum{route="/a"} ${sum}
http_request_duration_seconds_count{route="/a"} ${count}
`
    const endpoint = await startExposition(histogram(8, 1.5))
    const sampler = new PrometheusSampler({
      url: endpoint.url,
      metrics: ['http_request_duration_seconds'],
    })

    expect(await sampler.sample(0)).toEqual({})
    endpoint.answer(histogram(18, 3.5))
    expect(await sampler.sample(1000)).toEqual({
      'http_request_duration_seconds_count{route="/a"}': 10,
      'http_request_duration_seconds_sum{route="/a"}': 2,
    })
  })

  it('gives no rate for a counter that went down, then rates from its new value', async () => {
    const endpoint = await startExposition(counter('jobs_total', 100))
    const sampler = new PrometheusSampler({
      url: endpoint.url,
      metrics: ['jobs_total'],
    })

    await sampler.sample(0)
    endpoint.answer(counter('jobs_total', 150))
    expect(await sampler.sample(1000)).toEqual({ jobs_total: 50 })
    endpoint.answer(counter('jobs_total', 20)) // the target restarted
    expect(await sampler.sample(2000)).toEqual({})
    endpoint.answer(counter('jobs_total', 50))
    expect(await sampler.sample(3000)).toEqual({ jobs_total: 30 })
  })

  it('keeps only the chosen metrics', async () => {
    const text = `${counter('a_total', 1)}# TYPE b gauge\nb 2\n# TYPE c summary\nc{quantile="0.5"} 3\nc_sum 4\nc_count 5\n`
    const endpoint = await startExposition(text)
    const sampler = new PrometheusSampler({
      url: endpoint.url,
      metrics: ['b'],
    })

    expect(await sampler.sample(0)).toEqual({ b: 2 })
    expect(await sampler.sample(1000)).toEqual({ b: 2 })
  })

  it('rates over the time since the last successful scrape when one in between failed', async () => {
    const endpoint = await startExposition(counter('requests_total', 100))
    const sampler = new PrometheusSampler({
      url: endpoint.url,
      metrics: ['requests_total'],
    })

    await sampler.sample(0)
    endpoint.answer('oops', 500)
    await expect(sampler.sample(1000)).rejects.toThrow(/answered 500/)
    endpoint.answer(counter('requests_total', 300))
    expect(await sampler.sample(2000)).toEqual({ requests_total: 100 })
  })

  it('reads a last line without a newline, and leaves out NaN and +Inf values', async () => {
    const endpoint = await startExposition('# TYPE idle summary\nidle{quantile="0.5"} NaN\nidle_sum 0\nidle_count 0\nlimit +Inf\nlast 9')
    const sampler = new PrometheusSampler({
      url: endpoint.url,
      metrics: ['idle', 'limit', 'last'],
    })

    expect(await sampler.sample(0)).toEqual({ last: 9 })
  })

  it('sends the Prometheus text format in Accept, and the URL\'s user and password as basic auth', async () => {
    const seen: Array<string | undefined> = []
    const server = await startServer((req, res) => {
      seen.push(req.headers.accept, req.headers.authorization)
      res.setHeader('content-type', 'text/plain; version=0.0.4')
      res.end('up 1\n')
    })
    const url = server.url.replace('http://', 'http://scraper:p%40ss@')
    const sampler = new PrometheusSampler({
      url: `${url}/metrics`,
      metrics: ['up'],
    })

    expect(await sampler.sample(0)).toEqual({ up: 1 })
    expect(seen).toEqual(['text/plain;version=0.0.4', `Basic ${Buffer.from('scraper:p@ss').toString('base64')}`])
  })

  it('reads text shaped as the Go client and prom-client write it', async () => {
    // hand-copied in the shape of promhttp (Go) and prom-client (Node) output; prom-client is not a dependency
    const endpoint = await startExposition(`# HELP go_gc_duration_seconds A summary of the pause duration of garbage collection cycles.
# TYPE go_gc_duration_seconds summary
go_gc_duration_seconds{quantile="0"} 2.4e-05
go_gc_duration_seconds{quantile="0.5"} 4.2e-05
go_gc_duration_seconds{quantile="1"} 0.000311
go_gc_duration_seconds_sum 0.015
go_gc_duration_seconds_count 311
# HELP promhttp_metric_handler_requests_total Total number of scrapes by HTTP status code.
# TYPE promhttp_metric_handler_requests_total counter
promhttp_metric_handler_requests_total{code="200"} 1520
promhttp_metric_handler_requests_total{code="500"} 0
# HELP process_cpu_user_seconds_total Total user CPU time spent in seconds.
# TYPE process_cpu_user_seconds_total counter
process_cpu_user_seconds_total 0.5

# HELP nodejs_heap_space_size_used_bytes Process heap space size used from Node.js in bytes.
# TYPE nodejs_heap_space_size_used_bytes gauge
nodejs_heap_space_size_used_bytes{space="read_only"} 0
nodejs_heap_space_size_used_bytes{space="new"} 1048576

# HELP http_request_duration_seconds Duration of HTTP requests in seconds.
# TYPE http_request_duration_seconds histogram
http_request_duration_seconds_bucket{le="0.005",method="GET"} 3
http_request_duration_seconds_bucket{le="+Inf",method="GET"} 4
http_request_duration_seconds_sum{method="GET"} 0.25
http_request_duration_seconds_count{method="GET"} 4
`)
    const source = {
      url: endpoint.url,
      metrics: ['go_gc_duration_seconds', 'process_cpu_user_seconds_total', 'nodejs_heap_space_size_used_bytes'],
    }

    expect(await checkPrometheus(source)).toEqual([
      'go_gc_duration_seconds',
      'promhttp_metric_handler_requests_total',
      'process_cpu_user_seconds_total',
      'nodejs_heap_space_size_used_bytes',
      'http_request_duration_seconds',
    ])
    expect(await new PrometheusSampler(source).sample(0)).toEqual({
      'go_gc_duration_seconds{quantile="0"}': 2.4e-5,
      'go_gc_duration_seconds{quantile="0.5"}': 4.2e-5,
      'go_gc_duration_seconds{quantile="1"}': 0.000311,
      'nodejs_heap_space_size_used_bytes{space="new"}': 1_048_576,
      'nodejs_heap_space_size_used_bytes{space="read_only"}': 0,
    })
  })
})

describe('failed scrapes', () => {
  it('says a 404 is an answer from the wrong path, from checkPrometheus and sample', async () => {
    const url = await startAnswering(404, 'text/plain', 'not found')

    await expect(checkPrometheus({
      url,
      metrics: ['up'],
    })).rejects.toThrow(
      `Prometheus endpoint ${url} answered 404 Not Found, expected 200 with metrics in the Prometheus text format. `
      + 'Is the path right? Most targets serve them at /metrics.',
    )
    await expect(new PrometheusSampler({
      url,
      metrics: ['up'],
    }).sample()).rejects.toThrow(/answered 404 Not Found/)
  })

  it('says a JSON answer is not the text format, by its content type', async () => {
    const url = await startAnswering(200, 'application/json', '{"up": 1}')

    await expect(checkPrometheus({
      url,
      metrics: ['up'],
    })).rejects.toThrow(
      `Prometheus endpoint ${url} answered with Content-Type application/json, expected text/plain; version=0.0.4`,
    )
  })

  it('says an HTML page or prose served as text/plain is not the text format', async () => {
    const html = await startAnswering(200, 'text/plain', '<!doctype html>\n<html><body><h1>Welcome</h1></body></html>\n')
    const prose = await startAnswering(200, 'text/plain', 'Nothing to see here\n')

    await expect(new PrometheusSampler({
      url: html,
      metrics: ['up'],
    }).sample()).rejects.toThrow(
      `Prometheus endpoint ${html} did not answer in the Prometheus text format: "<!doctype" is not a metric name`,
    )
    await expect(checkPrometheus({
      url: prose,
      metrics: ['up'],
    })).rejects.toThrow(
      `Prometheus endpoint ${prose} did not answer in the Prometheus text format: "to" is not a sample value of Nothing`,
    )
  })

  it('names the address and the system error when nothing listens there', async () => {
    const server = await startServer(() => {}, { closeOnTestFinished: false })
    await server.close() // the port is free now
    const url = `${server.url}/metrics`

    await expect(checkPrometheus({
      url,
      metrics: ['up'],
    })).rejects.toThrow(
      `Cannot scrape Prometheus endpoint ${url} (connect ECONNREFUSED ${server.url.slice('http://'.length)}). `
      + 'Is the target started and serving its metrics at this address?',
    )
  })

  it('gives up on an endpoint that does not answer within the timeout', async () => {
    const server = await startServer(() => {}) // never answers
    const sampler = new PrometheusSampler({
      url: server.url,
      metrics: ['up'],
    }, { timeoutMs: 50 })

    await expect(sampler.sample()).rejects.toThrow(`Cannot scrape Prometheus endpoint ${server.url}/ (no answer within 50 ms)`)
  })

  it('lists at most 20 of the metrics found when a chosen one is missing', async () => {
    const gauges = Array.from({ length: 25 }, (_, index) => `m_${String(index).padStart(2, '0')} ${index}\n`).join('')
    const endpoint = await startExposition(gauges)

    const error = await checkPrometheus({
      url: endpoint.url,
      metrics: ['m_03', 'absent_total'],
    }).catch((error: unknown) => error)

    expect(error).toBeInstanceOf(Error)
    const message = (error as Error).message
    expect(message).toContain(`Prometheus endpoint ${endpoint.url} has no metric named absent_total. `
      + 'It shows: m_00, m_01, m_02, m_03, m_04, m_05, m_06, m_07, m_08, m_09, m_10, m_11, m_12, m_13, m_14, m_15, m_16, m_17, m_18, m_19 and 5 more.')
  })

  it('points a chosen _count of a summary to the summary\'s name', async () => {
    const endpoint = await startExposition('# TYPE rpc_seconds summary\nrpc_seconds_sum 1\nrpc_seconds_count 2\n')

    await expect(checkPrometheus({
      url: endpoint.url,
      metrics: ['rpc_seconds_count'],
    })).rejects.toThrow(
      'has no metric named rpc_seconds_count (did you mean rpc_seconds?). It shows: rpc_seconds.',
    )
  })

  it('rejects a source with every problem listed, before any scrape', () => {
    expect(() => new PrometheusSampler({ url: 'localhost:9100', metrics: [] }, { timeoutMs: 0 })).toThrow(
      'Invalid Prometheus source:\n'
      + '  - url must be an http(s) URL such as \'http://127.0.0.1:9100/metrics\', got "localhost:9100"\n'
      + '  - metrics must name at least one metric, such as [\'process_cpu_seconds_total\'], got []\n'
      + '  - timeoutMs must be a number of milliseconds above 0, got 0',
    )
  })
})
