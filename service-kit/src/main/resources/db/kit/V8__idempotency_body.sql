-- The sha256 of a JSON body sent with an Idempotency-Key: the same key with another body is a
-- 422, not a replay of the first answer (NULL: not JSON, or stored before this column).
ALTER TABLE idempotency_keys ADD COLUMN body_sha256 TEXT;
