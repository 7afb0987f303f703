package dev.cotenant.placement.state;

import java.util.List;

/**
 * What makes two cards interchangeable for any pod and any policy: same memory, same multiset of
 * tenant apps, same used compute and memory, same exclusivity. Cards with equal keys score
 * identically, so the engine scores one card per key instead of every card.
 *
 * @param memoryMiB card memory
 * @param apps sorted tenant apps
 * @param usedMilli used compute share
 * @param usedMemoryMiB used GPU memory
 * @param exclusive held whole by one pod
 */
public record CardKey(
    long memoryMiB, List<String> apps, int usedMilli, long usedMemoryMiB, boolean exclusive) {}
