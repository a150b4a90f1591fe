import { expect } from 'chai';
import { planForStack } from '../../cli/deploy/stack-state.js';

describe('cli/deploy/stack-state', () => {
  describe('planForStack', () => {
    const stack = (status: string) => ({ stackId: 'id', stackName: 'items', status, outputs: [], parameters: {}, terminationProtection: false });
    const plan = (status: string | undefined, extra: { resourceCount?: number; continueRollback?: boolean } = {}) =>
      planForStack(status ? stack(status) : undefined, { continueRollback: false, stackFlags: '', ...extra }).action;

    it('maps each stack state to what deploy does', () => {
      expect([
        plan(undefined),
        plan('CREATE_COMPLETE'),
        plan('UPDATE_ROLLBACK_COMPLETE'),
        plan('ROLLBACK_COMPLETE'),
        plan('REVIEW_IN_PROGRESS'),
        plan('CREATE_FAILED', { resourceCount: 0 }),
        plan('CREATE_FAILED', { resourceCount: 2 }),
        plan('UPDATE_ROLLBACK_FAILED'),
        plan('UPDATE_ROLLBACK_FAILED', { continueRollback: true }),
        plan('UPDATE_IN_PROGRESS'),
        plan('DELETE_FAILED'),
      ]).to.deep.equal(['create', 'update', 'update', 'recreate', 'recreate', 'recreate', 'blocked', 'blocked', 'continue-rollback', 'blocked', 'blocked']);
    });
  });
});
