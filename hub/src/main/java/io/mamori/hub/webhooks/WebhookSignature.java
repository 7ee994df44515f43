package io.mamori.hub.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How deliveries are signed, and how a receiver checks them. The MAC covers the timestamp header
 * and the raw body ({@code timestamp + "." + body}), so a captured delivery cannot be replayed with
 * a fresh timestamp; receivers refuse timestamps outside their replay window.
 */
public final class WebhookSignature {
  /** Unix seconds when the hub sent this attempt. */
  public static final String TIMESTAMP_HEADER = "X-Mamori-Timestamp";

  /** {@code v1=} and the lower-case hex HMAC-SHA256. */
  public static final String SIGNATURE_HEADER = "X-Mamori-Signature";

  /** The event type, e.g. {@code defender.alarm.active}. */
  public static final String EVENT_HEADER = "X-Mamori-Event";

  /** The same on every attempt of one delivery, so a receiver can drop duplicates. */
  public static final String DELIVERY_HEADER = "X-Mamori-Delivery";

  /** The window the hub's documentation recommends receivers enforce. */
  public static final Duration DEFAULT_REPLAY_WINDOW = Duration.ofMinutes(5);

  private static final String VERSION = "v1=";

  private WebhookSignature() {}

  /** The value of {@link #SIGNATURE_HEADER} for this body sent at {@code timestamp}. */
  public static String sign(String secret, long timestamp, byte[] body) {
    return VERSION + HexFormat.of().formatHex(mac(secret, timestamp, body));
  }

  /**
   * What a receiver does: recompute the MAC over the raw body as received and compare in constant
   * time, and refuse a timestamp further than {@code window} from its own clock.
   */
  public static boolean verify(
      String secret,
      String timestampHeader,
      String signatureHeader,
      byte[] body,
      Instant now,
      Duration window) {
    if (timestampHeader == null || signatureHeader == null) {
      return false;
    }
    long timestamp;
    try {
      timestamp = Long.parseLong(timestampHeader.strip());
    } catch (NumberFormatException e) {
      return false;
    }
    if (Math.abs(now.getEpochSecond() - timestamp) > window.toSeconds()) {
      return false;
    }
    byte[] expected = sign(secret, timestamp, body).getBytes(StandardCharsets.US_ASCII);
    byte[] given = signatureHeader.strip().getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(expected, given);
  }

  private static byte[] mac(String secret, long timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
      return mac.doFinal(body);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }
}
