import { describe, expect, it, vi } from 'vitest';
import { renderMarkdown } from '../../shared/export/renderMarkdown.ts';
import { FINAL_QUESTIONS, fixtureData, PEOPLE } from './exportFixture.ts';
import { expectGolden } from './golden.ts';

vi.mock('../../shared/ids.ts', () => import('./fixtureIds.ts'));

describe('renderMarkdown', () => {
  it('renders the fixed board as the golden brief', () => {
    expectGolden('brief.md', renderMarkdown(fixtureData()));
  });

  it('renders the brief without names as its own golden file', () => {
    const md = renderMarkdown(fixtureData({ names: false }));
    expectGolden('brief-no-names.md', md);
    for (const person of Object.values(PEOPLE)) expect(md).not.toContain(person.name);
    expect(md).not.toContain('Facilitator');
  });

  it('renders a participant copy: final questions and their own commitment only', () => {
    const md = renderMarkdown(fixtureData({ participantId: PEOPLE.ana.id }));
    expectGolden('brief-participant.md', md);
    expect(md).toContain('Call three families with an interpreter');
    expect(md).not.toContain('Review discipline data');
    expect(md).not.toContain('They missed both conferences');
  });

  it('puts the final questions first', () => {
    const md = renderMarkdown(fixtureData());
    const firstSection = md.indexOf('\n## ');
    expect(md.slice(firstSection, md.indexOf('\n## ', firstSection + 1))).toContain(FINAL_QUESTIONS[0]);
  });

  it('keeps markup typed by people as text', () => {
    const data = fixtureData();
    data.needs[0]!.text = '<img src=x onerror=alert(1)> # not a heading\n- not a list\n1. not a list either';
    const md = renderMarkdown(data);
    expect(md).toContain('\\<img src=x onerror=alert(1)\\>');
    expect(md).toContain('\\- not a list');
    expect(md).toContain('1\\. not a list either');
  });
});

describe('renderMarkdown with hostile texts', () => {
  /** Line starts that CommonMark would read as a block of its own, or as the indentation of one. */
  const STRUCTURE = /^(?:[ \t]|#|>|[-*+](?:[ \t]|$)|\d{1,9}[.)]|`{3}|~{3}|\||<|=+[ \t]*$|(?:[-*_][ \t]*){3,}$)/;

  const HOSTILE = [
    '    four spaces make a code block',
    '\ta tab does too',
    '  two spaces',
    '# a heading',
    '###### a small heading',
    '> a quote',
    '```',
    '```js',
    '~~~',
    '- a list',
    '* a list',
    '+ a list',
    '1. a numbered list',
    '12) another',
    '<script>alert(1)</script>',
    '<!-- a comment',
    '| a | table |',
    '===',
    '---',
    '***',
    '_ _ _',
  ];

  /** The content of `line` after its container's exact prefix, or null when the prefix is not there. */
  function after(line: string | undefined, prefix: string): string | null {
    return line !== undefined && line.startsWith(prefix) ? line.slice(prefix.length) : null;
  }

  function expectPlain(content: string | null, hostile: string): void {
    expect(content, `for ${JSON.stringify(hostile)}`).not.toBeNull();
    expect(content!, `for ${JSON.stringify(hostile)}: ${JSON.stringify(content)}`).not.toMatch(STRUCTURE);
  }

  function expectNoStrayIndentation(md: string): void {
    for (const line of md.split('\n')) {
      expect(line, JSON.stringify(line)).not.toMatch(/^\t/);
      // The deepest container is a question's "From notes" continuation: five spaces, then text.
      expect(line, JSON.stringify(line)).not.toMatch(/^ {6}/);
    }
  }

  it.each(HOSTILE)('a note reading %j stays a list item with its author on the same line', (hostile) => {
    const data = fixtureData();
    data.notes[0]!.text = hostile;
    data.notes[0]!.author = 'Zed';
    const md = renderMarkdown(data);
    const lines = md.split('\n');
    const line = lines.find((l) => l.endsWith(' — _Zed_'));
    expect(line, 'the author line').toBeDefined();
    expectPlain(after(line, '- '), hostile);
    expect(lines[lines.indexOf(line!) + 1], 'the next note follows as its own item').toBe('- Conference times fit office hours only — _Chloé_');
    expectNoStrayIndentation(md);
  });

  it.each(HOSTILE)('%j on a later line of a note is escaped inside the same item', (hostile) => {
    const data = fixtureData();
    data.notes[0]!.text = `first line\n${hostile}\nlast line`;
    data.notes[0]!.author = 'Zed';
    const lines = renderMarkdown(data).split('\n');
    const start = lines.indexOf('- first line\\');
    expect(start).toBeGreaterThan(-1);
    const middle = after(lines[start + 1], '  ');
    expectPlain(middle, hostile);
    expect(middle!.endsWith('\\'), 'a hard break, not a new block').toBe(true);
    expect(lines[start + 2]).toBe('  last line — _Zed_');
  });

  it.each(HOSTILE)('a question reading %j keeps its facts line, in the quote and in the list', (hostile) => {
    const data = fixtureData();
    data.questions[0]!.text = `${hostile}\n${hostile}`;
    const md = renderMarkdown(data);
    const lines = md.split('\n');
    // In the final questions: one blockquote, bold, with its votes line.
    const quoted = lines.findIndex((l) => l.startsWith('> **'));
    expectPlain(after(lines[quoted], '> **'), hostile);
    expectPlain(after(lines[quoted + 1], '> '), hostile);
    expect(lines.slice(quoted + 2, quoted + 4)).toEqual(['>', '> 4 votes · Structures']);
    // In the numbered list: the facts line still follows, indented under item 1.
    const numbered = lines.findIndex((l) => l.startsWith('1. '));
    expectPlain(after(lines[numbered], '1. '), hostile);
    expectPlain(after(lines[numbered + 1], '   '), hostile);
    expect(lines[numbered + 2]).toBe('   _4 votes · Structures · final · Ana_');
    expectNoStrayIndentation(md);
  });

  it.each(HOSTILE)('a story field and a commitment reading %j stay inside their item', (hostile) => {
    const data = fixtureData();
    data.stories[0]!.who = hostile;
    data.commitments[0]!.action = hostile;
    data.commitments[0]!.notice = `${hostile}\n${hostile}`;
    data.commitments[0]!.partner = `Ben\n${hostile}`;
    const md = renderMarkdown(data);
    const lines = md.split('\n');
    const who = lines.findIndex((l) => l.startsWith('- **Who was involved:** '));
    expectPlain(after(lines[who], '- **Who was involved:** '), hostile);
    expect(lines[who + 1]).toMatch(/^- \*\*What happened:\*\* /);
    const author = data.commitments[0]!.author!;
    const action = lines.find((l) => l.startsWith(`- **${author}:** `));
    expectPlain(after(action, `- **${author}:** `), hostile);
    const notice = lines.indexOf(action!) + 1;
    expectPlain(after(lines[notice], '  - Noticing: '), hostile);
    expectPlain(after(lines[notice + 1], '    '), hostile);
    // A line break in a one-line field (the check-in partner) becomes a space.
    expect(lines[notice + 2]).toMatch(/^ {2}- Check-in with Ben \S/);
    expect(lines[notice + 3]).toBe('');
    expectNoStrayIndentation(md);
  });

  it('a text of blank lines or spaces only is shown as empty, not as blank lines that end the item', () => {
    const data = fixtureData();
    data.notes[0]!.text = '   \n\t\n ';
    data.notes[0]!.author = 'Zed';
    expect(renderMarkdown(data).split('\n')).toContain('- _(empty)_ — _Zed_');
  });

  it('a line break in a name never starts a block of its own', () => {
    const data = fixtureData();
    data.notes[0]!.author = 'Zed\n    # not a heading';
    const md = renderMarkdown(data);
    expect(md).toContain('- No translation process, for conferences — _Zed # not a heading_');
    expectNoStrayIndentation(md);
  });
});
