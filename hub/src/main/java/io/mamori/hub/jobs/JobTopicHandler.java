package io.mamori.hub.jobs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mamori.hub.events.EventPublisher;
import io.mamori.hub.events.HubEvent;
import io.mamori.hub.mqtt.ReservedTopicContext;
import io.mamori.hub.mqtt.ReservedTopicHandler;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device side of jobs: requests on {@code $aws/things/T/jobs/get|start-next|J/get|J/update}
 * (reference §3.1), answered on {@code .../accepted} or {@code .../rejected} to the requester
 * alone. A connection acts only on its own thing's executions: T must be its client id and attached
 * to its certificate (the connection's thing, reference §5.4); anything else is refused, fail
 * closed, even when a policy would let it publish there.
 */
public final class JobTopicHandler implements ReservedTopicHandler {
  private static final Logger log = LoggerFactory.getLogger(JobTopicHandler.class);
  private static final int QOS = 1;

  private final Supplier<JobService> jobs;
  private final BiPredicate<String, String> certificateHasThing;
  private final EventPublisher events;
  private final Clock clock;

  /**
   * @param certificateHasThing (certificate id, thing name) → whether the thing is attached
   */
  public JobTopicHandler(
      Supplier<JobService> jobs,
      BiPredicate<String, String> certificateHasThing,
      EventPublisher events,
      Clock clock) {
    this.jobs = jobs;
    this.certificateHasThing = certificateHasThing;
    this.events = events;
    this.clock = clock;
  }

  @Override
  public String topicFilter() {
    return "$aws/things/+/jobs/#";
  }

  @Override
  public void onPublish(ReservedTopicContext context, String topic, byte[] payload) {
    Optional<Request> parsed = parse(topic);
    if (parsed.isEmpty()) {
      // E.g. a publish on .../notify or .../accepted: only the service publishes those.
      log.debug("jobs topic ignored clientId={} topic={}", context.clientId(), topic);
      return;
    }
    Request request = parsed.get();
    long now = clock.instant().getEpochSecond();
    Optional<String> token = Optional.empty();
    ObjectNode answer;
    boolean accepted;
    try {
      ObjectNode body = DeviceRequests.parse(payload);
      token = DeviceRequests.clientToken(body);
      if (!ownThing(context, request.thing())) {
        events.publish(
            new HubEvent(
                "job.request",
                clock.instant(),
                context.clientId(),
                request.thing(),
                HubEvent.DENIED,
                "not the connection's thing",
                Map.of("topic", topic)));
        throw new JobRejection(
            JobRejection.INVALID_REQUEST,
            "thing " + request.thing() + " is not the thing of this connection");
      }
      answer = handle(request, body);
      accepted = true;
    } catch (JobRejection e) {
      answer = rejection(e);
      accepted = false;
    } catch (JobException e) {
      answer = rejection(new JobRejection(JobRejection.RESOURCE_NOT_FOUND, e.getMessage()));
      accepted = false;
    } catch (RuntimeException e) {
      log.error("jobs request failed topic={} reason={}", topic, e.toString(), e);
      answer = rejection(new JobRejection(JobRejection.INTERNAL_ERROR, "Internal service error"));
      accepted = false;
    }
    answer.put("timestamp", now);
    ObjectNode out = answer;
    token.ifPresent(t -> out.put("clientToken", t));
    context.replyToCaller(topic + (accepted ? "/accepted" : "/rejected"), JobJson.bytes(out), QOS);
  }

  private boolean ownThing(ReservedTopicContext context, String thing) {
    return context.clientId().equals(thing)
        && certificateHasThing.test(context.authorization().principalId(), thing);
  }

  private ObjectNode handle(Request request, ObjectNode body) {
    JobService service = jobs.get();
    String thing = request.thing();
    ObjectNode answer = JobJson.JSON.createObjectNode();
    switch (request.operation()) {
      case GET_PENDING -> {
        List<JobExecution> pending = service.pending(thing);
        var inProgress = answer.putArray("inProgressJobs");
        var queued = answer.putArray("queuedJobs");
        for (JobExecution e : pending) {
          (e.status() == ExecutionStatus.IN_PROGRESS ? inProgress : queued).add(JobJson.summary(e));
        }
      }
      case START_NEXT -> {
        var details = DeviceRequests.statusDetails(body);
        DeviceRequests.stepTimeout(body);
        service
            .startNext(thing, details)
            .ifPresent(v -> answer.set("execution", JobJson.executionData(v, true)));
      }
      case DESCRIBE -> {
        var number = DeviceRequests.optionalLong(body, "executionNumber");
        boolean document = DeviceRequests.optionalBoolean(body, "includeJobDocument").orElse(true);
        service
            .describeExecution(thing, request.jobId(), number)
            .ifPresent(v -> answer.set("execution", JobJson.executionData(v, document)));
      }
      case UPDATE -> {
        if (request.jobId().equals(JobService.NEXT)) {
          throw new JobRejection(JobRejection.INVALID_TOPIC, "$next cannot be updated");
        }
        UpdateRequest update = DeviceRequests.update(body);
        ExecutionView view = service.update(thing, request.jobId(), update);
        if (update.includeJobExecutionState()) {
          answer.set("executionState", JobJson.state(view.execution()));
        }
        if (update.includeJobDocument()) {
          answer.set("jobDocument", view.jobDocument().deepCopy());
        }
      }
      default -> throw new IllegalStateException("unknown operation " + request.operation());
    }
    return answer;
  }

  private static ObjectNode rejection(JobRejection e) {
    ObjectNode node =
        JobJson.JSON.createObjectNode().put("code", e.code()).put("message", e.getMessage());
    e.executionState().ifPresent(s -> node.set("executionState", JobJson.state(s)));
    return node;
  }

  /** A request topic's thing, operation and job; empty for any other topic under the filter. */
  static Optional<Request> parse(String topic) {
    String[] levels = topic.split("/", -1);
    if (levels.length < 5 || levels[2].isEmpty()) {
      return Optional.empty();
    }
    String thing = levels[2];
    if (levels.length == 5) {
      return switch (levels[4]) {
        case "get" -> Optional.of(new Request(thing, Operation.GET_PENDING, ""));
        case "start-next" -> Optional.of(new Request(thing, Operation.START_NEXT, ""));
        default -> Optional.empty();
      };
    }
    if (levels.length == 6 && !levels[4].isEmpty()) {
      return switch (levels[5]) {
        case "get" -> Optional.of(new Request(thing, Operation.DESCRIBE, levels[4]));
        case "update" -> Optional.of(new Request(thing, Operation.UPDATE, levels[4]));
        default -> Optional.empty();
      };
    }
    return Optional.empty();
  }

  enum Operation {
    GET_PENDING,
    START_NEXT,
    DESCRIBE,
    UPDATE
  }

  /** One parsed request topic; {@code jobId} empty for get and start-next. */
  record Request(String thing, Operation operation, String jobId) {}
}
