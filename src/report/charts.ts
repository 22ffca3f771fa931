// report.html's charts: Vega-Lite specs compiled by vega-lite and rendered to static SVG by vega's
// headless View (renderer "none" + toSVG), so axes, scales and legends come from a charting library
// and the page needs no script. Text is measured by vega's estimate (no canvas in Bun), which is
// close enough for axis labels.
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";

export interface Chart {
  id: string;
  title: string;
  /** Data rows plotted (the browser test checks every chart drew marks for them). */
  points: number;
  svg: string;
}

type Row = Record<string, unknown>;
const WIDTH = 520;
const HEIGHT = 220;
const base = { width: WIDTH, height: HEIGHT, background: "white", config: { font: "system-ui, sans-serif", view: { stroke: null } } } as const;

export async function render(id: string, title: string, values: Row[], spec: Record<string, unknown>): Promise<Chart> {
  const full = { ...base, ...spec, title, data: { values } } as unknown as TopLevelSpec;
  const view = new vega.View(vega.parse(compile(full).spec), { renderer: "none" });
  const svg = await view.toSVG();
  view.finalize();
  return { id, title, points: values.length, svg };
}

/** Horizontal bars: one per row of `category`, length `value`, optional colour by `color`. */
export function bars(id: string, title: string, values: Row[], o: { category: string; value: string; color?: string; valueTitle?: string; stack?: boolean }) {
  return render(id, title, values, {
    mark: { type: "bar", tooltip: true },
    encoding: {
      y: { field: o.category, type: "nominal", sort: null, title: null },
      x: { field: o.value, type: "quantitative", title: o.valueTitle ?? o.value, stack: o.stack ? "zero" : null },
      ...(o.color ? { color: { field: o.color, type: "nominal", title: null } } : {}),
    },
  });
}

/** Histogram of `field`, one colour per `group`, bars overlaid. */
export function histogram(id: string, title: string, values: Row[], o: { field: string; group: string; title: string; maxbins?: number }) {
  return render(id, title, values, {
    mark: { type: "bar", opacity: 0.6, binSpacing: 0 },
    encoding: {
      x: { field: o.field, type: "quantitative", bin: { maxbins: o.maxbins ?? 30 }, title: o.title },
      y: { aggregate: "count", type: "quantitative", title: "rows", stack: null },
      color: { field: o.group, type: "nominal", title: null },
    },
  });
}

/** Lines of `y` over `x`, one per `group`, with points. */
export function lines(id: string, title: string, values: Row[], o: { x: string; y: string; group: string; yTitle: string; xTitle?: string }) {
  return render(id, title, values, {
    mark: { type: "line", point: true },
    encoding: {
      x: { field: o.x, type: "quantitative", title: o.xTitle ?? o.x },
      y: { field: o.y, type: "quantitative", title: o.yTitle, scale: { zero: false } },
      color: { field: o.group, type: "nominal", title: null },
    },
  });
}

/** Point estimates with their interval as a rule: rows {label, mean, lo, hi}. */
export function intervals(id: string, title: string, values: Row[], o: { xTitle: string; zero?: boolean }) {
  // Per layer, not shared: the zero line has no label and must not add an empty row.
  const y = { field: "label", type: "nominal", sort: null, title: null, axis: { labelLimit: 260 } };
  return render(id, title, values, {
    layer: [
      { mark: "rule", encoding: { y, x: { field: "lo", type: "quantitative", title: o.xTitle }, x2: { field: "hi" } } },
      { mark: { type: "point", filled: true, size: 60 }, encoding: { y, x: { field: "mean", type: "quantitative" } } },
      ...(o.zero ? [{ data: { values: [{ zero: 0 }] }, mark: { type: "rule", strokeDash: [4, 4], color: "#888" }, encoding: { x: { field: "zero", type: "quantitative" } } }] : []),
    ],
  });
}
