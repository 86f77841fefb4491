/**
 * Whether a JSON text holds the escape for U+0000 in a string. PostgreSQL's
 * text refuses that character (SQLite would store it), and no reader has a
 * use for it: the body parser refuses it for every store alike. A backslash
 * counts as an escape only after an even run of backslashes (`\\u0000` is
 * the six characters, not the NUL).
 */
export function holdsNul(json: Buffer): boolean {
  for (let i = json.indexOf('u0000'); i !== -1; i = json.indexOf('u0000', i + 1)) {
    let slashes = 0;
    for (let j = i - 1; j >= 0 && json[j] === 0x5c; j--) slashes++;
    if (slashes % 2 === 1) return true;
  }
  return false;
}
