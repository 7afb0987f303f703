package dev.cotenant.placement.framework;

/**
 * The root of every plugin, as in the Kubernetes scheduling framework: only a name. Each extension
 * point is its own interface and a plugin implements the ones it needs.
 */
public interface Plugin {

  /** Unique among registered plugins; see {@code PluginNames}. */
  String name();
}
