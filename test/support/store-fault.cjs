// Preloaded (node --require) into a `cli dev` process by test/e2e/store-fault.test.ts: faults
// injected into the embedded DynamoDB, standing for bugs of dynalite's that no request reaches
// once its known bugs are patched. Where the TypeErrors of issue 8 were thrown:
// - a conditional write whose ConditionExpression is "attribute_exists(injected_fault)" throws in
//   dynalite's condition check, inside the item lock, in a setImmediate callback;
// - a Scan whose FilterExpression is "attribute_exists(injected_fault)" throws while the page is
//   filtered, inside the value stream's promise chain.
const { isMainThread } = require('node:worker_threads');

const FAULT = 'attribute_exists(injected_fault)';

if (isMainThread) {
  const db = require('dynalite/db');
  const checkConditional = db.checkConditional;
  db.checkConditional = function (data, existingItem) {
    if (data.ConditionExpression === FAULT) throw new TypeError('injected fault in a condition (test/support/store-fault.cjs)');
    return checkConditional(data, existingItem);
  };
  const queryTable = db.queryTable;
  db.queryTable = function (store, table, data, ...rest) {
    if (data.FilterExpression === FAULT) {
      // The filter is read only when the page is filtered.
      Object.defineProperty(data, '_filter', {
        get() {
          throw new TypeError('injected fault in a filter (test/support/store-fault.cjs)');
        },
      });
    }
    return queryTable(store, table, data, ...rest);
  };
}
