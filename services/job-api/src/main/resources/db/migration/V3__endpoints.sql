-- Where an interactive job is reachable in the cluster: the host:port addresses of its ClusterIP
-- Service as a JSON array, from the JobPlaced that named them; null for a batch job or until placed.
-- endpoints_at is that event's time: of two placements the later one's endpoints win, whatever
-- order they arrive in.
alter table job add column endpoints    text;
alter table job add column endpoints_at timestamptz;
