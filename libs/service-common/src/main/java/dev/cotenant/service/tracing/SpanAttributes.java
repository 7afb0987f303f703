package dev.cotenant.service.tracing;

import io.opentelemetry.api.common.AttributeKey;

/** The attributes every service puts on a job's spans, so one query finds them all in the UI. */
public final class SpanAttributes {
  public static final AttributeKey<String> JOB_ID = AttributeKey.stringKey("cotenant.job.id");
  public static final AttributeKey<String> TENANT = AttributeKey.stringKey("cotenant.tenant");
  public static final AttributeKey<String> APP = AttributeKey.stringKey("cotenant.app");
  public static final AttributeKey<String> POLICY = AttributeKey.stringKey("cotenant.policy");
  public static final AttributeKey<String> POD = AttributeKey.stringKey("k8s.pod.name");
  public static final AttributeKey<String> NAMESPACE = AttributeKey.stringKey("k8s.namespace.name");
  public static final AttributeKey<String> NODE = AttributeKey.stringKey("k8s.node.name");

  /** The cards, {@code node/index} each, comma separated. */
  public static final AttributeKey<String> GPU = AttributeKey.stringKey("cotenant.gpu");

  public static final AttributeKey<String> GPU_UUID = AttributeKey.stringKey("cotenant.gpu.uuid");
  public static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("cotenant.outcome");
  public static final AttributeKey<Long> PODS = AttributeKey.longKey("cotenant.pods");

  private SpanAttributes() {}
}
