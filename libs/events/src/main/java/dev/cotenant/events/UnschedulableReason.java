package dev.cotenant.events;

/**
 * Why a pod fits nowhere: one entry per failing filter, with a stable code and how many nodes it
 * ruled out.
 */
public record UnschedulableReason(String filter, String code, int nodes, String message) {}
