import { z } from 'zod';
import { CATEGORIES, CATEGORY_IDS, type CategoryId } from '../protocol/categories.ts';

/**
 * The resource playlist (YEAR.md 6): one per community and one for the
 * cohort. Its bodies, limits, labels and the link rule live here so that the
 * browser's form and the server check the same thing; the server keeps the
 * rules (it runs these schemas on every body) and never fetches a link.
 */

export const LIMITS_PLAYLIST = {
  title: 160,
  /** Long enough for a real article or video link; short enough that a pasted data blob is refused. */
  url: 2000,
  why: 280,
  takeaway: 200,
  /** Per playlist (a community's, or the cohort's own). */
  resources: 100,
} as const;

export const RESOURCE_TYPES = ['reading', 'video', 'protocol', 'tool', 'other'] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];

export const RESOURCE_TYPE_LABELS: Readonly<Record<ResourceType, string>> = {
  reading: 'Reading',
  video: 'Video',
  protocol: 'Protocol',
  tool: 'Practical tool',
  other: 'Other',
};

export const TAG_LABELS: Readonly<Record<CategoryId, string>> = Object.fromEntries(
  CATEGORY_IDS.map((id) => [id, CATEGORIES[id].title]),
) as Record<CategoryId, string>;

export type UrlCheck = { ok: true; url: string } | { ok: false; error: string };

/**
 * Whether `raw` may be a resource's link: an absolute http(s) URL with a host,
 * no user name or password in it (a link is shown to the whole community and
 * put in a QR code), at most LIMITS_PLAYLIST.url characters. Anything else
 * (javascript:, data:, ftp:, file:, a relative path) is refused, so a link
 * rendered as <a href> or a QR code can only ever open a web page. The link
 * comes back as the URL parser normalised it.
 */
export function checkResourceUrl(raw: string): UrlCheck {
  const text = raw.trim();
  if (text === '') return { ok: false, error: 'url must not be blank' };
  if (text.length > LIMITS_PLAYLIST.url) return { ok: false, error: `url must be at most ${LIMITS_PLAYLIST.url} characters` };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, error: 'url must be a full web address starting with http:// or https://' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, error: 'url must start with http:// or https://' };
  if (url.username !== '' || url.password !== '') return { ok: false, error: 'url must not contain a user name or password' };
  if (url.hostname === '') return { ok: false, error: 'url must name a web site' };
  if (url.href.length > LIMITS_PLAYLIST.url) return { ok: false, error: `url must be at most ${LIMITS_PLAYLIST.url} characters` };
  return { ok: true, url: url.href };
}

export const resourceUrlSchema = z.string({ error: 'url is required' }).transform((value, ctx) => {
  const checked = checkResourceUrl(value);
  if (checked.ok) return checked.url;
  ctx.addIssue({ code: 'custom', message: checked.error });
  return z.NEVER;
});

const text = (field: string, max: number) =>
  z
    .string({ error: `${field} is required` })
    .trim()
    .min(1, `${field} must not be blank`)
    .max(max, `${field} must be at most ${max} characters`);

const id = z.string().regex(/^[A-Za-z0-9_-]{6,32}$/, 'not an id');

const resourceType = z.enum(RESOURCE_TYPES, { error: `type must be one of ${RESOURCE_TYPES.join(', ')}` });
const tags = z
  .array(z.enum(CATEGORY_IDS, { error: `tags must be among ${CATEGORY_IDS.join(', ')}` }), { error: 'tags must be a list' })
  .max(CATEGORY_IDS.length)
  // One of each, in the categories' own order, whatever order they came in.
  .transform((list) => CATEGORY_IDS.filter((c) => list.includes(c)));

const why = z.string().trim().max(LIMITS_PLAYLIST.why, `why must be at most ${LIMITS_PLAYLIST.why} characters`).refine((w) => !/[\r\n]/.test(w), 'why must be one line');

export const resourceBody = z.object({
  title: text('title', LIMITS_PLAYLIST.title),
  url: resourceUrlSchema,
  type: resourceType.default('reading'),
  why: why.default(''),
  tags: tags.default([]),
  /** The version of the community's question this resource serves. */
  questionVersionId: id.nullable().default(null),
  /** Also shown in the cohort's playlist. Off until the person who adds it says so: widening is explicit. */
  sharedToCohort: z.boolean({ error: 'sharedToCohort must be true or false' }).default(false),
});
export type ResourceBody = z.input<typeof resourceBody>;
/** A resource body as checked: defaults filled, the link normalised. */
export type ResourceInput = z.output<typeof resourceBody>;

export const editResourceBody = z.object({
  title: text('title', LIMITS_PLAYLIST.title).optional(),
  url: resourceUrlSchema.optional(),
  type: resourceType.optional(),
  why: why.optional(),
  tags: tags.optional(),
  questionVersionId: id.nullable().optional(),
  sharedToCohort: z.boolean({ error: 'sharedToCohort must be true or false' }).optional(),
});
export type EditResourceBody = z.input<typeof editResourceBody>;
export type ResourceEdit = z.output<typeof editResourceBody>;

/** Where a resource goes in its playlist: 0 is the top; past the end is the end. */
export const moveResourceBody = z.object({
  position: z.number({ error: 'position must be a whole number' }).int('position must be a whole number').min(0, 'position must be 0 or more'),
});
export const pinResourceBody = z.object({ pinned: z.boolean({ error: 'pinned must be true or false' }) });
export const usedBody = z.object({ used: z.boolean({ error: 'used must be true or false' }) });
/** An empty takeaway takes yours away. */
export const takeawayBody = z.object({
  text: z
    .string({ error: 'text is required' })
    .trim()
    .max(LIMITS_PLAYLIST.takeaway, `text must be at most ${LIMITS_PLAYLIST.takeaway} characters`)
    .refine((t) => !/[\r\n]/.test(t), 'text must be one line'),
});
/** The cohort member you worked on it with; null takes the mark away. */
export const pairBody = z.object({ partnerId: id.nullable() });

/** A featured resource as the control state carries it (the meeting's playlist step). */
export const featuredResourceSchema = z.object({
  id,
  title: text('title', LIMITS_PLAYLIST.title),
  why: z.string().max(LIMITS_PLAYLIST.why),
  url: resourceUrlSchema,
  type: resourceType,
});
export type FeaturedResource = z.output<typeof featuredResourceSchema>;

// ---- What the routes answer

export interface ResourceView {
  id: string;
  /** null: the cohort's own playlist. */
  communityId: string | null;
  communityName: string | null;
  title: string;
  url: string;
  type: ResourceType;
  why: string;
  tags: CategoryId[];
  questionVersionId: string | null;
  /** "Fran (facilitator)", a member's name, or "A former member". */
  addedBy: string;
  /** The reader added it (a member may edit and delete only these). */
  yours: boolean;
  sharedToCohort: boolean;
  /** This month's pick of its playlist; one at most per playlist. */
  pinned: boolean;
  position: number;
  /** The meeting (session id) that last put it on the projector. */
  featuredAt: string | null;
  createdAt: number;
  /** Member readers only: their own mark; nobody else's is ever sent. */
  usedByYou: boolean | null;
  /** Staff readers only: how many members marked it used. */
  usedCount: number | null;
  /** One line each; a member reads those of their own community's members. */
  takeaways: Array<{ author: string; text: string; yours: boolean }>;
  /** "Ana worked on it with Ben"; `yours`: the reader made this mark (a member makes at most one per resource). */
  pairs: Array<{ member: string; partner: string; yours: boolean }>;
}

export interface PlaylistView {
  /** 'cohort' or a community's id. */
  scope: string;
  name: string;
  resources: ResourceView[];
}

/** A member's home: their community's playlist (null outside one) and the cohort's. */
export interface MemberPlaylists {
  community: PlaylistView | null;
  cohort: PlaylistView;
  /** The cohort's other members, for "worked on it with". */
  partners: Array<{ id: string; name: string }>;
}
