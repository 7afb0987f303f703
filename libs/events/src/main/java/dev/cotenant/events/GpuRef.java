package dev.cotenant.events;

/** One GPU card a pod is pinned to: its index on the node and its stable UUID. */
public record GpuRef(int index, String uuid) {}
