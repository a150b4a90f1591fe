import { expect } from 'chai';
import type { StackEvent } from '../../cli/aws/stack-api.js';
import { formatSummaryLine } from '../../cli/deploy/progress-printer.js';
import { applyEvents, createProgress, isSuccessStatus, summarize } from '../../cli/deploy/progress-state.js';

let n = 0;
function ev(logicalId: string, resourceType: string, status: string, atSecond: number, reason?: string): StackEvent {
  return { eventId: `e${++n}`, stackName: 'items', stackId: 'arn:stack/items/1', logicalId, resourceType, status, reason, timestamp: new Date(Date.UTC(2030, 0, 1, 0, 0, atSecond)) };
}
const STACK = 'AWS::CloudFormation::Stack';

describe('cli/deploy/progress-state', () => {
  describe('applyEvents', () => {
    it('tracks resources and finishes on the stack terminal event, with elapsed time from the injected clock', () => {
      let state = createProgress('items', 1_000);
      state = applyEvents(state, [ev('items', STACK, 'CREATE_IN_PROGRESS', 0, 'User Initiated'), ev('Table', 'AWS::DynamoDB::Table', 'CREATE_IN_PROGRESS', 1)]);
      expect(state.done).to.equal(false);
      expect(summarize(state, 4_000)).to.deep.equal({ elapsedMs: 3_000, total: 1, complete: 0, inProgress: 1, failed: 0 });
      expect(formatSummaryLine(state, 4_000)).to.equal('CREATE_IN_PROGRESS: 0/1 resources done (3s)');
      state = applyEvents(state, [ev('Table', 'AWS::DynamoDB::Table', 'CREATE_COMPLETE', 20), ev('items', STACK, 'CREATE_COMPLETE', 21)]);
      expect(state.done).to.equal(true);
      expect(state.stackStatus).to.equal('CREATE_COMPLETE');
      expect(summarize(state, 91_000)).to.deep.equal({ elapsedMs: 90_000, total: 1, complete: 1, inProgress: 0, failed: 0 });
      expect(formatSummaryLine(state, 91_000)).to.equal('CREATE_COMPLETE: 1/1 resources done (1m30s)');
    });

    it('is not done on REVIEW_IN_PROGRESS or a cleanup phase', () => {
      const state = applyEvents(createProgress('items', 0), [ev('items', STACK, 'REVIEW_IN_PROGRESS', 0), ev('items', STACK, 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', 1)]);
      expect(state.done).to.equal(false);
    });

    it('returns the same state for no events (pure, nothing mutated)', () => {
      const state = createProgress('items', 0);
      expect(applyEvents(state, [])).to.equal(state);
      const next = applyEvents(state, [ev('Table', 'AWS::DynamoDB::Table', 'CREATE_FAILED', 0, 'boom')]);
      expect(state.events).to.have.length(0);
      expect(summarize(next, 0).failed).to.equal(1);
    });
  });

  describe('isSuccessStatus', () => {
    it('accepts only completed operations that did not roll back', () => {
      expect(['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'ROLLBACK_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE', undefined].map((s) => isSuccessStatus(s))).to.deep.equal([true, true, false, false, false]);
    });
  });
});
