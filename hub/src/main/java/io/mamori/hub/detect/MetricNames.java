package io.mamori.hub.detect;

import java.util.Set;

/**
 * The metrics a behaviour may watch: the AWS names of reference §8.3 where the hub measures the
 * same thing, and {@code mamori:} names for what AWS does not define (bytes per device, distinct
 * source addresses, unexpected disconnects, time since last contact).
 */
public final class MetricNames {
  // Cloud-side, reference §8.3 (counted by the hub per client id).
  public static final String MESSAGES_SENT = "aws:num-messages-sent";
  public static final String MESSAGES_RECEIVED = "aws:num-messages-received";
  public static final String MESSAGE_BYTE_SIZE = "aws:message-byte-size";
  public static final String AUTHORIZATION_FAILURES = "aws:num-authorization-failures";
  public static final String CONNECTION_ATTEMPTS = "aws:num-connection-attempts";
  public static final String DISCONNECTS = "aws:num-disconnects";
  // Cloud-side, hub extensions.
  public static final String BYTES_SENT = "mamori:num-bytes-sent";
  public static final String BYTES_RECEIVED = "mamori:num-bytes-received";
  public static final String SOURCE_ADDRESSES = "mamori:num-source-ip-addresses";
  public static final String UNEXPECTED_DISCONNECTS = "mamori:num-unexpected-disconnects";
  public static final String SECONDS_SINCE_CONTACT = "mamori:seconds-since-last-contact";
  // Device-side, reference §8.3 / §8.4.
  public static final String ALL_BYTES_OUT = "aws:all-bytes-out";
  public static final String ALL_BYTES_IN = "aws:all-bytes-in";
  public static final String ALL_PACKETS_OUT = "aws:all-packets-out";
  public static final String ALL_PACKETS_IN = "aws:all-packets-in";
  public static final String LISTENING_TCP_PORTS = "aws:num-listening-tcp-ports";
  public static final String LISTENING_UDP_PORTS = "aws:num-listening-udp-ports";
  public static final String ESTABLISHED_TCP = "aws:num-established-tcp-connections";

  /** Counted by the hub, one datapoint per evaluation period. */
  public static final Set<String> CLOUD_SIDE =
      Set.of(
          MESSAGES_SENT,
          MESSAGES_RECEIVED,
          MESSAGE_BYTE_SIZE,
          AUTHORIZATION_FAILURES,
          CONNECTION_ATTEMPTS,
          DISCONNECTS,
          BYTES_SENT,
          BYTES_RECEIVED,
          SOURCE_ADDRESSES,
          UNEXPECTED_DISCONNECTS,
          SECONDS_SINCE_CONTACT);

  /** Reported by the device on {@code $aws/things/T/defender/metrics/...}, one per report. */
  public static final Set<String> DEVICE_SIDE =
      Set.of(
          ALL_BYTES_OUT,
          ALL_BYTES_IN,
          ALL_PACKETS_OUT,
          ALL_PACKETS_IN,
          LISTENING_TCP_PORTS,
          LISTENING_UDP_PORTS,
          ESTABLISHED_TCP);

  /** Custom device metrics (reference §8.4 {@code custom_metrics}) are named {@code cmet:NAME}. */
  public static final String CUSTOM_PREFIX = "cmet:";

  private MetricNames() {}

  /** Whether a behaviour may name this metric. */
  public static boolean known(String metric) {
    return CLOUD_SIDE.contains(metric)
        || DEVICE_SIDE.contains(metric)
        || (metric.startsWith(CUSTOM_PREFIX) && metric.length() > CUSTOM_PREFIX.length());
  }

  /** Device-side (one datapoint per report) rather than counted by the hub. */
  public static boolean deviceSide(String metric) {
    return DEVICE_SIDE.contains(metric) || metric.startsWith(CUSTOM_PREFIX);
  }
}
