-- The audit log's text search compares the actor's email, the action, the
-- target and the details with ILIKE '%…%', which no b-tree serves: a scan of
-- the platform's whole log (≈ 300 ms for 200,000 entries). One trigram index
-- per column lets PostgreSQL answer the OR with a BitmapOr (≈ 9 ms for a rare
-- phrase, ≈ 30 ms to count 7,000 matches). Searches of one or two characters,
-- which trigrams cannot serve, still scan. Expression indexes: not expressible
-- in schema.prisma, named there in a comment.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX "AuditLog_actorEmail_trgm_idx" ON "AuditLog" USING GIN ("actorEmail" gin_trgm_ops);
CREATE INDEX "AuditLog_action_trgm_idx" ON "AuditLog" USING GIN ("action" gin_trgm_ops);
CREATE INDEX "AuditLog_targetId_trgm_idx" ON "AuditLog" USING GIN ("targetId" gin_trgm_ops);
CREATE INDEX "AuditLog_details_trgm_idx" ON "AuditLog" USING GIN (("details"::text) gin_trgm_ops);
