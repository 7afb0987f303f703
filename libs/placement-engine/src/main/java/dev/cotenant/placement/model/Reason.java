package dev.cotenant.placement.model;

/**
 * Why a pod could not go somewhere: one per failing filter and code.
 *
 * @param code a stable code ({@code InsufficientCpu}, {@code Incompatible}, {@code NeverFits}...)
 * @param plugin the filter (or engine part) that said no
 * @param message a human explanation
 * @param count how many nodes or GPUs it rejected
 */
public record Reason(String code, String plugin, String message, int count) {}
