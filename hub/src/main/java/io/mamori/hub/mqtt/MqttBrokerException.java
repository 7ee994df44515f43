package io.mamori.hub.mqtt;

/** The broker could not start (e.g. the port is taken). */
public final class MqttBrokerException extends RuntimeException {
  public MqttBrokerException(String message, Throwable cause) {
    super(message, cause);
  }
}
