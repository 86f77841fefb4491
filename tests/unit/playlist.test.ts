import { describe, expect, it } from 'vitest';
import { checkResourceUrl, LIMITS_PLAYLIST, resourceBody, type ResourceView } from '../../shared/year/playlist.ts';
import type { PlaylistExport } from '../../shared/year/playlistExport.ts';
import { moveInOrder } from '../../shared/year/playlistOrder.ts';
import { renderPlaylistCsv } from '../../shared/year/renderPlaylistCsv.ts';
import { renderPlaylistJson } from '../../shared/year/renderPlaylistJson.ts';
import { renderPlaylistMarkdown } from '../../shared/year/renderPlaylistMarkdown.ts';

describe('a resource link', () => {
  it.each([
    ['javascript:alert(1)', 'url must start with http:// or https://'],
    ['JavaScript:alert(1)', 'url must start with http:// or https://'],
    ['java\nscript:alert(1)', 'url must start with http:// or https://'],
    ['data:text/html,<script>alert(1)</script>', 'url must start with http:// or https://'],
    ['ftp://files.example.org/a.pdf', 'url must start with http:// or https://'],
    ['file:///etc/passwd', 'url must start with http:// or https://'],
    ['https://ana:secret@example.org/', 'url must not contain a user name or password'],
    ['https://ana@example.org/', 'url must not contain a user name or password'],
    ['/relative/path', 'url must be a full web address starting with http:// or https://'],
    ['example.org/article', 'url must be a full web address starting with http:// or https://'],
    ['   ', 'url must not be blank'],
    [`https://example.org/${'a'.repeat(LIMITS_PLAYLIST.url)}`, `url must be at most ${LIMITS_PLAYLIST.url} characters`],
  ])('%j is refused', (raw, error) => {
    expect(checkResourceUrl(raw)).toEqual({ ok: false, error });
  });

  it.each([
    ['https://example.org/coaching-for-equity', 'https://example.org/coaching-for-equity'],
    ['http://example.org', 'http://example.org/'],
    ['  https://EXAMPLE.org/a?b=c#d  ', 'https://example.org/a?b=c#d'],
    ['https://www.youtube.com/watch?v=abc', 'https://www.youtube.com/watch?v=abc'],
  ])('%j is taken, as %j', (raw, url) => {
    expect(checkResourceUrl(raw)).toEqual({ ok: true, url });
  });

  it('the body schema runs the same check and names the field', () => {
    const bad = resourceBody.safeParse({ title: 'x', url: 'javascript:alert(1)' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]).toMatchObject({ path: ['url'], message: 'url must start with http:// or https://' });
    const good = resourceBody.parse({ title: ' Coaching ', url: 'https://example.org', tags: ['skills', 'structures', 'skills'] });
    expect(good).toEqual({
      title: 'Coaching',
      url: 'https://example.org/',
      type: 'reading',
      why: '',
      tags: ['structures', 'skills'],
      questionVersionId: null,
      sharedToCohort: false,
    });
    expect(resourceBody.safeParse({ title: 'x', url: 'https://example.org', why: 'two\nlines' }).error?.issues[0]?.message).toBe('why must be one line');
    expect(resourceBody.safeParse({ title: 'x', url: 'https://example.org', tags: ['feelings'] }).error?.issues[0]?.message).toMatch(/^tags must be among/);
  });
});

describe('moving a resource in its playlist', () => {
  it.each([
    [['a', 'b', 'c'], 'c', 0, ['c', 'a', 'b']],
    [['a', 'b', 'c'], 'a', 1, ['b', 'a', 'c']],
    [['a', 'b', 'c'], 'a', 2, ['b', 'c', 'a']],
    [['a', 'b', 'c'], 'a', 99, ['b', 'c', 'a']],
    [['a', 'b', 'c'], 'b', 1, ['a', 'b', 'c']],
    [['a', 'b', 'c'], 'x', 0, ['a', 'b', 'c']],
  ])('%j: %s to %i gives %j', (ids, id, position, want) => {
    expect(moveInOrder(ids, id, position)).toEqual(want);
  });
});

const resource = (patch: Partial<ResourceView>): ResourceView => ({
  id: 'r1',
  communityId: 'c1',
  communityName: 'Funds for need',
  title: 'Coaching for equity',
  url: 'https://example.org/coaching',
  type: 'reading',
  why: 'Names the moves a coach makes',
  tags: ['skills'],
  questionVersionId: null,
  addedBy: 'Ana',
  yours: false,
  sharedToCohort: false,
  pinned: false,
  position: 0,
  featuredAt: null,
  createdAt: 0,
  usedByYou: null,
  usedCount: 2,
  takeaways: [{ author: 'Ben', text: 'Ask before telling', yours: false }],
  pairs: [{ member: 'Ana', partner: 'Ben', yours: false }],
  ...patch,
});

const EXPORT: PlaylistExport = {
  cohort: 'Equity cohort',
  date: '2026-10-13',
  playlists: [
    {
      scope: 'c1',
      name: 'Funds for need',
      resources: [
        resource({ pinned: true }),
        resource({ id: 'r2', position: 1, title: '=HYPERLINK("https://evil.example")', why: 'a, "quoted" one', addedBy: '@Cleo', tags: [], takeaways: [], pairs: [] }),
      ],
    },
  ],
};

describe('playlist downloads', () => {
  it('Markdown: a heading per playlist and resource, what people typed kept as text', () => {
    const md = renderPlaylistMarkdown(EXPORT);
    expect(md).toContain('# Playlist: Equity cohort');
    expect(md).toContain('## Funds for need');
    expect(md).toContain('### Coaching for equity (this month)');
    expect(md).toContain('- Link: <https://example.org/coaching>');
    expect(md).toContain('- Type: Reading');
    expect(md).toContain('- Tags: Skills');
    expect(md).toContain('- Used by: 2');
    expect(md).toContain('- Ana worked on it with Ben');
    expect(md).toContain('- Takeaway (Ben): Ask before telling');
    expect(md).toContain('### =HYPERLINK\\("https://evil\\.example"\\)');
  });

  it('CSV: one row per resource, quoted where needed, formulas neutralised', () => {
    const lines = renderPlaylistCsv(EXPORT).split('\r\n');
    expect(lines[0]).toBe('\uFEFFplaylist,position,title,url,type,tags,why,added_by,shared_to_cohort,pinned,used,pairs,takeaways');
    expect(lines[1]).toBe('Funds for need,1,Coaching for equity,https://example.org/coaching,reading,skills,Names the moves a coach makes,Ana,no,yes,2,Ana with Ben,Ben: Ask before telling');
    expect(lines[2]).toBe(`Funds for need,2,"'=HYPERLINK(""https://evil.example"")",https://example.org/coaching,reading,,"a, ""quoted"" one",'@Cleo,no,no,2,,`);
    expect(lines[3]).toBe('');
  });

  it("CSV: a member's own mark is yes or no, never a count", () => {
    const mine: PlaylistExport = { ...EXPORT, playlists: [{ ...EXPORT.playlists[0]!, resources: [resource({ usedCount: null, usedByYou: true })] }] };
    expect(renderPlaylistCsv(mine).split('\r\n')[1]!.split(',')[10]).toBe('yes');
  });

  it('JSON: the same data under a format name and version', () => {
    const json = JSON.parse(renderPlaylistJson(EXPORT));
    expect(json).toMatchObject({ format: 'howmight-playlist', version: 1, cohort: 'Equity cohort', date: '2026-10-13' });
    expect(json.playlists[0].resources.map((r: ResourceView) => r.id)).toEqual(['r1', 'r2']);
  });
});
