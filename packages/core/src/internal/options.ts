import * as InvalidInput from "../InvalidInput.js"
import * as Matrix from "../Matrix.js"
import { requireAtLeast } from "./history.js"

/** The default check-in cadence by quadrant, in days (public as `Agenda.defaultCadenceDays`). */
export const defaultCadenceDays: Readonly<Record<Matrix.Quadrant, number>> = {
  core: 90,
  opportunity: 45,
  generous: 120,
  casual: 180
}

/** The defaults of the agenda options (public as `Agenda.defaults`). */
export const defaults = {
  thankYouDays: 2,
  closeLoopDays: 7,
  statusFollowUpDays: 30,
  giveFirstDays: 90,
  positiveInteractions: 2,
  dormantFactor: 2,
  horizonDays: 7,
  missedAfterDays: 90
} as const

/** Every agenda option, resolved. */
export interface Resolved {
  readonly cadenceDays: Readonly<Record<Matrix.Quadrant, number>>
  readonly thankYouDays: number
  readonly closeLoopDays: number
  readonly statusFollowUpDays: number
  readonly giveFirstDays: number
  readonly positiveInteractions: number
  readonly dormantFactor: number
  readonly horizonDays: number
  readonly missedAfterDays: number
}

/**
 * The options {@link resolveOptions} reads, each optional: `Agenda.Options` (documented there)
 * is assignable to it. Derived from {@link Resolved} so that the two cannot drift apart.
 */
export type Options = {
  readonly [K in keyof Resolved]?: K extends "cadenceDays" ? Partial<Record<Matrix.Quadrant, number>> : number
}

/** Validates the agenda options and fills in the defaults. */
export const resolveOptions = (options: Options | undefined): Resolved => {
  const o = options ?? {}
  const cadenceDays = { ...defaultCadenceDays }
  for (const q of Matrix.quadrants) {
    const value = o.cadenceDays?.[q]
    if (value !== undefined) cadenceDays[q] = requireAtLeast(`options.cadenceDays.${q}`, value, 0, true)
  }
  const positiveInteractions = InvalidInput.requireNonNegativeInteger(
    "options.positiveInteractions",
    o.positiveInteractions ?? defaults.positiveInteractions
  )
  if (positiveInteractions < 1) {
    throw InvalidInput.make(
      "options.positiveInteractions",
      `expected at least 1, got ${positiveInteractions}`
    )
  }
  return {
    cadenceDays,
    thankYouDays: requireAtLeast("options.thankYouDays", o.thankYouDays ?? defaults.thankYouDays, 0, false),
    closeLoopDays: requireAtLeast(
      "options.closeLoopDays",
      o.closeLoopDays ?? defaults.closeLoopDays,
      0,
      false
    ),
    statusFollowUpDays: requireAtLeast(
      "options.statusFollowUpDays",
      o.statusFollowUpDays ?? defaults.statusFollowUpDays,
      0,
      false
    ),
    giveFirstDays: requireAtLeast(
      "options.giveFirstDays",
      o.giveFirstDays ?? defaults.giveFirstDays,
      0,
      true
    ),
    positiveInteractions,
    dormantFactor: requireAtLeast(
      "options.dormantFactor",
      o.dormantFactor ?? defaults.dormantFactor,
      1,
      false
    ),
    horizonDays: requireAtLeast("options.horizonDays", o.horizonDays ?? defaults.horizonDays, 0, false),
    missedAfterDays: requireAtLeast(
      "options.missedAfterDays",
      o.missedAfterDays ?? defaults.missedAfterDays,
      0,
      true
    )
  }
}
