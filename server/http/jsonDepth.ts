/** How deep a JSON request body may nest; an inquiry export needs about 5 levels. */
export const MAX_JSON_DEPTH = 32;

/**
 * Whether raw JSON bytes nest deeper than `max` arrays and objects, by one
 * linear pass that counts brackets outside strings. It runs before JSON.parse
 * because parsing a few MB of `[[[[…` blocks the event loop for seconds and
 * whatever walks the result next may overflow the stack. It stops at the first
 * level too many, and does not check anything else: the parser still does.
 */
export function nestsDeeperThan(bytes: Uint8Array, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (inString) {
      if (b === BACKSLASH) i++;
      else if (b === QUOTE) inString = false;
    } else if (b === QUOTE) {
      inString = true;
    } else if (b === OPEN_BRACKET || b === OPEN_BRACE) {
      if (++depth > max) return true;
    } else if (b === CLOSE_BRACKET || b === CLOSE_BRACE) {
      depth--;
    }
  }
  return false;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
