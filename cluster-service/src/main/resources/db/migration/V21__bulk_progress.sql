-- A claim takes the oldest open operation's pending items in position order straight from this
-- index; the one it replaces (operation only) made every claim sort all pending items.
DROP INDEX bulk_items_pending;
CREATE INDEX bulk_items_pending ON bulk_items (operation_id, position) WHERE status = 'pending';
-- Items that need a person's attention, listed first by a progress answer.
CREATE INDEX bulk_items_attention ON bulk_items (operation_id, position)
    WHERE status NOT IN ('pending', 'done', 'unchanged');
CREATE INDEX bulk_operations_open ON bulk_operations (created_at, id) WHERE finished_at IS NULL;

-- Progress counts per project and status, moved by each batch in its own transaction, so a poll
-- reads a few rows instead of counting every item of the operation.
CREATE TABLE bulk_counts (
    operation_id TEXT NOT NULL REFERENCES bulk_operations (id),
    project      TEXT NOT NULL,
    status       TEXT NOT NULL,
    n            INT  NOT NULL,
    PRIMARY KEY (operation_id, project, status)
);
INSERT INTO bulk_counts (operation_id, project, status, n)
SELECT operation_id, project, status, count(*) FROM bulk_items GROUP BY operation_id, project, status;
