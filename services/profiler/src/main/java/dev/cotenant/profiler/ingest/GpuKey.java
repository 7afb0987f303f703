package dev.cotenant.profiler.ingest;

/** One GPU card: the node it sits in and its index there (the telemetry watermark's key). */
public record GpuKey(String node, int index) {}
