/**
 * Stands in for `yaml`, `toml` and `ini` in the bundled command. @effect/cli imports them for
 * `Options.fileParse` (options read from a config file), which the command does not use;
 * leaving them out saves about 400 KB that every start would load.
 *
 * @internal
 */
const unsupported = (): never => {
  throw new Error("reading options from YAML, TOML or INI files is not supported by partnerbook")
}

/** @internal */
export const parse = unsupported
/** @internal */
export const decode = unsupported
/** @internal */
export default { parse, decode }
