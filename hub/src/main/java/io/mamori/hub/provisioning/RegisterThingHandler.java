package io.mamori.hub.provisioning;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import io.mamori.hub.events.EventPublisher;
import io.mamori.hub.events.HubEvent;
import io.mamori.hub.genuine.NotGenuineException;
import io.mamori.hub.identity.IdentityApiException;
import io.mamori.hub.identity.IdentityMessages;
import io.mamori.hub.identity.PayloadFormat;
import io.mamori.hub.mqtt.ReservedTopicContext;
import io.mamori.hub.mqtt.ReservedTopicHandler;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RegisterThing over MQTT (reference §1.1, §1.2): {@code
 * $aws/provisioning-templates/<name>/provision/<fmt>}, answered on {@code .../accepted} or {@code
 * .../rejected} in the request's format, to the requesting connection only.
 */
public final class RegisterThingHandler implements ReservedTopicHandler {
  private static final Logger log = LoggerFactory.getLogger(RegisterThingHandler.class);
  private static final int REPLY_QOS = 1;

  /** {@code .../accepted}: {@code deviceConfiguration} and {@code thingName}. */
  @JsonPropertyOrder({"deviceConfiguration", "thingName"})
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record RegisterThingResponse(Map<String, String> deviceConfiguration, String thingName) {}

  private final Supplier<Provisioner> provisioner;
  private final Executor hookCalls;
  private final EventPublisher events;
  private final Clock clock;

  /**
   * @param provisioner supplied late: it needs registry services that are built after the broker
   * @param hookCalls bounded executor of its own for requests whose template calls a
   *     pre-provisioning hook: a hook that answers slowly (up to its 5 s timeout) then holds only
   *     these threads, never the broker's shared workers that authenticate connections and serve
   *     the other reserved topics
   */
  public RegisterThingHandler(
      Supplier<Provisioner> provisioner, Executor hookCalls, EventPublisher events, Clock clock) {
    this.provisioner = provisioner;
    this.hookCalls = hookCalls;
    this.events = events;
    this.clock = clock;
  }

  @Override
  public String topicFilter() {
    return "$aws/provisioning-templates/+/provision/+";
  }

  @Override
  public void onPublish(ReservedTopicContext context, String topic, byte[] payload) {
    String[] levels = topic.split("/", -1);
    String template = levels[2];
    Optional<PayloadFormat> format = PayloadFormat.fromTopicLevel(levels[4]);
    if (format.isEmpty()) {
      log.debug("unknown provisioning topic ignored topic={}", topic);
      return;
    }
    if (callsHook(template)) {
      try {
        hookCalls.execute(() -> handle(context, topic, template, format.get(), payload));
      } catch (RejectedExecutionException e) {
        reply(
            context,
            topic,
            format.get(),
            "rejected",
            new IdentityMessages.ErrorResponse(
                429,
                "ThrottlingException",
                "too many provisioning requests are waiting for the pre-provisioning hook;"
                    + " retry later"));
      }
      return;
    }
    handle(context, topic, template, format.get(), payload);
  }

  private boolean callsHook(String template) {
    try {
      return provisioner.get().callsHook(template);
    } catch (TemplateException e) {
      return false; // not ready: handle() answers with the reason
    }
  }

  private void handle(
      ReservedTopicContext context,
      String topic,
      String template,
      PayloadFormat format,
      byte[] payload) {
    String caller = context.authorization().principalId();
    Object answer;
    String outcome;
    var details = new LinkedHashMap<String, String>();
    details.put("template", template);
    details.put("claimCertificateId", caller);
    try {
      JsonNode request = format.readRequest(payload);
      JsonNode token = request.get("certificateOwnershipToken");
      Provisioner.Registered registered =
          provisioner
              .get()
              .register(
                  template,
                  token == null || !token.isTextual() ? "" : token.asText(),
                  parameters(request),
                  caller,
                  context.clientId());
      answer =
          new RegisterThingResponse(
              registered.deviceConfiguration(), registered.thingName().orElse(null));
      outcome = "accepted";
      details.put("certificateId", registered.certificateId());
      registered.thingName().ifPresent(t -> details.put("thing", t));
      events.publish(
          new HubEvent(
              "provisioning.registered",
              clock.instant(),
              caller,
              registered.thingName().orElse(registered.certificateId()),
              HubEvent.SUCCESS,
              "",
              details));
    } catch (TemplateException | IdentityApiException e) {
      int status =
          e instanceof TemplateException t
              ? t.statusCode()
              : ((IdentityApiException) e).statusCode();
      String code =
          e instanceof TemplateException t ? t.errorCode() : ((IdentityApiException) e).errorCode();
      answer = new IdentityMessages.ErrorResponse(status, code, e.getMessage());
      outcome = "rejected";
      details.put("errorCode", code);
      events.publish(
          new HubEvent(
              "provisioning.rejected",
              clock.instant(),
              caller,
              template,
              HubEvent.DENIED,
              e.getMessage(),
              details));
      if (e.getCause() instanceof NotGenuineException clone) {
        cloneSuspected(clone, caller, context.clientId(), template);
      }
    } catch (RuntimeException e) {
      log.error("RegisterThing failed topic={} reason={}", topic, e.toString(), e);
      answer =
          new IdentityMessages.ErrorResponse(
              500, "InternalFailureException", "internal error; nothing was provisioned");
      outcome = "rejected";
      events.publish(
          new HubEvent(
              "provisioning.rejected",
              clock.instant(),
              caller,
              template,
              HubEvent.FAILURE,
              e.toString(),
              details));
    }
    reply(context, topic, format, outcome, answer);
  }

  private static void reply(
      ReservedTopicContext context,
      String topic,
      PayloadFormat format,
      String outcome,
      Object answer) {
    if (!context.replyToCaller(topic + "/" + outcome, format.write(answer), REPLY_QOS)) {
      log.info(
          "RegisterThing answer not delivered (caller not subscribed, denied iot:Receive or gone)"
              + " clientId={} topic={}/{}",
          context.clientId(),
          topic,
          outcome);
    }
  }

  /** Security event: a device claimed an identity that is not genuine, or not any more. */
  private void cloneSuspected(
      NotGenuineException clone, String claimCertificateId, String clientId, String template) {
    var details = new LinkedHashMap<String, String>();
    details.put("template", template);
    details.put("claimCertificateId", claimCertificateId);
    details.put("clientId", clientId);
    details.put("identityKind", clone.kind().wireName());
    details.put("identity", clone.value());
    details.put("why", clone.reason().name());
    clone.usedBy().filter(t -> !t.isEmpty()).ifPresent(t -> details.put("usedBy", t));
    events.publish(
        new HubEvent(
            "provisioning.clone_suspected",
            clock.instant(),
            claimCertificateId,
            clone.kind().wireName() + ":" + clone.value(),
            HubEvent.DENIED,
            clone.getMessage(),
            details));
  }

  /** {@code parameters}: a flat string map (reference §1.2); absent means none. */
  private static Map<String, String> parameters(JsonNode request) {
    JsonNode node = request.get("parameters");
    var out = new LinkedHashMap<String, String>();
    if (node == null || node.isNull()) {
      return out;
    }
    if (!node.isObject()) {
      throw IdentityApiException.invalid("parameters must be an object of strings");
    }
    node.fields()
        .forEachRemaining(
            field -> {
              if (!field.getValue().isValueNode() || field.getValue().isNull()) {
                throw IdentityApiException.invalid(
                    "parameters." + field.getKey() + " must be a string");
              }
              out.put(field.getKey(), field.getValue().asText());
            });
    return out;
  }
}
