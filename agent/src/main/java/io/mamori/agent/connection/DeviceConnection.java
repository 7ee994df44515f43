package io.mamori.agent.connection;

import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import io.mamori.agent.AgentException;
import io.mamori.agent.credentials.DeviceCredentials;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One MQTT 5 connection of a device to the hub over mutual TLS (HiveMQ MQTT client). Closing it
 * sends DISCONNECT.
 */
public final class DeviceConnection implements AutoCloseable {
  private final Mqtt5AsyncClient client;
  private final String clientId;
  private final Duration timeout;

  private DeviceConnection(Mqtt5AsyncClient client, String clientId, Duration timeout) {
    this.client = client;
    this.clientId = clientId;
    this.timeout = timeout;
  }

  /**
   * Connects with a clean session and waits for CONNACK.
   *
   * @throws AgentException naming the reason: TLS refused, CONNACK refused (with its reason code),
   *     no answer in time
   */
  public static DeviceConnection open(
      Endpoint endpoint, DeviceCredentials credentials, String clientId, Duration timeout) {
    Mqtt5AsyncClient client =
        Mqtt5Client.builder()
            .identifier(clientId)
            .serverHost(endpoint.host())
            .serverPort(endpoint.port())
            .sslConfig(MutualTls.config(credentials))
            .buildAsync();
    try {
      client
          .connectWith()
          .cleanStart(true)
          .keepAlive(60)
          .send()
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new AgentException(
          "connect to "
              + endpoint
              + " as "
              + clientId
              + " with "
              + credentials.certificateFile()
              + " refused: "
              + reason(e.getCause()),
          e.getCause());
    } catch (TimeoutException e) {
      client.disconnect();
      throw new AgentException(
          "connect to " + endpoint + " got no answer within " + timeout.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AgentException("interrupted while connecting");
    }
    return new DeviceConnection(client, clientId, timeout);
  }

  private static String reason(Throwable cause) {
    if (cause instanceof Mqtt5ConnAckException connAck) {
      return "CONNACK " + connAck.getMqttMessage().getReasonCode();
    }
    String message = cause.getMessage();
    Throwable root = cause;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    if (root != cause && root.getMessage() != null) {
      message = message + " (" + root.getMessage() + ")";
    }
    return message == null ? cause.getClass().getSimpleName() : message;
  }

  public Mqtt5AsyncClient client() {
    return client;
  }

  public String clientId() {
    return clientId;
  }

  /** How long a step (subscribe, publish, answer) may take. */
  public Duration timeout() {
    return timeout;
  }

  public RequestResponse requests() {
    return new RequestResponse(client, timeout);
  }

  @Override
  public void close() {
    try {
      client.disconnect().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // already closed by the hub or the network: nothing left to release
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
