/**
 * The owner of a book.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { BookId, Name, Revision, TimeZone } from "./Book.js"
import { IdealClientProfile } from "./IdealClientProfile.js"
import { ProfessionId } from "./Profession.js"

/**
 * The book's owner: who they are, what they do, and who their ideal client is. One per book.
 *
 * @since 0.1.0
 * @category models
 */
export class Profile extends Schema.Class<Profile>("Profile")({
  book: BookId,
  name: Name,
  profession: ProfessionId,
  idealClient: Schema.optional(IdealClientProfile),
  /** The book's IANA time zone; absent means `"UTC"`. */
  timeZone: Schema.optional(TimeZone),
  revision: Revision
}) {}
