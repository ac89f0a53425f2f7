/**
 * The report's only script: a tooltip and a guide line that follow the pointer over each chart.
 * The charts themselves are SVG drawn when the report is built, so a page whose script is blocked
 * still shows every chart. Text goes in with `textContent`, never as HTML. When it has run, the
 * page's `data-charts` attribute holds the number of charts it set up (the browser test reads it).
 */
export const REPORT_SCRIPT = `
(() => {
  const charts = document.querySelectorAll('svg[data-chart]')
  for (const svg of charts) {
    const data = JSON.parse(svg.dataset.chart)
    const card = svg.closest('.chart-card')
    const tip = card.querySelector('.tooltip')
    const guide = svg.querySelector('.guide')
    const show = (event) => {
      const box = svg.getBoundingClientRect()
      const seconds = ((event.clientX - box.left) / box.width * data.width - data.left) / data.plotWidth * data.xMax
      let index = 0
      data.x.forEach((x, i) => {
        if (Math.abs(x - seconds) < Math.abs(data.x[index] - seconds))
          index = i
      })
      if (data.x.length === 0)
        return
      const guideX = data.left + data.x[index] / data.xMax * data.plotWidth
      guide.setAttribute('x1', guideX)
      guide.setAttribute('x2', guideX)
      guide.setAttribute('visibility', 'visible')
      tip.replaceChildren()
      const title = document.createElement('strong')
      title.textContent = 'at ' + data.xLabels[index]
      tip.append(title)
      for (const series of data.series) {
        const row = document.createElement('div')
        const key = document.createElement('i')
        key.style.background = series.color
        const name = document.createElement('span')
        name.textContent = series.name
        const value = document.createElement('b')
        value.textContent = series.labels[index]
        row.append(key, name, value)
        tip.append(row)
      }
      tip.hidden = false
      const cardBox = card.getBoundingClientRect()
      const pointerX = box.left - cardBox.left + guideX / data.width * box.width
      const left = pointerX + 12 + tip.offsetWidth > cardBox.width ? pointerX - 12 - tip.offsetWidth : pointerX + 12
      tip.style.left = Math.max(0, left) + 'px'
      tip.style.top = (box.top - cardBox.top + 8) + 'px'
    }
    svg.addEventListener('pointermove', show)
    svg.addEventListener('pointerleave', () => {
      tip.hidden = true
      guide.setAttribute('visibility', 'hidden')
    })
  }
  document.documentElement.dataset.charts = String(charts.length)
})()
`
