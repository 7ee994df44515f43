package io.mamori.hub.shadow;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The answer to one shadow request: the accepted or rejected document, and the further messages an
 * accepted update causes ({@code /update/delta}, {@code /update/documents}).
 *
 * @param code 200 when accepted, else the AWS error code that is also in {@code response}
 * @param response the document for {@code <op>/accepted} or {@code <op>/rejected}
 * @param notifications further messages to publish, in order, after the response
 */
public record ShadowResult(
    ShadowKey key,
    ShadowOperation operation,
    int code,
    ObjectNode response,
    List<ShadowMessage> notifications) {

  public boolean accepted() {
    return code == 200;
  }

  /** Where {@link #response()} goes over MQTT. */
  public String responseTopic() {
    return operation.replyTopic(key, accepted());
  }

  /** One message to publish: topic and JSON payload. */
  public record ShadowMessage(String topic, byte[] payload) {}
}
