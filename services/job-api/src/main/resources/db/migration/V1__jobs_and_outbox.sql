-- Jobs as submitted, one row per job; the spec is the validated JobSpec as libs/events writes it.
create table job (
    id              uuid        primary key,
    tenant          text        not null,
    name            text        not null,
    status          text        not null,
    spec            text        not null,
    submitted_by    text        not null,
    idempotency_key text,
    request_hash    text,
    created_at      timestamptz not null,
    updated_at      timestamptz not null
);

-- A retried POST with the same key finds the first job instead of making a second.
create unique index job_idempotency_key on job (tenant, idempotency_key)
    where idempotency_key is not null;
-- Newest-first keyset pagination, per tenant and across tenants (admins).
create index job_tenant_created on job (tenant, created_at desc, id desc);
create index job_created on job (created_at desc, id desc);

-- Events written in the same transaction as the job change; the relay publishes them in id order.
create table outbox (
    id          bigint      generated always as identity primary key,
    event_id    uuid        not null unique,
    topic       text        not null,
    message_key text        not null,
    event_type  text        not null,
    payload     text        not null,
    traceparent text,
    tracestate  text,
    created_at  timestamptz not null default now(),
    sent_at     timestamptz
);

-- The relay only ever scans the unsent tail.
create index outbox_unsent on outbox (id) where sent_at is null;
