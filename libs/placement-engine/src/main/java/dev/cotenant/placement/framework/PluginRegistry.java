package dev.cotenant.placement.framework;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** All plugins by name; a second plugin with a taken name is refused rather than shadowing. */
public final class PluginRegistry {

  private final Map<String, Plugin> plugins = new LinkedHashMap<>();

  public PluginRegistry register(Plugin plugin) {
    String name = plugin.name();
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("plugin name must not be blank");
    }
    if (plugins.containsKey(name)) {
      throw new IllegalArgumentException("plugin name '" + name + "' is already registered");
    }
    plugins.put(name, plugin);
    return this;
  }

  /** The plugin called {@code name}, which must implement {@code type}. */
  public <T extends Plugin> T get(String name, Class<T> type) {
    Plugin p = plugins.get(name);
    if (p == null) {
      throw new IllegalArgumentException("plugin name '" + name + "' is not registered");
    }
    if (!type.isInstance(p)) {
      throw new IllegalArgumentException("plugin '" + name + "' is not a " + type.getSimpleName());
    }
    return type.cast(p);
  }

  public Set<String> names() {
    return Collections.unmodifiableSet(plugins.keySet());
  }
}
