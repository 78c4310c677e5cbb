-- The cluster's state after each step (without its spec lists, which the spec rows hold): a step
-- logged late is folded from the state just before it, and only the steps after it are redone.
ALTER TABLE audit_cluster_timeline ADD COLUMN state JSONB NOT NULL DEFAULT '{}';
