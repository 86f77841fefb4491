import { describe, expect, it } from 'vitest';
import { addSteps, addables, blocksOf, moveBlock, moveStep, removeSteps } from '../../client/components/agendaDraft.ts';
import { templatePlan } from '../../shared/protocol/agendas.ts';

const consultancy = templatePlan('monthly-consultancy', 90).steps;

describe('the composer’s agenda edits', () => {
  it('groups the steps in blocks, a protocol as one', () => {
    const blocks = blocksOf(consultancy);
    expect(blocks.map((b) => [b.title, b.steps.length])).toContainEqual(['Consultancy', 6]);
    expect(blocks.flatMap((b) => b.steps)).toEqual(consultancy);
    expect(blocks[0]).toMatchObject({ title: 'Open', start: 0, steps: ['checkin'] });
  });

  it('moves a step and a block by one, and nothing past an end', () => {
    expect(moveStep(['checkin', 'review', 'commit'], 'review', -1)).toEqual(['review', 'checkin', 'commit']);
    expect(moveStep(['checkin', 'review'], 'checkin', -1)).toEqual(['checkin', 'review']);
    const protocol = blocksOf(consultancy).findIndex((b) => b.title === 'Consultancy');
    const moved = moveBlock(consultancy, protocol, -1);
    expect(blocksOf(moved)[protocol - 1]!.title).toBe('Consultancy');
    expect([...moved].sort()).toEqual([...consultancy].sort());
    expect(moveBlock(consultancy, 0, -1)).toEqual(consultancy);
  });

  it('removes steps and adds a block before the closing Commit and Close', () => {
    const without = removeSteps(consultancy, ['playlist']);
    expect(without).not.toContain('playlist');
    const tuning = addables(without).find((a) => a.id === 'protocol:tuning')!;
    const added = addSteps(without, tuning.steps);
    expect(added.slice(-2)).toEqual(['commit', 'close']);
    expect(added.slice(-2 - tuning.steps.length, -2)).toEqual(tuning.steps);
    // What is on the agenda is not offered again.
    expect(addables(added).map((a) => a.id)).not.toContain('protocol:tuning');
    expect(addables(added).map((a) => a.id)).toContain('block:playlist');
    expect(addSteps(['checkin'], ['close'])).toEqual(['checkin', 'close']);
  });
});
