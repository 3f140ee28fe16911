import { DOMParser, type Document as XmlDocument, type Element as XmlElement } from "@xmldom/xmldom"
import { Matrix } from "@partnerbook/core"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as MatrixSvg from "../src/MatrixSvg.js"
import { crowdedPlacements } from "./fixtures.js"

const parse = (svg: string) => new DOMParser().parseFromString(svg, "image/svg+xml")

const num = (el: XmlElement, name: string) => Number(el.getAttribute(name))

const rects = (doc: XmlDocument) => {
  const out = new Map<string, MatrixSvg.Box>()
  for (const r of Array.from(doc.getElementsByTagName("rect"))) {
    const q = r.getAttribute("data-quadrant")
    if (q !== null)
      out.set(q, { x: num(r, "x"), y: num(r, "y"), width: num(r, "width"), height: num(r, "height") })
  }
  return out
}

const within = (x: number, y: number, b: MatrixSvg.Box) =>
  x >= b.x - 0.1 && x <= b.x + b.width + 0.1 && y >= b.y - 0.1 && y <= b.y + b.height + 0.1

describe("MatrixSvg", () => {
  it("is well-formed XML naming every partner, each dot and name inside its quadrant's area", () => {
    const placements = crowdedPlacements(50)
    const svg = MatrixSvg.render(placements)
    const doc = parse(svg)
    expect(doc.documentElement?.tagName).toBe("svg")
    const areas = rects(doc)
    expect([...areas.keys()].sort()).toEqual([...Matrix.quadrants].sort())
    const groups = Array.from(doc.getElementsByTagName("g")).filter(
      (g) => g.getAttribute("class") === "partner"
    )
    expect(groups).toHaveLength(50)
    for (const p of placements) {
      const g = groups.find((x) => x.getAttribute("data-partner-id") === p.partnerId)
      expect(g, p.name).toBeDefined()
      expect(g!.getAttribute("data-quadrant")).toBe(p.quadrant)
      const area = areas.get(p.quadrant)!
      const circle = g!.getElementsByTagName("circle")[0]!
      expect(within(num(circle, "cx"), num(circle, "cy"), area), `${p.name}'s dot`).toBe(true)
      const text = g!.getElementsByTagName("text")[0]!
      expect(text.textContent).toBe(p.name)
      const { width } = MatrixSvg.labelSize(p.name)
      expect(within(num(text, "x"), num(text, "y"), area), `${p.name}'s label start`).toBe(true)
      expect(within(num(text, "x") + width - 4, num(text, "y"), area), `${p.name}'s label end`).toBe(true)
    }
  })

  it("places 50 partners with no two labels overlapping, and no label over a dot", () => {
    const layout = MatrixSvg.layout(crowdedPlacements(50))
    const labels = layout.marks.map((m) => m.label)
    for (let i = 0; i < labels.length; i++) {
      for (let j = i + 1; j < labels.length; j++) {
        expect(
          MatrixSvg.overlaps(labels[i]!, labels[j]!),
          `${layout.marks[i]!.name} / ${layout.marks[j]!.name}`
        ).toBe(false)
      }
    }
    for (const m of layout.marks) {
      for (const other of layout.marks) {
        const dot = { x: other.dot.x - 4, y: other.dot.y - 4, width: 8, height: 8 }
        expect(MatrixSvg.overlaps(m.label, dot), `${m.name}'s label over ${other.name}'s dot`).toBe(false)
      }
    }
  })

  it("puts every partner of any book in its own quadrant (property)", () => {
    const placement = fc
      .record({
        alignment: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: null }),
        activity: fc.nat({ max: 40 }),
        name: fc.string({ minLength: 1, maxLength: 30 })
      })
      .map(
        (x, i = 0) =>
          ({
            partnerId: `p${i}`,
            name: x.name,
            alignment: x.alignment,
            activity: x.activity,
            quadrant: Matrix.classify({ alignment: x.alignment ?? 0, activity: x.activity }),
            thresholds: Matrix.defaultThresholds
          }) as unknown as Matrix.Placement
      )
    fc.assert(
      fc.property(fc.array(placement, { maxLength: 30 }), (list) => {
        const ps = list.map((p, i) => ({ ...p, partnerId: `p${i}` }) as Matrix.Placement)
        const layout = MatrixSvg.layout(ps)
        for (const m of layout.marks) {
          const area = layout.quadrants[m.quadrant]
          if (!within(m.dot.x, m.dot.y, area)) return false
        }
        // Names with markup characters stay well-formed XML.
        return parse(MatrixSvg.render(ps)).getElementsByTagName("text").length >= ps.length
      }),
      { numRuns: 50 }
    )
  })
})
