/** The four categories root causes are sorted into (PROTOCOL.md, "The four categories"). */
export const CATEGORY_IDS = ['structures', 'knowledge', 'skills', 'dispositions'] as const;
export type CategoryId = (typeof CATEGORY_IDS)[number];

export interface CategoryDef {
  id: CategoryId;
  title: string;
  meaning: string;
  test: string;
}

export const CATEGORIES: Readonly<Record<CategoryId, CategoryDef>> = {
  structures: {
    id: 'structures',
    title: 'Structures',
    meaning: 'Organisational conditions: time, schedules, roles, decision rights, policies, budgets, data systems, channels.',
    test: 'Would changing a schedule, role, policy or resource fix it?',
  },
  knowledge: {
    id: 'knowledge',
    title: 'Knowledge',
    meaning: 'What we know: information, research, data, history, context, legal facts.',
    test: 'Would learning information fix it?',
  },
  skills: {
    id: 'skills',
    title: 'Skills',
    meaning: 'What we can do well: technical and interpersonal capability.',
    test: "We know what to do but can't yet do it well.",
  },
  dispositions: {
    id: 'dispositions',
    title: 'Dispositions',
    meaning: 'Values, beliefs, attitudes and commitments.',
    test: 'Is it about what we believe, value or are willing to risk?',
  },
};
