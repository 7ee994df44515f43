package io.mamori.agent.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import io.mamori.agent.AgentException;
import io.mamori.agent.connection.DeviceConnection;
import io.mamori.agent.connection.RequestResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The device's job loop over the AWS Jobs MQTT API (reference §3.1): subscribe to {@code
 * notify-next}, then repeatedly {@code start-next} (which moves the next execution to IN_PROGRESS),
 * run it with the handler of its {@code operation}, and report SUCCEEDED or FAILED (statusDetails
 * {@code reason}) on {@code <jobId>/update}. Unknown operations are REJECTED. Jobs run one at a
 * time on the caller's thread; MQTT callbacks only wake the loop.
 */
public final class JobRunner {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Supplier<DeviceConnection> connect;
  private final Map<String, JobHandler> handlers;
  private final Consumer<String> progress;
  private final Semaphore wake = new Semaphore(0);
  private volatile boolean stopped;

  /**
   * @param connect opens a new connection with the device's credentials (used again after a reboot)
   * @param progress one line per step, for logs
   */
  public JobRunner(
      Supplier<DeviceConnection> connect, List<JobHandler> handlers, Consumer<String> progress) {
    this.connect = connect;
    this.handlers =
        handlers.stream().collect(Collectors.toUnmodifiableMap(JobHandler::operation, h -> h));
    this.progress = progress;
  }

  /**
   * Runs jobs until {@link #stop()}, an interrupt, or a job that ends the agent (factory reset).
   *
   * @return true when a job ended the agent
   */
  public boolean run() {
    while (!stopped) {
      try (DeviceConnection connection = connect.get()) {
        subscribeNotifyNext(connection);
        Optional<Boolean> ended = session(connection);
        if (ended.isPresent()) {
          return ended.get();
        }
        progress.accept("restarting (simulated reboot): reconnecting");
      }
    }
    return false;
  }

  /** Ends {@link #run()} after the current job. */
  public void stop() {
    stopped = true;
    wake.release();
  }

  /** Empty when the device must restart (reconnect); else whether a job ended the agent. */
  private Optional<Boolean> session(DeviceConnection connection) {
    while (!stopped) {
      Optional<Execution> next = startNext(connection);
      if (next.isEmpty()) {
        try {
          // notify-next wakes us; the periodic poll covers a notification lost while reconnecting.
          wake.tryAcquire(30, TimeUnit.SECONDS);
          wake.drainPermits();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return Optional.of(false);
        }
        if (Thread.currentThread().isInterrupted()) {
          return Optional.of(false);
        }
        continue;
      }
      Execution execution = next.get();
      JobOutcome outcome = execute(execution, connection);
      if (outcome instanceof JobOutcome.Restart) {
        return Optional.empty();
      }
      if (outcome instanceof JobOutcome.Succeeded ok) {
        report(connection, execution, "SUCCEEDED", ok.details());
        if (ok.exit()) {
          progress.accept("job " + execution.jobId() + " ended the agent");
          return Optional.of(true);
        }
      } else if (outcome instanceof JobOutcome.Failed failed) {
        Map<String, String> details = new java.util.LinkedHashMap<>(failed.details());
        details.put("reason", failed.reason());
        // Reference §3.3: REJECTED is the device declining a job it cannot run at all.
        String status = handlers.containsKey(execution.operation()) ? "FAILED" : "REJECTED";
        report(connection, execution, status, details);
      }
    }
    return Optional.of(false);
  }

  private JobOutcome execute(Execution execution, DeviceConnection connection) {
    JobHandler handler = handlers.get(execution.operation());
    progress.accept("job " + execution.jobId() + " operation=" + execution.operation());
    if (handler == null) {
      return new JobOutcome.Failed("unknown operation '" + execution.operation() + "'");
    }
    try {
      return handler.run(execution, connection);
    } catch (AgentException e) {
      return new JobOutcome.Failed(e.getMessage());
    }
  }

  private void subscribeNotifyNext(DeviceConnection connection) {
    String topic = "$aws/things/" + connection.clientId() + "/jobs/notify-next";
    try {
      connection
          .client()
          .subscribeWith()
          .topicFilter(topic)
          .qos(MqttQos.AT_LEAST_ONCE)
          .callback(p -> wake.release())
          .send()
          .get(connection.timeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new AgentException("subscribe to " + topic + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AgentException("interrupted while subscribing");
    }
  }

  private Optional<Execution> startNext(DeviceConnection connection) {
    ObjectNode request = JSON.createObjectNode().put("clientToken", token());
    JsonNode answer =
        answer(connection, "$aws/things/" + connection.clientId() + "/jobs/start-next", request);
    JsonNode execution = answer.path("execution");
    if (!execution.has("jobId")) {
      return Optional.empty();
    }
    return Optional.of(
        new Execution(
            execution.path("jobId").asText(),
            execution.path("jobDocument"),
            execution.path("versionNumber").asLong()));
  }

  private void report(
      DeviceConnection connection,
      Execution execution,
      String status,
      Map<String, String> details) {
    ObjectNode request = JSON.createObjectNode().put("status", status);
    ObjectNode statusDetails = request.putObject("statusDetails");
    details.forEach(statusDetails::put);
    request.put("clientToken", token());
    answer(
        connection,
        "$aws/things/" + connection.clientId() + "/jobs/" + execution.jobId() + "/update",
        request);
    progress.accept("job " + execution.jobId() + " " + status + " " + details);
  }

  private static JsonNode answer(DeviceConnection connection, String topic, ObjectNode request) {
    RequestResponse.Answer answer;
    try {
      answer = connection.requests().request(topic, JSON.writeValueAsBytes(request));
      if (!answer.accepted()) {
        throw new AgentException(topic + " rejected: " + new String(answer.payload()));
      }
      return JSON.readTree(answer.payload());
    } catch (IOException e) {
      throw new AgentException(topic + ": unreadable answer: " + e.getMessage(), e);
    }
  }

  private static String token() {
    return Long.toHexString(System.nanoTime());
  }
}
