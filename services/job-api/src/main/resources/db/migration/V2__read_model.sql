-- The read model of cotenant.job-events: what placement and the monitor said about each job.
-- status_at is the time of the event that set the status: of two events of the same rank the
-- later one wins, whatever order they arrive in.
alter table job add column status_at   timestamptz;
alter table job add column reason      text;
-- One JSON object per pod (PodState): node, pinned GPUs, phase, outcome.
alter table job add column placement   text;
alter table job add column queued_at   timestamptz;
alter table job add column placed_at   timestamptz;
alter table job add column started_at  timestamptz;
alter table job add column finished_at timestamptz;

-- Every job event once (keyed by its CloudEvents id), in the order this service stored it. seq is
-- the SSE id: inserts are serialised by an advisory lock in the consumer's transaction, so seq
-- order is commit order and a reader resuming "after seq N" never skips a later commit.
create table job_event (
    event_id    uuid        primary key,
    seq         bigint      generated always as identity unique,
    job_id      text        not null,
    tenant      text        not null,
    event_type  text        not null,
    event_time  timestamptz not null,
    payload     text        not null,
    stored_at   timestamptz not null default now()
);

-- A job's history, and a tenant's stream, both read in seq order from a resume point.
create index job_event_job on job_event (job_id, seq);
create index job_event_tenant on job_event (tenant, seq);
