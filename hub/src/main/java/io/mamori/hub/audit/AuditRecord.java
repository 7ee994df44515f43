package io.mamori.hub.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * One line of the audit log: its place in the chain, when it was appended, what it says, and the
 * hashes that link it to the line before.
 *
 * @param seq position in the chain, 1 for the first record ever, no gaps
 * @param time when the hub appended it
 * @param kind {@link #EVENT}, {@link #CHECKPOINT}, {@link #GAP} or {@link #RECOVERY}
 * @param body what the record says, under the key named by {@code kind}
 * @param prev hex SHA-256 hash of the record before (64 zeros for the first)
 * @param hash hex SHA-256 of {@code prev}'s 32 bytes followed by the canonical bytes of this record
 */
public record AuditRecord(
    long seq, Instant time, String kind, ObjectNode body, String prev, String hash) {
  /** A hub event, exactly as it was published. */
  public static final String EVENT = "event";

  /** A signature by the hub audit key over the chain up to the record before it. */
  public static final String CHECKPOINT = "checkpoint";

  /** Events the hub could not append because the queue was full: how many and when. */
  public static final String GAP = "gap";

  /** The hub found and cut off a torn last line after a crash; the bytes were kept aside. */
  public static final String RECOVERY = "recovery";

  /** The hash that links the first record: 32 zero bytes. */
  public static final String GENESIS = "0".repeat(64);
}
