package dev.cotenant.monitor.support;

import dev.cotenant.testsupport.CotenantTestResource;
import dev.cotenant.testsupport.Ports;
import dev.cotenant.testsupport.TestStack;
import java.util.HashMap;
import java.util.Map;

/**
 * The shared test stack for the monitor, with two exporters' ports chosen here (the tests serve
 * them): one a static target, one found through the embedded API. Short intervals so tests do not
 * sit idle.
 */
public class MonitorTestResource extends CotenantTestResource {
  public static final String STATIC_PORT = "cotenant.test.static-exporter-port";
  public static final String DISCOVERED_PORT = "cotenant.test.discovered-exporter-port";
  public static final String STATIC_NODE = "mon-static";
  public static final String EXPORTER_NAMESPACE = "gpu-operator";

  @Override
  public Map<String, String> start() {
    Map<String, String> config = new HashMap<>(super.start());
    TestStack.get().kafka().createCotenantTopics(3);
    int staticPort = Ports.free();
    int discoveredPort = Ports.free();
    config.put(STATIC_PORT, String.valueOf(staticPort));
    config.put(DISCOVERED_PORT, String.valueOf(discoveredPort));
    config.put(
        "cotenant.monitor.dcgm.targets",
        STATIC_NODE + "=http://127.0.0.1:" + staticPort + "/metrics");
    config.put("cotenant.monitor.dcgm.interval", "PT0.2S");
    config.put("cotenant.monitor.dcgm.timeout", "PT0.5S");
    config.put("cotenant.monitor.dcgm.stale-after", "PT1S");
    config.put("cotenant.monitor.dcgm.discovery.interval", "PT0.5S");
    config.put("cotenant.monitor.dcgm.discovery.namespace", EXPORTER_NAMESPACE);
    return config;
  }

  public static String kafka() {
    return TestStack.get().kafka().bootstrapServers();
  }
}
