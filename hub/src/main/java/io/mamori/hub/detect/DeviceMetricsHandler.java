package io.mamori.hub.detect;

import com.fasterxml.jackson.databind.JsonNode;
import io.mamori.hub.identity.IdentityApiException;
import io.mamori.hub.identity.PayloadFormat;
import io.mamori.hub.mqtt.ReservedTopicContext;
import io.mamori.hub.mqtt.ReservedTopicHandler;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device side of Detect (reference §8.4): reports published on {@code
 * $aws/things/T/defender/metrics/json} or {@code .../cbor} are validated, stored as datapoints and
 * answered on {@code .../accepted} or {@code .../rejected} in the request's encoding. The broker
 * already checked {@code iot:Publish} on the topic, so a gateway allowed to report for a thing may.
 */
final class DeviceMetricsHandler implements ReservedTopicHandler {
  private static final Logger log = LoggerFactory.getLogger(DeviceMetricsHandler.class);
  private static final String PREFIX = "$aws/things/";
  private static final String BRIDGE = "/defender/metrics/";
  private static final int MAX_THING_NAME_BYTES = 128;
  private static final int QOS = 1;

  private final Consumer<DeviceReport> sink;
  private final Consumer<Boolean> outcomes;
  private final Clock clock;

  /**
   * @param sink receives each accepted report
   * @param outcomes told {@code true} per accepted and {@code false} per rejected report
   */
  DeviceMetricsHandler(Consumer<DeviceReport> sink, Consumer<Boolean> outcomes, Clock clock) {
    this.sink = sink;
    this.outcomes = outcomes;
    this.clock = clock;
  }

  @Override
  public String topicFilter() {
    return "$aws/things/+/defender/metrics/+";
  }

  @Override
  public void onPublish(ReservedTopicContext context, String topic, byte[] payload) {
    Optional<Request> parsed = parse(topic);
    if (parsed.isEmpty()) {
      log.debug("defender topic ignored clientId={} topic={}", context.clientId(), topic);
      return;
    }
    Request request = parsed.get();
    Instant now = clock.instant();
    JsonNode body = null;
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("thingName", request.thing());
    boolean accepted;
    try {
      // §8.4: reports are rejected when the thing name is over 128 bytes or has control characters.
      if (!validThingName(request.thing())) {
        throw ReportRejection.invalid("thing name must be 1-128 bytes without control characters");
      }
      body = read(request.format(), payload);
      DeviceReport report = ReportParser.parse(request.thing(), body, now);
      sink.accept(report);
      answer.put("reportId", report.reportId());
      answer.put("status", "ACCEPTED");
      accepted = true;
    } catch (ReportRejection e) {
      OptionalLong id = e.reportId().isPresent() ? e.reportId() : ReportParser.reportIdOf(body);
      id.ifPresent(value -> answer.put("reportId", value));
      answer.put("status", "REJECTED");
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("ErrorCode", e.errorCode());
      details.put("ErrorMessage", e.getMessage());
      answer.put("statusDetails", details);
      accepted = false;
      log.info(
          "defender metrics report rejected clientId={} thing={} reason={}",
          context.clientId(),
          request.thing(),
          e.getMessage());
    }
    // §0: timestamps of $aws request/response answers are epoch seconds.
    answer.put("timestamp", now.getEpochSecond());
    outcomes.accept(accepted);
    context.replyToCaller(
        topic + (accepted ? "/accepted" : "/rejected"), request.format().write(answer), QOS);
  }

  private static JsonNode read(PayloadFormat format, byte[] payload) {
    if (payload.length == 0) {
      throw ReportRejection.invalid("the report is empty");
    }
    try {
      return format.readRequest(payload);
    } catch (IdentityApiException e) {
      throw ReportRejection.invalid(e.getMessage());
    }
  }

  static boolean validThingName(String thing) {
    if (thing.isEmpty() || thing.getBytes(StandardCharsets.UTF_8).length > MAX_THING_NAME_BYTES) {
      return false;
    }
    return thing.codePoints().noneMatch(Character::isISOControl);
  }

  private record Request(String thing, PayloadFormat format) {}

  private static Optional<Request> parse(String topic) {
    if (!topic.startsWith(PREFIX)) {
      return Optional.empty();
    }
    int bridge = topic.indexOf(BRIDGE, PREFIX.length());
    if (bridge < 0) {
      return Optional.empty();
    }
    String thing = topic.substring(PREFIX.length(), bridge);
    String level = topic.substring(bridge + BRIDGE.length());
    if (thing.contains("/")) {
      return Optional.empty();
    }
    return PayloadFormat.fromTopicLevel(level).map(format -> new Request(thing, format));
  }
}
