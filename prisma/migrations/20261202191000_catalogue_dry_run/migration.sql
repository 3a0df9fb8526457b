-- Issue 19, part 1: a catalogue dry run reads Coursera's whole listing and says what the next sync would
-- change, without writing to the catalogue (lib/catalogue/sync.ts, lib/catalogue/mutations.ts).
ALTER TYPE "SyncMode" ADD VALUE 'DRY_RUN';
