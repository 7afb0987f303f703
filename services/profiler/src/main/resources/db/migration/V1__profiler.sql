-- Which app each pod runs (from PodStarted/PodFinished): telemetry names pods, profiles are per app.
create table pod (
  pod text primary key,
  app text not null,
  seen_at timestamptz not null
);

-- One row per finished pod that the model learned from, keyed by the event id: a replayed or
-- duplicated event inserts nothing and so is not learned twice. seq is the order to replay in.
create table observation (
  event_id text primary key,
  seq bigint generated always as identity unique,
  app text not null,
  pod text,
  run_seconds double precision not null,
  oom_killed boolean not null,
  gpu_shares jsonb not null,
  event_time timestamptz not null
);

-- Per app, the sums of its solo telemetry samples (aggregated in memory, flushed in batches).
create table solo_profile (
  app text primary key,
  samples bigint not null,
  sum_sm double precision not null,
  sum_dram double precision not null,
  sum_util double precision not null,
  max_memory_mib bigint not null,
  updated_at timestamptz not null
);

-- Per GPU, the time of the last sample applied; written in the same transaction as solo_profile,
-- so a sample at or before it is known to be counted already.
create table gpu_watermark (
  node text not null,
  gpu_index int not null,
  sample_time timestamptz not null,
  primary key (node, gpu_index)
);

-- The matrix an admin imported (PUT /api/v1/interference); one row, replaced by the next import.
create table imported_matrix (
  id int primary key check (id = 1),
  device text not null,
  body text not null,
  imported_at timestamptz not null
);

-- What was last published per app, as a fingerprint: a restart publishes only what differs.
create table published_profile (
  app text primary key,
  fingerprint text not null,
  published_at timestamptz not null
);
