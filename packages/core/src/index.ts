/**
 * @since 0.1.0
 */
export * as Agenda from "./Agenda.js"
/**
 * @since 0.1.0
 */
export * as Balance from "./Balance.js"
/**
 * @since 0.1.0
 */
export * as Book from "./Book.js"
/**
 * @since 0.1.0
 */
export * as BookDocument from "./BookDocument.js"
/**
 * @since 0.1.0
 */
export * as Client from "./Client.js"
/**
 * @since 0.2.0
 */
export * as Csv from "./Csv.js"
/**
 * @since 0.2.0
 */
export * as Compliance from "./Compliance.js"
/**
 * @since 0.1.0
 */
export * as Discovery from "./Discovery.js"
/**
 * @since 0.1.0
 */
export * as Health from "./Health.js"
/**
 * @since 0.1.0
 */
export * as IdealClientProfile from "./IdealClientProfile.js"
/**
 * @since 0.1.0
 */
export * as Interaction from "./Interaction.js"
/**
 * @since 0.1.0
 */
export * as Introductions from "./Introductions.js"
/**
 * @since 0.1.0
 */
export * as InvalidInput from "./InvalidInput.js"
/**
 * @since 0.1.0
 */
export * as Matrix from "./Matrix.js"
/**
 * @since 0.1.0
 */
export * as Outreach from "./Outreach.js"
/**
 * @since 0.1.0
 */
export * as Overlap from "./Overlap.js"
/**
 * @since 0.1.0
 */
export * as Partner from "./Partner.js"
/**
 * @since 0.1.0
 */
export * as Partnerbook from "./Partnerbook.js"
/**
 * @since 0.1.0
 */
export * as PartnerbookClient from "./PartnerbookClient.js"
/**
 * @since 0.1.0
 */
export * as Portfolio from "./Portfolio.js"
/**
 * @since 0.1.0
 */
export * as Profession from "./Profession.js"
/**
 * @since 0.1.0
 */
export * as Profile from "./Profile.js"
/**
 * @since 0.1.0
 */
export * as Progression from "./Progression.js"
/**
 * @since 0.1.0
 */
export * as Referral from "./Referral.js"
/**
 * @since 0.1.0
 */
export * as Store from "./Store.js"
/**
 * @since 0.1.0
 */
export * as StoreError from "./StoreError.js"
