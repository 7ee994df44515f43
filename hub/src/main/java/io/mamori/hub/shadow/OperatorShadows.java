package io.mamori.hub.shadow;

import java.util.List;

/**
 * The operators' way to shadows (admin API): the same service devices use, and an accepted change
 * is published to devices exactly as if a device had made it ({@code /update/accepted}, {@code
 * /update/delta}, {@code /update/documents}, {@code /delete/accepted}). A refused request is only
 * answered to the operator, as AWS sends no MQTT error for its HTTP API.
 */
public final class OperatorShadows {
  /** Hands a hub-originated message to the broker (which checks iot:Receive per delivery). */
  @FunctionalInterface
  public interface Publisher {
    void publish(String topic, byte[] payload);
  }

  private static final byte[] NO_PAYLOAD = new byte[0];

  private final ShadowService shadows;
  private final Publisher publisher;

  public OperatorShadows(ShadowService shadows, Publisher publisher) {
    this.shadows = shadows;
    this.publisher = publisher;
  }

  public ShadowResult get(ShadowKey key) {
    return shadows.get(key, NO_PAYLOAD);
  }

  /** {@code request} is an AWS update document: {@code {"state": {...}, "version": N}}. */
  public ShadowResult update(ShadowKey key, byte[] request, String actor) {
    return published(shadows.update(key, request, actor));
  }

  public ShadowResult delete(ShadowKey key, String actor) {
    return published(shadows.delete(key, NO_PAYLOAD, actor));
  }

  public List<String> namedShadows(String thing) {
    return shadows.namedShadows(thing);
  }

  private ShadowResult published(ShadowResult result) {
    if (result.accepted()) {
      publisher.publish(result.responseTopic(), ShadowService.bytes(result.response()));
      result.notifications().forEach(m -> publisher.publish(m.topic(), m.payload()));
    }
    return result;
  }
}
