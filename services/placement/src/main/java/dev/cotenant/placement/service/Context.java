package dev.cotenant.placement.service;

import dev.cotenant.placement.PlacementEngine;
import dev.cotenant.placement.PlacementQueue;
import io.opentelemetry.api.trace.Tracer;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;

/**
 * What the scheduler's parts share: the engine and its queue, the cluster view, the writes and
 * where they run, the events, and the way back onto the scheduler thread.
 *
 * @param post runs work on the scheduler thread (for the writers' results)
 * @param clock the engine's time in seconds
 * @param tracer spans of each job's placement (a no-op tracer when tracing is off)
 */
record Context(
    PlacementEngine engine,
    PlacementQueue queue,
    ClusterSync sync,
    ClusterWriter writer,
    Executor writers,
    EventSink events,
    Scheduler.Settings settings,
    Consumer<Runnable> post,
    DoubleSupplier clock,
    Tracer tracer) {}
