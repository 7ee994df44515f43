package io.mamori.hub.mqtt.connection;

/**
 * Why a connection ended, with AWS IoT's lifecycle names (reference §7.6) and whether the last will
 * is published for it.
 */
public enum DisconnectReason {
  CLIENT_INITIATED_DISCONNECT(false),
  CONNECTION_LOST(true),
  DUPLICATE_CLIENTID(true),
  MQTT_KEEP_ALIVE_TIMEOUT(true),
  CLIENT_ERROR(true),
  AUTH_ERROR(true),
  SERVER_INITIATED_DISCONNECT(true);

  private final boolean publishesWill;

  DisconnectReason(boolean publishesWill) {
    this.publishesWill = publishesWill;
  }

  /** Reference §7.6 table, column LWT. */
  public boolean publishesWill() {
    return publishesWill;
  }
}
