package dev.cotenant.placement.framework;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Per-attempt scratch space, keyed by plugin name so plugins cannot trample each other. */
public final class CycleState {

  private final Map<String, Object> data = new HashMap<>();

  public void write(String pluginName, Object value) {
    data.put(pluginName, value);
  }

  public <T> Optional<T> read(String pluginName, Class<T> type) {
    Object v = data.get(pluginName);
    return type.isInstance(v) ? Optional.of(type.cast(v)) : Optional.empty();
  }
}
