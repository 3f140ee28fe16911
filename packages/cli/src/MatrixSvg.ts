/**
 * The Referral Partner Matrix as a standalone SVG picture: alignment up, activity across, the
 * thresholds as the lines between the four quadrants, every partner a dot in its quadrant with
 * its name beside it. Labels are placed greedily, the most crowded first, at the nearest spot
 * around their dot that overlaps no other label, dot or quadrant title (with a leader line
 * when the spot is not right next to the dot), and always inside the partner's quadrant.
 *
 * @since 0.2.0
 */
import { Matrix } from "@partnerbook/core"

/**
 * A box on the canvas.
 *
 * @since 0.2.0
 * @category models
 */
export interface Box {
  readonly x: number
  readonly y: number
  readonly width: number
  readonly height: number
}

/**
 * Where a partner was drawn: its dot, its label's box and the quadrant's area.
 *
 * @since 0.2.0
 * @category models
 */
export interface Mark {
  readonly partnerId: string
  readonly name: string
  readonly quadrant: Matrix.Quadrant
  readonly dot: { readonly x: number; readonly y: number }
  readonly label: Box
}

/**
 * The layout of a picture, before it is written as SVG: kept apart so that tests can check it.
 *
 * @since 0.2.0
 * @category models
 */
export interface Layout {
  readonly width: number
  readonly height: number
  readonly plot: Box
  readonly quadrants: Readonly<Record<Matrix.Quadrant, Box>>
  readonly marks: ReadonlyArray<Mark>
  readonly thresholds: { readonly alignment: number; readonly activity: number }
  readonly maxActivity: number
}

/**
 * Options of {@link render}.
 *
 * @since 0.2.0
 * @category models
 */
export interface Options {
  readonly title?: string
  readonly width?: number
  readonly height?: number
}

/** Label font size in pixels, and the width of an average character of it. */
const FONT = 11
const CHAR = 6.1
const LABEL_H = 14
const DOT_R = 4
const TITLE_H = 22

/**
 * The box a label of this text takes (an estimate from the font's average character width).
 *
 * @since 0.2.0
 * @category layout
 */
export const labelSize = (text: string): { readonly width: number; readonly height: number } => ({
  width: Math.ceil(text.length * CHAR) + 4,
  height: LABEL_H
})

/**
 * Whether two boxes overlap (touching edges do not).
 *
 * @since 0.2.0
 * @category layout
 */
export const overlaps = (a: Box, b: Box): boolean =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height

const inside = (box: Box, area: Box): boolean =>
  box.x >= area.x &&
  box.y >= area.y &&
  box.x + box.width <= area.x + area.width &&
  box.y + box.height <= area.y + area.height

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v))

/**
 * Places every partner and its label.
 *
 * @since 0.2.0
 * @category layout
 */
export const layout = (placements: ReadonlyArray<Matrix.Placement>, options: Options = {}): Layout => {
  const width = options.width ?? 1100
  const height = options.height ?? 800
  const plot: Box = { x: 90, y: 70, width: width - 130, height: height - 150 }
  const thresholds = placements[0]?.thresholds ?? Matrix.defaultThresholds
  const maxActivity = Math.max(thresholds.activity * 2, ...placements.map((p) => p.activity)) || 1
  // Piecewise scales: the threshold sits in the middle of each axis, so a partner's dot is
  // always in the half its value puts it in, whatever the spread of the values.
  const midX = plot.x + plot.width / 2
  const midY = plot.y + plot.height / 2
  const xOf = (activity: number) =>
    activity < thresholds.activity
      ? plot.x + (activity / thresholds.activity) * (plot.width / 2)
      : midX +
        ((activity - thresholds.activity) / Math.max(1e-9, maxActivity - thresholds.activity)) *
          (plot.width / 2)
  const yOf = (alignment: number) =>
    alignment < thresholds.alignment
      ? plot.y + plot.height - (alignment / thresholds.alignment) * (plot.height / 2)
      : midY -
        ((alignment - thresholds.alignment) / Math.max(1e-9, 1 - thresholds.alignment)) * (plot.height / 2)
  const half = { width: plot.width / 2, height: plot.height / 2 }
  const quadrants: Record<Matrix.Quadrant, Box> = {
    opportunity: { x: plot.x, y: plot.y, ...half },
    core: { x: midX, y: plot.y, ...half },
    casual: { x: plot.x, y: midY, ...half },
    generous: { x: midX, y: midY, ...half }
  }
  const pad = 6
  const inner = (q: Matrix.Quadrant): Box => {
    const b = quadrants[q]
    return { x: b.x + pad, y: b.y + pad, width: b.width - 2 * pad, height: b.height - 2 * pad }
  }
  // The quadrant titles sit in the top-left corner of each quadrant: no label may cover them.
  const titleBoxes = Matrix.quadrants.map((q) => ({
    x: quadrants[q].x,
    y: quadrants[q].y,
    width: 260,
    height: TITLE_H + 18
  }))
  // Dots: partners at the same spot are spread on a small sunflower around it.
  const sorted = [...placements].sort(
    (a, b) => a.name.localeCompare(b.name) || a.partnerId.localeCompare(b.partnerId)
  )
  const keyOf = (p: Matrix.Placement) => `${Math.round(xOf(p.activity))}:${Math.round(yOf(p.alignment ?? 0))}`
  const sizes = new Map<string, number>()
  for (const p of sorted) sizes.set(keyOf(p), (sizes.get(keyOf(p)) ?? 0) + 1)
  const seen = new Map<string, number>()
  const SPACING = 10
  const dots = sorted.map((p) => {
    const area = inner(p.quadrant)
    const top = area.y + TITLE_H + 18 + DOT_R
    const key = keyOf(p)
    const n = seen.get(key) ?? 0
    seen.set(key, n + 1)
    // A cluster's centre moves inward just enough for the whole sunflower to fit the quadrant.
    const reach = SPACING * Math.sqrt((sizes.get(key) ?? 1) - 1) + DOT_R
    const x0 = clamp(xOf(p.activity), area.x + reach, area.x + area.width - reach)
    const y0 = clamp(yOf(p.alignment ?? 0), top + reach - DOT_R, area.y + area.height - reach)
    const r = SPACING * Math.sqrt(n)
    const angle = n * 2.39996
    return {
      p,
      x: clamp(x0 + r * Math.cos(angle), area.x + DOT_R, area.x + area.width - DOT_R),
      y: clamp(y0 + r * Math.sin(angle), top, area.y + area.height - DOT_R)
    }
  })
  const dotBoxes = dots.map((d) => ({
    x: d.x - DOT_R - 1,
    y: d.y - DOT_R - 1,
    width: 2 * DOT_R + 2,
    height: 2 * DOT_R + 2
  }))
  const placed: Array<Box> = []
  // Most crowded first: the dots with the most neighbours get the first pick of spots.
  const crowd = (i: number) => dots.filter((d) => Math.hypot(d.x - dots[i]!.x, d.y - dots[i]!.y) < 80).length
  const order = dots.map((_, i) => i).sort((a, b) => crowd(b) - crowd(a) || a - b)
  const labels = new Array<Box>(dots.length)
  const distances = [7, 16, 28, 44, 64, 90, 120, 160, 210, 270]
  const angles = Array.from({ length: 16 }, (_, k) => (k * Math.PI) / 8)
  for (const i of order) {
    const d = dots[i]!
    const size = labelSize(d.p.name)
    const area = inner(d.p.quadrant)
    let best: Box | undefined
    let bestCost = Number.POSITIVE_INFINITY
    search: for (const dist of distances) {
      for (const a of angles) {
        const cx = d.x + Math.cos(a) * dist
        const cy = d.y + Math.sin(a) * dist
        // Anchor the box on the side facing the dot.
        const x = Math.cos(a) > 0.3 ? cx : Math.cos(a) < -0.3 ? cx - size.width : cx - size.width / 2
        const y = Math.sin(a) > 0.3 ? cy : Math.sin(a) < -0.3 ? cy - size.height : cy - size.height / 2
        const box = { x, y, ...size }
        if (!inside(box, area)) continue
        const hits =
          placed.filter((b) => overlaps(b, box)).length * 100 +
          dotBoxes.filter((b) => overlaps(b, box)).length * 10 +
          titleBoxes.filter((b) => overlaps(b, box)).length * 100
        const cost = hits * 1000 + dist
        if (cost < bestCost) {
          best = box
          bestCost = cost
        }
        if (hits === 0) break search
      }
    }
    const box = best ?? {
      x: clamp(d.x + 7, area.x, area.x + area.width - size.width),
      y: clamp(d.y - size.height / 2, area.y, area.y + area.height - size.height),
      ...size
    }
    labels[i] = box
    placed.push(box)
  }
  return {
    width,
    height,
    plot,
    quadrants,
    thresholds,
    maxActivity,
    marks: dots.map((d, i) => ({
      partnerId: d.p.partnerId,
      name: d.p.name,
      quadrant: d.p.quadrant,
      dot: { x: d.x, y: d.y },
      label: labels[i]!
    }))
  }
}

const xml = (text: string): string =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;")

const colours: Record<Matrix.Quadrant, { readonly fill: string; readonly dot: string }> = {
  core: { fill: "#e6f4ea", dot: "#1e7d3a" },
  opportunity: { fill: "#e8f0fe", dot: "#1a56c4" },
  generous: { fill: "#fef7e0", dot: "#b06000" },
  casual: { fill: "#f1f3f4", dot: "#5f6368" }
}

const titles: Record<Matrix.Quadrant, readonly [string, string]> = {
  core: ["CORE", "high alignment, high activity: invest"],
  opportunity: ["OPPORTUNITY", "high alignment, low activity: give first"],
  generous: ["GENEROUS", "low alignment, high activity: appreciate"],
  casual: ["CASUAL", "low alignment, low activity: stay in touch"]
}

const n = (v: number) => String(Math.round(v * 10) / 10)

/**
 * The picture as a standalone SVG document. Each partner is a `<g class="partner">` with
 * `data-partner-id` and `data-quadrant`, holding its dot (`circle`), its name (`text`) and,
 * when the name sits away from the dot, a leader `line`. Each quadrant is a
 * `<rect class="quadrant" data-quadrant=...>`.
 *
 * @since 0.2.0
 * @category rendering
 */
export const render = (placements: ReadonlyArray<Matrix.Placement>, options: Options = {}): string => {
  const l = layout(placements, options)
  const { plot, thresholds } = l
  const out: Array<string> = []
  out.push(
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${l.width}" height="${l.height}" viewBox="0 0 ${l.width} ${l.height}" font-family="Helvetica, Arial, sans-serif" role="img" aria-labelledby="title">`,
    `<title id="title">${xml(options.title ?? "Referral Partner Matrix")}</title>`,
    `<rect width="${l.width}" height="${l.height}" fill="#ffffff"/>`,
    `<text x="${plot.x}" y="38" font-size="20" font-weight="bold" fill="#202124">${xml(options.title ?? "Referral Partner Matrix")}</text>`,
    `<text x="${plot.x + plot.width}" y="38" font-size="12" fill="#5f6368" text-anchor="end">${placements.length} partners · high alignment ≥ ${thresholds.alignment} · high activity ≥ ${thresholds.activity} referrals a year</text>`
  )
  for (const q of Matrix.quadrants) {
    const b = l.quadrants[q]
    out.push(
      `<rect class="quadrant" data-quadrant="${q}" x="${n(b.x)}" y="${n(b.y)}" width="${n(b.width)}" height="${n(b.height)}" fill="${colours[q].fill}" stroke="#dadce0"/>`,
      `<text class="quadrant-title" x="${n(b.x + 10)}" y="${n(b.y + 20)}" font-size="14" font-weight="bold" fill="${colours[q].dot}">${titles[q][0]}</text>`,
      `<text x="${n(b.x + 10)}" y="${n(b.y + 35)}" font-size="11" fill="#5f6368">${titles[q][1]}</text>`
    )
  }
  const midX = plot.x + plot.width / 2
  const midY = plot.y + plot.height / 2
  const bottom = plot.y + plot.height
  out.push(
    `<line x1="${n(midX)}" y1="${n(plot.y)}" x2="${n(midX)}" y2="${n(bottom)}" stroke="#80868b" stroke-dasharray="6 4"/>`,
    `<line x1="${n(plot.x)}" y1="${n(midY)}" x2="${n(plot.x + plot.width)}" y2="${n(midY)}" stroke="#80868b" stroke-dasharray="6 4"/>`,
    // Axes, ticks and their names.
    `<text x="${n(plot.x)}" y="${n(bottom + 18)}" font-size="11" fill="#5f6368" text-anchor="middle">0</text>`,
    `<text x="${n(midX)}" y="${n(bottom + 18)}" font-size="11" fill="#202124" text-anchor="middle">${thresholds.activity}</text>`,
    `<text x="${n(plot.x + plot.width)}" y="${n(bottom + 18)}" font-size="11" fill="#5f6368" text-anchor="middle">${l.maxActivity}</text>`,
    `<text x="${n(midX)}" y="${n(bottom + 40)}" font-size="13" fill="#202124" text-anchor="middle">Activity: referrals both ways in the last 365 days →</text>`,
    `<text x="${n(plot.x - 8)}" y="${n(bottom + 4)}" font-size="11" fill="#5f6368" text-anchor="end">0</text>`,
    `<text x="${n(plot.x - 8)}" y="${n(midY + 4)}" font-size="11" fill="#202124" text-anchor="end">${thresholds.alignment}</text>`,
    `<text x="${n(plot.x - 8)}" y="${n(plot.y + 4)}" font-size="11" fill="#5f6368" text-anchor="end">1</text>`,
    `<text transform="translate(${n(plot.x - 40)} ${n(midY)}) rotate(-90)" font-size="13" fill="#202124" text-anchor="middle">Alignment: shared ideal clients →</text>`
  )
  for (const m of l.marks) {
    const c = colours[m.quadrant].dot
    const lx = m.label.x + 2
    const ly = m.label.y + m.label.height - 3.5
    const nearest = {
      x: clamp(m.dot.x, m.label.x, m.label.x + m.label.width),
      y: clamp(m.dot.y, m.label.y, m.label.y + m.label.height)
    }
    const far = Math.hypot(nearest.x - m.dot.x, nearest.y - m.dot.y) > 10
    out.push(
      `<g class="partner" data-partner-id="${xml(m.partnerId)}" data-quadrant="${m.quadrant}">`,
      far
        ? `<line x1="${n(m.dot.x)}" y1="${n(m.dot.y)}" x2="${n(nearest.x)}" y2="${n(nearest.y)}" stroke="${c}" stroke-opacity="0.5" stroke-width="0.8"/>`
        : "",
      `<circle cx="${n(m.dot.x)}" cy="${n(m.dot.y)}" r="${DOT_R}" fill="${c}"/>`,
      `<text x="${n(lx)}" y="${n(ly)}" font-size="${FONT}" fill="#202124">${xml(m.name)}</text>`,
      "</g>"
    )
  }
  out.push("</svg>", "")
  return out.filter((s) => s !== "").join("\n")
}
