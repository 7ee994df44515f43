package io.mamori.hub.policy;

/** Whether a statement grants or refuses what it matches (reference §5.1). */
public enum Effect {
  ALLOW("Allow"),
  DENY("Deny");

  private final String jsonName;

  Effect(String jsonName) {
    this.jsonName = jsonName;
  }

  /** The value as written in a policy: {@code Allow} or {@code Deny}. */
  public String jsonName() {
    return jsonName;
  }
}
