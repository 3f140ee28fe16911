/**
 * Maximum weight matching of a general graph (Edmonds' blossom algorithm, primal-dual form),
 * the greedy matching it is compared with, and the weight of a matching. Public through
 * `Introductions.maxWeightMatching`, `Introductions.greedyMatching` and
 * `Introductions.matchingWeight`, which check their input and document the contract.
 */
import * as InvalidInput from "../InvalidInput.js"

/** An edge between two vertices (0-based) with a weight (public as `Introductions.Edge`). */
export interface Edge {
  readonly u: number
  readonly v: number
  readonly weight: number
}

/** Throws {@link InvalidInput.InvalidInput} for a vertex out of range or a weight that is not a number. */
export const checkGraph = (vertexCount: number, edges: ReadonlyArray<Edge>): void => {
  InvalidInput.requireNonNegativeInteger("vertexCount", vertexCount)
  edges.forEach((e, k) => {
    for (const end of ["u", "v"] as const) {
      const x = InvalidInput.requireNonNegativeInteger(`edges[${k}].${end}`, e?.[end])
      if (x >= vertexCount) throw InvalidInput.make(`edges[${k}].${end}`, `no vertex ${x} in ${vertexCount}`)
    }
    InvalidInput.requireFiniteNumber(`edges[${k}].weight`, e.weight)
  })
}

/**
 * Keeps one edge per pair of vertices (the heaviest), drops loops and edges of weight <= 0
 * (they never belong to a maximum weight matching).
 */
export const simplify = (edges: ReadonlyArray<Edge>): Array<Edge> => {
  const best = new Map<string, Edge>()
  for (const e of edges) {
    if (e.u === e.v || !(e.weight > 0)) continue
    const u = Math.min(e.u, e.v)
    const v = Math.max(e.u, e.v)
    const key = `${u},${v}`
    const seen = best.get(key)
    if (seen === undefined || e.weight > seen.weight) best.set(key, { u, v, weight: e.weight })
  }
  return [...best.values()]
}

/** The weight of a mate array (public as `Introductions.matchingWeight`). */
export const matchingWeight = (mate: ReadonlyArray<number>, edges: ReadonlyArray<Edge>): number => {
  const weights = new Map<string, number>()
  for (const e of simplify(edges)) weights.set(`${e.u},${e.v}`, e.weight)
  let total = 0
  for (let v = 0; v < mate.length; v++) {
    const w = mate[v]!
    if (w === -1 || w < v) continue
    const weight = weights.get(`${v},${w}`)
    if (weight === undefined)
      throw InvalidInput.make(`mate[${v}]`, `no edge of positive weight between ${v} and ${w}`)
    total += weight
  }
  return total
}

/** A greedy matching (public as `Introductions.greedyMatching`). */
export const greedyMatching = (vertexCount: number, edges: ReadonlyArray<Edge>): ReadonlyArray<number> => {
  checkGraph(vertexCount, edges)
  const mate = new Array<number>(vertexCount).fill(-1)
  const sorted = simplify(edges).sort((a, b) => b.weight - a.weight || a.u - b.u || a.v - b.v)
  for (const e of sorted) {
    if (mate[e.u] !== -1 || mate[e.v] !== -1) continue
    mate[e.u] = e.v
    mate[e.v] = e.u
  }
  return mate
}

/** A maximum weight matching (public as `Introductions.maxWeightMatching`). */
export const maxWeightMatching = (vertexCount: number, edges: ReadonlyArray<Edge>): ReadonlyArray<number> => {
  checkGraph(vertexCount, edges)
  return blossom(vertexCount, simplify(edges))
}

/**
 * The label of a top-level blossom in a stage: free (in no tree yet), S (even: a root, or
 * reached by a matched edge) or T (odd). Kept in a `Uint8Array`, so the cases are numbers.
 */
type Label = typeof FREE | typeof S | typeof T
const FREE = 0
const S = 1
const T = 2

/**
 * What limits a dual adjustment (the delta of one step when no tight edge is left to use):
 *
 * - `exhausted`: no S vertex is left, every vertex is matched: the stage and the algorithm end.
 * - `vertex-dual`: an S vertex's dual reaches 0: the matching has maximum weight.
 * - `edge-to-free`: an edge from an S blossom to a free one becomes tight.
 * - `edge-s-s`: an edge between two S blossoms becomes tight.
 * - `blossom-dual`: a T blossom's dual reaches 0: it is expanded.
 */
type Delta = "exhausted" | "vertex-dual" | "edge-to-free" | "edge-s-s" | "blossom-dual"

/*
 * The primal-dual blossom algorithm, as in Galil's survey "Efficient algorithms for finding
 * maximum matching in graphs" (1986).
 *
 * Vertices are 0..n-1; non-trivial blossoms get ids n..2n-1. Every vertex has a dual `y[v]`
 * and every blossom a dual `z[b]`. For an edge whose ends lie in different top-level
 * blossoms the slack is `y[u] + y[v] - w`; edges inside a blossom are never looked at. The
 * duals stay feasible (slack >= 0, y >= 0, z >= 0), matched edges and blossom cycles stay
 * tight, and the algorithm stops when the exposed vertices' duals reach 0: then the
 * matching has maximum weight.
 *
 * A stage grows alternating trees from every exposed top-level blossom over tight edges,
 * labelling top-level blossoms S (even: roots and those reached by a matched edge) or T
 * (odd). An S–S edge inside one tree closes an odd cycle, shrunk into a new S blossom; an
 * S–S edge between two trees is an augmenting path, and the stage ends. When no tight edge
 * is left to use, the duals move by the largest delta that keeps them feasible: S vertices
 * -delta, T vertices +delta, S blossoms +2 delta, T blossoms -2 delta. That either makes an
 * edge tight, brings a T blossom's dual to 0 (the blossom is expanded and its cycle relabelled),
 * or brings the S vertices' duals to 0 (done).
 */
const blossom = (n: number, edges: ReadonlyArray<Edge>): Array<number> => {
  const mate = new Array<number>(n).fill(-1)
  const m = edges.length
  if (m === 0) return mate
  const eu = edges.map((e) => e.u)
  const ev = edges.map((e) => e.v)
  const ew = edges.map((e) => e.weight)
  const incident: Array<Array<number>> = Array.from({ length: n }, () => [])
  for (let k = 0; k < m; k++) {
    incident[eu[k]!]!.push(k)
    incident[ev[k]!]!.push(k)
  }
  const total = 2 * n
  const dual = new Array<number>(total).fill(0)
  let maxWeight = 0
  for (const w of ew) if (w > maxWeight) maxWeight = w
  for (let v = 0; v < n; v++) dual[v] = maxWeight / 2

  // The blossom forest. `children[b]` is b's cycle of sub-blossoms starting with the one that
  // holds its base; `cycle[b][i]` is the edge [x, y] with x in children[b][i] and y in
  // children[b][i + 1] (wrapping around). In the cycle, edge i is matched exactly when i is odd.
  const parent = new Int32Array(total).fill(-1)
  const base = new Int32Array(total).fill(-1)
  const children: Array<Array<number>> = Array.from({ length: total }, () => [])
  const cycle: Array<Array<readonly [number, number]>> = Array.from({ length: total }, () => [])
  const top = new Int32Array(n) // the top-level blossom that holds each vertex
  for (let v = 0; v < n; v++) {
    base[v] = v
    top[v] = v
  }
  const unused: Array<number> = []
  for (let b = total - 1; b >= n; b--) unused.push(b)

  // Labels of top-level blossoms, and the edge [from, to] that labelled them: `to` lies in the
  // blossom, `from` in its predecessor in the alternating tree (-1 for a root).
  const label = new Uint8Array(total)
  const labelFrom = new Int32Array(total).fill(-1)
  const labelTo = new Int32Array(total).fill(-1)
  const allowed = new Uint8Array(m)
  const marked = new Uint8Array(total)
  let queue: Array<number> = []

  const other = (k: number, x: number): number => (eu[k] === x ? ev[k]! : eu[k]!)
  const slack = (k: number): number => dual[eu[k]!]! + dual[ev[k]!]! - ew[k]!

  const leaves = (b: number, out: Array<number> = []): Array<number> => {
    if (b < n) out.push(b)
    else for (const c of children[b]!) leaves(c, out)
    return out
  }

  const assignLabel = (w: number, t: Label, from: number): void => {
    const b = top[w]!
    label[b] = t
    labelFrom[b] = from
    labelTo[b] = from === -1 ? -1 : w
    if (t === S) {
      for (const v of leaves(b)) queue.push(v)
    } else {
      // A T blossom's base is matched; its mate's blossom becomes S.
      const bv = base[b]!
      assignLabel(mate[bv]!, S, bv)
    }
  }

  // Walks up both trees from the S vertices v and w, alternately. Returns the base of the
  // first blossom common to both paths (a new blossom closes there), or -1 when the paths
  // reach two different roots (an augmenting path).
  const commonBase = (v: number, w: number): number => {
    const path: Array<number> = []
    let found = -1
    let x = v
    let y = w
    while (x !== -1 || y !== -1) {
      if (x !== -1) {
        const b = top[x]!
        if (marked[b] === 1) {
          found = base[b]!
          break
        }
        marked[b] = 1
        path.push(b)
        // up through the T blossom to the S vertex that labelled it
        x = labelFrom[b] === -1 ? -1 : labelFrom[top[labelFrom[b]!]!]!
      }
      const swap = x
      x = y
      y = swap
    }
    for (const b of path) marked[b] = 0
    return found
  }

  // Shrinks the odd cycle closed by the S–S edge (v, w) into a new S blossom with base `b0`.
  const addBlossom = (b0: number, v: number, w: number): void => {
    const bb = top[b0]!
    let bv = top[v]!
    let bw = top[w]!
    const b = unused.pop()!
    base[b] = b0
    parent[b] = -1
    parent[bb] = b
    const up: Array<number> = []
    const upEdges: Array<readonly [number, number]> = []
    while (bv !== bb) {
      parent[bv] = b
      up.push(bv)
      upEdges.push([labelFrom[bv]!, labelTo[bv]!])
      bv = top[labelFrom[bv]!]!
    }
    const kids = [bb, ...up.reverse()]
    const kidEdges: Array<readonly [number, number]> = upEdges.reverse()
    kidEdges.push([v, w])
    while (bw !== bb) {
      parent[bw] = b
      kids.push(bw)
      kidEdges.push([labelTo[bw]!, labelFrom[bw]!])
      bw = top[labelFrom[bw]!]!
    }
    children[b] = kids
    cycle[b] = kidEdges
    label[b] = S
    labelFrom[b] = labelFrom[bb]!
    labelTo[b] = labelTo[bb]!
    dual[b] = 0
    for (const leaf of leaves(b)) {
      // former T vertices are S now and must be scanned
      if (label[top[leaf]!] === T) queue.push(leaf)
      top[leaf] = b
    }
  }

  // The edge from child j towards child j + step of blossom b, as [in child j, in the next].
  const edgeTowards = (b: number, j: number, step: number): readonly [number, number] => {
    const edges = cycle[b]!
    const len = edges.length
    if (step === 1) return edges[j]!
    const [x, y] = edges[(j - 1 + len) % len]!
    return [y, x]
  }

  // Dissolves a top-level blossom into its children. Mid-stage (a T blossom whose dual reached
  // 0) the even path from the child it was entered by to its base child joins the tree.
  // At the end of a stage, children whose dual is 0 are dissolved too.
  const expandBlossom = (b: number, endOfStage: boolean): void => {
    const kids = children[b]!
    for (const s of kids) {
      parent[s] = -1
      if (s < n) top[s] = s
      else if (endOfStage && dual[s] === 0) expandBlossom(s, endOfStage)
      else for (const leaf of leaves(s)) top[leaf] = s
    }
    if (!endOfStage && label[b] === T) {
      const len = kids.length
      for (const s of kids) label[s] = FREE
      const entry = labelTo[b]!
      let j = kids.indexOf(top[entry]!)
      const step = j % 2 === 1 ? 1 : -1
      let from = labelFrom[b]!
      let to = entry
      while (j !== 0) {
        // child j becomes T; assignLabel makes its mate's child (j + step) S
        assignLabel(to, T, from)
        j = (j + step + len) % len
        const [x, y] = edgeTowards(b, j, step)
        from = x
        to = y
        j = (j + step + len) % len
      }
      // the base child stays T, its base matched to the S blossom below
      const c0 = kids[0]!
      label[c0] = T
      labelFrom[c0] = from
      labelTo[c0] = to
    }
    children[b] = []
    cycle[b] = []
    label[b] = FREE
    labelFrom[b] = -1
    labelTo[b] = -1
    base[b] = -1
    parent[b] = -1
    dual[b] = 0
    unused.push(b)
  }

  // Rotates the matching inside blossom b so that vertex v becomes its base: flips the matched
  // and unmatched edges along the even path from v's child to the base child.
  const augmentBlossom = (b: number, v: number): void => {
    let t = v
    while (parent[t] !== b) t = parent[t]!
    if (t >= n) augmentBlossom(t, v)
    const kids = children[b]!
    const len = kids.length
    const i = kids.indexOf(t)
    const step = i % 2 === 1 ? 1 : -1
    let j = i
    while (j !== 0) {
      j = (j + step + len) % len // across a matched edge, which becomes unmatched
      const next = (j + step + len) % len
      const [x, y] = edgeTowards(b, j, step) // an unmatched edge, which becomes matched
      if (kids[j]! >= n) augmentBlossom(kids[j]!, x)
      if (kids[next]! >= n) augmentBlossom(kids[next]!, y)
      mate[x] = y
      mate[y] = x
      j = next
    }
    children[b] = [...kids.slice(i), ...kids.slice(0, i)]
    cycle[b] = [...cycle[b]!.slice(i), ...cycle[b]!.slice(0, i)]
    base[b] = base[t]!
  }

  // Augments along the path root(v) .. v – w .. root(w).
  const augmentMatching = (v: number, w: number): void => {
    for (const [start, partner] of [
      [v, w],
      [w, v]
    ] as const) {
      let s = start
      let j = partner
      for (;;) {
        const bs = top[s]!
        if (bs >= n) augmentBlossom(bs, s)
        mate[s] = j
        if (labelFrom[bs] === -1) break
        const bt = top[labelFrom[bs]!]!
        const x = labelFrom[bt]!
        const y = labelTo[bt]!
        if (bt >= n) augmentBlossom(bt, y)
        mate[y] = x
        s = x
        j = y
      }
    }
  }

  for (;;) {
    // a stage
    label.fill(FREE)
    labelFrom.fill(-1)
    labelTo.fill(-1)
    allowed.fill(0)
    queue = []
    for (let v = 0; v < n; v++) {
      if (mate[v] === -1 && label[top[v]!] === FREE) assignLabel(v, S, -1)
    }
    let augmented = false
    let finished = false
    for (;;) {
      while (queue.length > 0 && !augmented) {
        const v = queue.pop()!
        if (label[top[v]!] !== S) continue
        for (const k of incident[v]!) {
          const w = other(k, v)
          const bv = top[v]!
          const bw = top[w]!
          if (bv === bw) continue
          if (allowed[k] === 0) {
            if (slack(k) > 0) continue
            allowed[k] = 1
          }
          if (label[bw] === FREE) assignLabel(w, T, v)
          else if (label[bw] === S) {
            const b0 = commonBase(v, w)
            if (b0 !== -1) addBlossom(b0, v, w)
            else {
              augmentMatching(v, w)
              augmented = true
              break
            }
          }
        }
      }
      if (augmented) break

      // No usable tight edge: move the duals.
      let delta = Number.POSITIVE_INFINITY
      let kind: Delta = "exhausted"
      let edge = -1
      let expand = -1
      for (let v = 0; v < n; v++) {
        if (label[top[v]!] === S && dual[v]! < delta) {
          delta = dual[v]!
          kind = "vertex-dual"
        }
      }
      for (let k = 0; k < m; k++) {
        const bu = top[eu[k]!]!
        const bv = top[ev[k]!]!
        if (bu === bv) continue
        const lu = label[bu]
        const lv = label[bv]
        if ((lu === S && lv === FREE) || (lu === FREE && lv === S)) {
          const d = slack(k)
          if (d < delta) {
            delta = d
            kind = "edge-to-free"
            edge = k
          }
        } else if (lu === S && lv === S) {
          const d = slack(k) / 2
          if (d < delta) {
            delta = d
            kind = "edge-s-s"
            edge = k
          }
        }
      }
      for (let b = n; b < total; b++) {
        if (base[b] !== -1 && parent[b] === -1 && label[b] === T && dual[b]! / 2 < delta) {
          delta = dual[b]! / 2
          kind = "blossom-dual"
          expand = b
        }
      }
      if (kind === "exhausted") {
        // no S vertex left: every vertex is matched
        finished = true
        break
      }
      for (let v = 0; v < n; v++) {
        const l = label[top[v]!]
        if (l === S) dual[v] = dual[v]! - delta
        else if (l === T) dual[v] = dual[v]! + delta
      }
      for (let b = n; b < total; b++) {
        if (base[b] === -1 || parent[b] !== -1) continue
        if (label[b] === S) dual[b] = dual[b]! + 2 * delta
        else if (label[b] === T) dual[b] = dual[b]! - 2 * delta
      }
      if (kind === "vertex-dual") {
        // the exposed vertices' duals reached 0: the matching is optimal
        finished = true
        break
      }
      if (kind === "edge-to-free" || kind === "edge-s-s") {
        allowed[edge] = 1
        queue.push(label[top[eu[edge]!]!] === S ? eu[edge]! : ev[edge]!)
      } else expandBlossom(expand, false)
    }
    if (finished) break
    // End of the stage: dissolve S blossoms whose dual is 0.
    for (let b = n; b < total; b++) {
      if (base[b] !== -1 && parent[b] === -1 && label[b] === S && dual[b] === 0) expandBlossom(b, true)
    }
  }
  return mate
}
