-- The first catalogue sync `npm run dev` queues for the demo connector was recorded as a credentials
-- change made by nobody; the history now says it came from the demo.
ALTER TYPE "SyncTrigger" ADD VALUE 'DEMO';
