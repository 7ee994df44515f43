package io.mamori.hub.shadow;

/** The three shadow requests of reference §4.1, named as their topic levels. */
public enum ShadowOperation {
  GET("get"),
  UPDATE("update"),
  DELETE("delete");

  private final String topicLevel;

  ShadowOperation(String topicLevel) {
    this.topicLevel = topicLevel;
  }

  public String topicLevel() {
    return topicLevel;
  }

  /** {@code <prefix>/update/accepted} or {@code .../rejected}. */
  public String replyTopic(ShadowKey key, boolean accepted) {
    return key.topicPrefix() + "/" + topicLevel + (accepted ? "/accepted" : "/rejected");
  }
}
