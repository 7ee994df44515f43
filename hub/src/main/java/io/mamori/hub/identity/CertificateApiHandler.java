package io.mamori.hub.identity;

import io.mamori.hub.events.EventPublisher;
import io.mamori.hub.events.HubEvent;
import io.mamori.hub.mqtt.ReservedTopicContext;
import io.mamori.hub.mqtt.ReservedTopicHandler;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device-facing certificate API of AWS IoT fleet provisioning (reference §1.1, §1.2): {@code
 * $aws/certificates/create/<fmt>} (the hub generates the key pair) and {@code
 * $aws/certificates/create-from-csr/<fmt>} (the device keeps its key), {@code fmt} {@code json} or
 * {@code cbor}. Answers go to {@code <request topic>/accepted} or {@code /rejected}, in the
 * request's format, to the requesting connection only: a private key must never reach another
 * device subscribed to the same topic (claim certificates are shared by a whole fleet).
 */
public final class CertificateApiHandler implements ReservedTopicHandler {
  private static final Logger log = LoggerFactory.getLogger(CertificateApiHandler.class);
  static final String CREATE = "create";
  static final String CREATE_FROM_CSR = "create-from-csr";
  private static final int REPLY_QOS = 1;

  private final CertificateCreator creator;
  private final EventPublisher events;
  private final Clock clock;

  public CertificateApiHandler(CertificateCreator creator, EventPublisher events, Clock clock) {
    this.creator = creator;
    this.events = events;
    this.clock = clock;
  }

  @Override
  public String topicFilter() {
    return "$aws/certificates/+/+";
  }

  @Override
  public void onPublish(ReservedTopicContext context, String topic, byte[] payload) {
    String[] levels = topic.split("/", -1);
    String operation = levels[2];
    Optional<PayloadFormat> format = PayloadFormat.fromTopicLevel(levels[3]);
    if (format.isEmpty() || !(operation.equals(CREATE) || operation.equals(CREATE_FROM_CSR))) {
      // No such AWS operation: there is no answer topic a client could be waiting on.
      log.debug("unknown certificate API topic ignored topic={}", topic);
      return;
    }
    String caller = context.authorization().principalId();
    Object answer;
    String outcome;
    try {
      answer = accepted(caller, operation, format.get(), payload);
      outcome = "accepted";
    } catch (IdentityApiException e) {
      answer = e.toResponse();
      outcome = "rejected";
      events.publish(
          new HubEvent(
              "certificate.create",
              clock.instant(),
              caller,
              context.clientId(),
              e.statusCode() >= 500 ? HubEvent.FAILURE : HubEvent.DENIED,
              e.getMessage(),
              Map.of("topic", topic, "errorCode", e.errorCode())));
    } catch (RuntimeException e) {
      log.error("certificate API failed topic={} reason={}", topic, e.toString(), e);
      answer =
          new IdentityMessages.ErrorResponse(
              500, "InternalError", "internal error; no certificate was created");
      outcome = "rejected";
      events.publish(
          new HubEvent(
              "certificate.create",
              clock.instant(),
              caller,
              context.clientId(),
              HubEvent.FAILURE,
              e.toString(),
              Map.of("topic", topic)));
    }
    boolean delivered =
        context.replyToCaller(topic + "/" + outcome, format.get().write(answer), REPLY_QOS);
    if (!delivered) {
      // Reference §1.1: the device must subscribe to the answer topics before publishing.
      log.info(
          "certificate API answer not delivered (caller not subscribed, denied iot:Receive or"
              + " gone) clientId={} topic={}/{}",
          context.clientId(),
          topic,
          outcome);
    }
  }

  private Object accepted(String caller, String operation, PayloadFormat format, byte[] payload) {
    if (operation.equals(CREATE)) {
      // The payload of CreateKeysAndCertificate is empty (the v2 SDK sends {}); nothing is read.
      CreatedCertificate created = creator.create(caller, Optional.empty());
      return new IdentityMessages.CreateKeysAndCertificateResponse(
          created.certificateId(),
          created.certificatePem(),
          created.privateKeyPem().orElseThrow(),
          created.ownershipToken());
    }
    String csr =
        PayloadFormat.requiredText(format.readRequest(payload), "certificateSigningRequest");
    CreatedCertificate created = creator.create(caller, Optional.of(csr));
    return new IdentityMessages.CreateCertificateFromCsrResponse(
        created.ownershipToken(), created.certificateId(), created.certificatePem());
  }
}
