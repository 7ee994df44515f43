package io.mamori.hub.shadow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mamori.hub.events.EventPublisher;
import io.mamori.hub.events.HubEvent;
import io.mamori.hub.registry.ThingRepository;
import io.mamori.hub.registry.Transactor;
import io.mamori.hub.shadow.ShadowResult.ShadowMessage;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Device shadows (reference §4): get, update and delete of classic and named shadows with AWS's
 * merge, version, metadata and delta rules. Each update reads, checks the expected version and
 * writes in one transaction, so two concurrent updates can never both win. Devices reach it through
 * {@link ShadowTopicHandler}, operators through the admin API; both get the same documents.
 *
 * <p>Other parts of the hub read shadows through {@link #reported} and {@link #reportedValue}, and
 * learn of changes from the {@code shadow.updated} / {@code shadow.deleted} events (subject: the
 * thing name, detail {@code shadowName}, empty for the classic shadow).
 */
public final class ShadowService {
  private static final Logger log = LoggerFactory.getLogger(ShadowService.class);
  private static final String INTERNAL_FAILURE = "Internal service failure";

  private final ShadowRepository shadows;
  private final ThingRepository things;
  private final Transactor transactor;
  private final EventPublisher events;
  private final Clock clock;

  public ShadowService(
      ShadowRepository shadows,
      ThingRepository things,
      Transactor transactor,
      EventPublisher events,
      Clock clock) {
    this.shadows = shadows;
    this.things = things;
    this.transactor = transactor;
    this.events = events;
    this.clock = clock;
  }

  /** {@code /get}: the whole document with its delta; 404 when the shadow does not exist. */
  public ShadowResult get(ShadowKey key, byte[] payload) {
    return answer(
        key,
        ShadowOperation.GET,
        payload,
        () -> {
          ShadowRequest request = ShadowRequest.tokenOnly(payload);
          Instant now = clock.instant();
          StoredShadow shadow = transactor.inTransaction(() -> existing(key));
          ObjectNode state = shadow.state().deepCopy();
          ObjectNode delta =
              ShadowDocuments.delta(
                  state.get(ShadowDocuments.DESIRED), state.get(ShadowDocuments.REPORTED));
          if (!delta.isEmpty()) {
            state.set("delta", delta);
          }
          ObjectNode body = ShadowRequest.JSON.createObjectNode();
          body.set("state", state);
          body.set("metadata", shadow.metadata().deepCopy());
          body.put("version", shadow.version());
          return accepted(key, ShadowOperation.GET, body, now, request, List.of());
        });
  }

  /**
   * {@code /update}: merges the request into the shadow (creating it), answers with the echo of the
   * request, and adds {@code /update/delta} when desired now differs from reported in a key this
   * request desired, and always {@code /update/documents}.
   */
  public ShadowResult update(ShadowKey key, byte[] payload, String actor) {
    return answer(
        key,
        ShadowOperation.UPDATE,
        payload,
        () -> {
          ShadowRequest request = ShadowRequest.update(payload);
          Instant now = clock.instant();
          long seconds = now.getEpochSecond();
          Change change = transactor.inTransaction(() -> applyUpdate(key, request, now));
          events.publish(event("shadow.updated", now, actor, key, change.current().version()));
          return accepted(
              key,
              ShadowOperation.UPDATE,
              updateEcho(request, seconds, change.current().version()),
              now,
              request,
              updateNotifications(key, request, change, seconds));
        });
  }

  /** {@code /delete}: removes the state but keeps the version counter (reference §4.2). */
  public ShadowResult delete(ShadowKey key, byte[] payload, String actor) {
    return answer(
        key,
        ShadowOperation.DELETE,
        payload,
        () -> {
          ShadowRequest request = ShadowRequest.tokenOnly(payload);
          Instant now = clock.instant();
          long version =
              transactor.inTransaction(
                  () -> {
                    StoredShadow shadow = existing(key);
                    var empty = ShadowRequest.JSON.createObjectNode();
                    shadows.save(
                        new StoredShadow(
                            key, empty, empty.deepCopy(), shadow.version(), true, now));
                    return shadow.version();
                  });
          events.publish(event("shadow.deleted", now, actor, key, version));
          ObjectNode body = ShadowRequest.JSON.createObjectNode().put("version", version);
          return accepted(key, ShadowOperation.DELETE, body, now, request, List.of());
        });
  }

  /**
   * Names of the thing's named shadows (AWS ListNamedShadowsForThing).
   *
   * @throws ShadowRejection 404 when the thing does not exist
   */
  public List<String> namedShadows(String thing) {
    return transactor.inTransaction(
        () -> {
          requireThing(thing);
          return shadows.namedShadows(thing);
        });
  }

  /**
   * The {@code reported} section of a shadow, when the shadow exists and has one. For readers such
   * as dynamic thing groups; never blocks on anything but the database.
   */
  public Optional<ObjectNode> reported(ShadowKey key) {
    return shadows
        .find(key)
        .filter(s -> !s.deleted())
        .map(s -> s.state().get(ShadowDocuments.REPORTED))
        .filter(JsonNode::isObject)
        .map(r -> ((ObjectNode) r).deepCopy());
  }

  /**
   * One reported value by a dotted path, e.g. {@code firmware.version} for {@code {"reported":
   * {"firmware": {"version": "1.2"}}}}; empty when the shadow or the path does not exist.
   */
  public Optional<JsonNode> reportedValue(ShadowKey key, String path) {
    Optional<ObjectNode> reported = reported(key);
    if (reported.isEmpty() || path.isEmpty()) {
      return Optional.empty();
    }
    JsonNode node = reported.get();
    for (String field : path.split("\\.", -1)) {
      node = node.get(field);
      if (node == null) {
        return Optional.empty();
      }
    }
    return Optional.of(node);
  }

  private Change applyUpdate(ShadowKey key, ShadowRequest request, Instant now) {
    requireThing(key.thing());
    Optional<StoredShadow> stored = shadows.find(key);
    long currentVersion = stored.map(StoredShadow::version).orElse(0L);
    if (request.version().isPresent() && request.version().get() != currentVersion) {
      throw new ShadowRejection(409, ShadowRejection.VERSION_CONFLICT);
    }
    Optional<StoredShadow> previous = stored.filter(s -> !s.deleted());
    ObjectNode state =
        previous.map(s -> s.state().deepCopy()).orElseGet(ShadowRequest.JSON::createObjectNode);
    ObjectNode metadata =
        previous.map(s -> s.metadata().deepCopy()).orElseGet(ShadowRequest.JSON::createObjectNode);
    ShadowDocuments.apply(state, metadata, request.state(), now.getEpochSecond());
    if (ShadowRequest.utf8Length(state) > ShadowRequest.MAX_STATE_BYTES) {
      throw new ShadowRejection(413, ShadowRejection.TOO_LARGE);
    }
    var current = new StoredShadow(key, state, metadata, currentVersion + 1, false, now);
    shadows.save(current);
    return new Change(previous, current);
  }

  private ObjectNode updateEcho(ShadowRequest request, long seconds, long version) {
    ObjectNode body = ShadowRequest.JSON.createObjectNode();
    body.set("state", request.state().deepCopy());
    ObjectNode metadata = body.putObject("metadata");
    request
        .state()
        .properties()
        .forEach(e -> metadata.set(e.getKey(), ShadowDocuments.metadataOf(e.getValue(), seconds)));
    body.put("version", version);
    return body;
  }

  private List<ShadowMessage> updateNotifications(
      ShadowKey key, ShadowRequest request, Change change, long seconds) {
    List<ShadowMessage> out = new ArrayList<>();
    ObjectNode state = change.current().state();
    ObjectNode delta =
        ShadowDocuments.delta(
            state.get(ShadowDocuments.DESIRED), state.get(ShadowDocuments.REPORTED));
    if (!delta.isEmpty()
        && ShadowDocuments.touches(delta, request.state().get(ShadowDocuments.DESIRED))) {
      ObjectNode body = ShadowRequest.JSON.createObjectNode();
      body.put("version", change.current().version());
      body.put("timestamp", seconds);
      body.set("state", delta);
      body.set(
          "metadata",
          ShadowDocuments.project(delta, change.current().metadata().get(ShadowDocuments.DESIRED)));
      request.clientToken().ifPresent(t -> body.put("clientToken", t));
      out.add(new ShadowMessage(key.topicPrefix() + "/update/delta", bytes(body)));
    }
    ObjectNode documents = ShadowRequest.JSON.createObjectNode();
    change.previous().ifPresent(p -> documents.set("previous", snapshot(p)));
    documents.set("current", snapshot(change.current()));
    documents.put("timestamp", seconds);
    request.clientToken().ifPresent(t -> documents.put("clientToken", t));
    out.add(new ShadowMessage(key.topicPrefix() + "/update/documents", bytes(documents)));
    return out;
  }

  private static ObjectNode snapshot(StoredShadow shadow) {
    ObjectNode snapshot = ShadowRequest.JSON.createObjectNode();
    snapshot.set("state", shadow.state().deepCopy());
    snapshot.set("metadata", shadow.metadata().deepCopy());
    snapshot.put("version", shadow.version());
    return snapshot;
  }

  private StoredShadow existing(ShadowKey key) {
    requireThing(key.thing());
    return shadows
        .find(key)
        .filter(s -> !s.deleted())
        .orElseThrow(() -> ShadowRejection.noShadow(key));
  }

  private void requireThing(String thing) {
    if (things.find(thing).isEmpty()) {
      throw new ShadowRejection(404, ShadowRejection.THING_NOT_FOUND);
    }
  }

  /** Runs one request; any refusal or failure becomes the rejected document AWS would send. */
  private ShadowResult answer(
      ShadowKey key, ShadowOperation operation, byte[] payload, Supplier<ShadowResult> work) {
    try {
      if (!key.isClassic() && !ShadowKey.validName(key.name())) {
        throw ShadowRejection.badRequest("Invalid shadow name");
      }
      return work.get();
    } catch (ShadowRejection e) {
      log.debug(
          "shadow request rejected shadow={} operation={} code={} reason={}",
          key,
          operation.topicLevel(),
          e.code(),
          e.getMessage());
      return rejected(key, operation, e.code(), e.getMessage(), payload);
    } catch (RuntimeException e) {
      log.error(
          "shadow request failed shadow={} operation={} reason={}",
          key,
          operation.topicLevel(),
          e.toString(),
          e);
      return rejected(key, operation, 500, INTERNAL_FAILURE, payload);
    }
  }

  private ShadowResult accepted(
      ShadowKey key,
      ShadowOperation operation,
      ObjectNode body,
      Instant now,
      ShadowRequest request,
      List<ShadowMessage> notifications) {
    body.put("timestamp", now.getEpochSecond());
    request.clientToken().ifPresent(t -> body.put("clientToken", t));
    return new ShadowResult(key, operation, 200, body, notifications);
  }

  private ShadowResult rejected(
      ShadowKey key, ShadowOperation operation, int code, String message, byte[] payload) {
    ObjectNode body = ShadowRequest.JSON.createObjectNode();
    body.put("code", code);
    body.put("message", message);
    body.put("timestamp", clock.instant().getEpochSecond());
    ShadowRequest.tokenOf(payload).ifPresent(t -> body.put("clientToken", t));
    return new ShadowResult(key, operation, code, body, List.of());
  }

  private HubEvent event(String type, Instant at, String actor, ShadowKey key, long version) {
    return new HubEvent(
        type,
        at,
        actor,
        key.thing(),
        HubEvent.SUCCESS,
        "",
        Map.of("shadowName", key.name(), "version", Long.toString(version)));
  }

  static byte[] bytes(JsonNode node) {
    try {
      return ShadowRequest.JSON.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize a JSON tree", e);
    }
  }

  /** An accepted update: the shadow before (absent when it did not exist) and after. */
  private record Change(Optional<StoredShadow> previous, StoredShadow current) {}
}
