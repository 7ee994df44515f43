package io.mamori.hub.mqtt.session;

/** What happened to one message offered to one session. */
public enum Offer {
  /** Written to the client (QoS 0) or sent and awaiting PUBACK (QoS 1). */
  SENT,
  /** QoS 1 kept for later: in-flight window full or client offline with a persistent session. */
  QUEUED,
  /** {@code iot:Receive} denied it. */
  DENIED,
  /** Not delivered: QoS 0 for an offline client. */
  DROPPED,
  /** Refused: the session's queue already holds {@code maxQueuedMessagesPerSession}. */
  QUEUE_FULL
}
