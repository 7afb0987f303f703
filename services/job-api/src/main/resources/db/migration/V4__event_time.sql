-- The dashboard's timeline reads the pod events of a recent time window (every tenant's for an
-- admin, then filtered by tenant): by time, not by seq.
create index job_event_time on job_event (event_time);
-- Pods that started before that window and still run come from their jobs: few rows, so a small
-- partial index.
create index job_running on job (started_at) where status in ('RUNNING', 'CANCEL_REQUESTED');
