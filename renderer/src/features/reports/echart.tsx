import { BarChart, MapChart } from 'echarts/charts'
import { AriaComponent, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, VisualMapComponent } from 'echarts/components'
import * as echarts from 'echarts/core'
import { SVGRenderer } from 'echarts/renderers'
import { useEffect, useRef } from 'react'

// only the parts the reports draw: bars on a grid with a legend, a target line, decal patterns (aria)
// for black-and-white print, the district map's squares shaded in greys, drawn as SVG so a printed
// page stays sharp
echarts.use([BarChart, MapChart, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, VisualMapComponent, AriaComponent, SVGRenderer])

export type ChartOption = echarts.EChartsCoreOption

/** Registers a map's outlines (GeoJSON built in the app: nothing is fetched) under a name a map series then draws. */
export function registerMap(name: string, geoJson: object): void {
  echarts.registerMap(name, geoJson as Parameters<typeof echarts.registerMap>[1])
}

/** One ECharts chart in a box of the given height; redrawn when the option changes, resized with its box. */
export function EChart({ option, height, label }: { option: ChartOption; height: number; label: string }) {
  const box = useRef<HTMLDivElement>(null)
  const chart = useRef<echarts.ECharts | null>(null)

  useEffect(() => {
    const el = box.current
    if (!el) return
    const c = echarts.init(el, null, { renderer: 'svg' })
    chart.current = c
    const observer = new ResizeObserver(() => c.resize())
    observer.observe(el)
    return () => {
      observer.disconnect()
      c.dispose()
      chart.current = null
    }
  }, [])

  useEffect(() => {
    // the aria component (on for the print patterns) would write its own description onto the box:
    // in ECharts' Chinese whatever the page's language, and "NaN" for a period with no data
    const aria = (option as { aria?: Record<string, unknown> }).aria ?? {}
    chart.current?.setOption({ ...option, aria: { ...aria, label: { description: label } } }, { notMerge: true })
  }, [option, label])

  return <div ref={box} className="reports-chart" style={{ height }} role="img" aria-label={label} />
}
