package io.mamori.hub.mqtt;

/**
 * Test permissions: everything is allowed except topics/filters starting with {@code forbidden/};
 * receiving is also denied under {@code secret/}.
 */
public record PrefixAuthorization(String principalId) implements ClientAuthorization {
  @Override
  public AccessDecision mayPublish(String topic, boolean retain) {
    return topic.startsWith("forbidden/")
        ? AccessDecision.deny("test: forbidden prefix")
        : AccessDecision.allow("test: allowed");
  }

  @Override
  public AccessDecision maySubscribe(String topicFilter) {
    return topicFilter.startsWith("forbidden/")
        ? AccessDecision.deny("test: forbidden prefix")
        : AccessDecision.allow("test: allowed");
  }

  @Override
  public AccessDecision mayReceive(String topic) {
    return topic.startsWith("forbidden/") || topic.startsWith("secret/")
        ? AccessDecision.deny("test: no receive")
        : AccessDecision.allow("test: allowed");
  }
}
