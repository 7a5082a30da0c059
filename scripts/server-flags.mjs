/**
 * Node flags of the production server (`npm start` repeats them in package.json). The old-space
 * cap makes V8 collect garbage before the process grows past its memory budget: without it a
 * 5,000-candidate pipeline recomputation let the heap drift to ~500 MB on a machine with plenty of
 * RAM (docs/performance.md). Raise it for much larger organisations. The cap is per process:
 * cluster forks the workers with the primary's flags, so each worker has its own 256 MB heap.
 */
export const SERVER_NODE_FLAGS = ['--max-old-space-size=256']

/*
 * The supervisor (server.mjs): WORKERS HTTP workers, one per core unless set.
 */

/** WORKERS may be 1 to this; more processes than that only add memory and contention on SQLite's write lock. */
export const MAX_WORKERS = 64

/** A dead worker is replaced after this, doubling for each further death of its slot's workers... */
export const WORKER_BACKOFF_MIN_MS = 100

/** ...up to this... */
export const WORKER_BACKOFF_MAX_MS = 10_000

/** ...and back to the minimum when the worker that died had lived this long (ms). */
export const WORKER_HEALTHY_AFTER_MS = 30_000

/** Connections accepted while no worker is ready (all restarting) wait, up to this many; more get a 503. */
export const MAX_WAITING_CONNECTIONS = 1_000

/** This many workers in a row dying before they listen: every start fails, so the primary stops. */
export const WORKER_START_FAILURES_FATAL = 5

/*
 * Input limits of the production server (server.mjs enforces them before the app reads a body;
 * app/utils/forms.server.ts repeats the form limits for any other way in). Figures and how they
 * were measured: docs/reliability.md, "Hostile input".
 */

/**
 * Bytes of a urlencoded (or any non-multipart) body. The largest legal form is the 360
 * questionnaire: 48 statements, 4 comments of at most 2,000 characters and the intent; with every
 * comment character a 3-byte UTF-8 character (9 bytes percent-encoded) it is 73,432 bytes
 * (tests/unit/input-limits.test.ts builds it). Opening cycles for 5,000 candidates is ~120 KB.
 * 256 KB leaves twice that.
 */
export const FORM_BODY_LIMIT = 256 * 1024

/**
 * Bytes of a multipart body: evidence takes at most 5 files of 10 MB (the import one 2 MB file),
 * plus 1 MB for the other fields and the multipart framing. Per-file limits are the routes' own.
 */
export const MULTIPART_BODY_LIMIT = 5 * 10 * 1024 * 1024 + 1024 * 1024

/**
 * Fields of a urlencoded form. The questionnaire has 53 (48 statements, 4 comments, the intent);
 * 400 leaves more than seven times that. Counted on the raw body before it is parsed.
 */
export const FORM_FIELD_LIMIT = 400

/**
 * The one form with a list as long as the organisation: opening 360 cycles takes up to 5,000
 * candidate ids (app/routes/cycles.new.tsx), plus the due date and the filters.
 */
export const LARGE_FORM_FIELD_LIMIT = 5_010

/**
 * Whole request, headers and body (ms). A 51 MB upload in 60 s needs ~7 Mbit/s of upstream; on
 * loopback it takes well under a second. Overridable (REQUEST_TIMEOUT_MS) so a test can be quick.
 */
export const REQUEST_TIMEOUT_MS = 60_000

/** Request headers (ms): a browser sends them in one packet. */
export const HEADERS_TIMEOUT_MS = 10_000

/** An idle keep-alive connection is closed after this (ms). */
export const KEEP_ALIVE_TIMEOUT_MS = 5_000

/**
 * Open connections from one client address (the socket's address: a proxy in front of the app
 * should bound its own clients), across all workers (the primary counts them). A browser opens at
 * most 6 per host; a load test here opens 16.
 */
export const MAX_CONNECTIONS_PER_ADDRESS = 32
