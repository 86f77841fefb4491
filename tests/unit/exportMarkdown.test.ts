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
