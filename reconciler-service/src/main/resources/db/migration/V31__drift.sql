-- How each cluster's drift is treated (projected from its registration and ClusterDriftPolicySet).
ALTER TABLE cluster_specs ADD COLUMN drift_policy TEXT NOT NULL DEFAULT 'correct';

-- The drift found by the last check that found any (empty once the cluster matches again), so a
-- finding is reported once, not at every periodic check.
ALTER TABLE reconciliations ADD COLUMN drift JSONB NOT NULL DEFAULT '[]';
ALTER TABLE reconciliations ADD COLUMN drift_checked_at TIMESTAMPTZ;
