/**
 * Node flags of the production server (`npm start` repeats them in package.json). The old-space
 * cap makes V8 collect garbage before the process grows past its memory budget: without it a
 * 5,000-candidate pipeline recomputation let the heap drift to ~500 MB on a machine with plenty of
 * RAM (docs/performance.md). Raise it for much larger organisations.
 */
export const SERVER_NODE_FLAGS = ['--max-old-space-size=256']
