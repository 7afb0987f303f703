package dev.cotenant.placement.model;

/**
 * One card given to a pod. A whole card has {@code milli = 1000} and the card's memory.
 *
 * @param index the card's index on the node
 * @param uuid the card's UUID, for pinning
 * @param milli compute share given
 * @param memoryMiB GPU memory given
 */
public record GpuSlot(int index, String uuid, int milli, long memoryMiB) {}
