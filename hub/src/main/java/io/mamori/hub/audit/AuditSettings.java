package io.mamori.hub.audit;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How the audit log is kept: whether at all, checkpoint cadence, queue and segment sizes, and where
 * copies go.
 *
 * @param enabled false only to measure the broker without it; the hub warns at start
 * @param checkpointEvery a signed checkpoint after this many records at most
 * @param checkpointInterval and at least this often while records arrive
 * @param queueCapacity events waiting for the writer; beyond it they are counted in a gap record
 * @param segmentBytes a new segment file starts once the current one reaches this size
 * @param copyDir a second directory that receives a byte-for-byte copy of every segment
 * @param copyUrl an HTTPS endpoint that receives every record by POST, in order
 * @param copyCa PEM certificates to trust for {@code copyUrl} (default: the JDK's trust store)
 * @param copyToken sent as {@code Authorization: Bearer} to {@code copyUrl}
 */
public record AuditSettings(
    boolean enabled,
    int checkpointEvery,
    Duration checkpointInterval,
    int queueCapacity,
    long segmentBytes,
    Optional<Path> copyDir,
    Optional<URI> copyUrl,
    Optional<Path> copyCa,
    Optional<String> copyToken) {

  public AuditSettings {
    if (checkpointEvery < 1) {
      throw new IllegalArgumentException("audit checkpoints must come every 1 record or more");
    }
    if (checkpointInterval.isNegative() || checkpointInterval.isZero()) {
      throw new IllegalArgumentException("the audit checkpoint interval must be positive");
    }
    if (queueCapacity < 1 || segmentBytes < 4096) {
      throw new IllegalArgumentException("audit queue must hold 1+ events, segments 4096+ bytes");
    }
    copyUrl.ifPresent(
        url -> {
          if (!"https".equalsIgnoreCase(url.getScheme()) || url.getHost() == null) {
            throw new IllegalArgumentException(
                "--audit-copy-url must be an https:// URL with a host, not " + url);
          }
        });
  }

  /** On, a checkpoint every 1000 records or 60 s, 64k queued events, 16 MiB segments, no copy. */
  public static AuditSettings defaults() {
    return new AuditSettings(
        true,
        1000,
        Duration.ofSeconds(60),
        65_536,
        16L * 1024 * 1024,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  public AuditSettings withCopyDir(Path dir) {
    return new AuditSettings(
        enabled,
        checkpointEvery,
        checkpointInterval,
        queueCapacity,
        segmentBytes,
        Optional.of(dir),
        copyUrl,
        copyCa,
        copyToken);
  }

  public AuditSettings withCopyUrl(URI url, Optional<Path> ca, Optional<String> token) {
    return new AuditSettings(
        enabled,
        checkpointEvery,
        checkpointInterval,
        queueCapacity,
        segmentBytes,
        copyDir,
        Optional.of(url),
        ca,
        token);
  }

  public AuditSettings withEnabled(boolean on) {
    return new AuditSettings(
        on,
        checkpointEvery,
        checkpointInterval,
        queueCapacity,
        segmentBytes,
        copyDir,
        copyUrl,
        copyCa,
        copyToken);
  }

  public AuditSettings withCheckpoints(int every, Duration interval) {
    return new AuditSettings(
        enabled, every, interval, queueCapacity, segmentBytes, copyDir, copyUrl, copyCa, copyToken);
  }

  public AuditSettings withSizes(int queue, long segment) {
    return new AuditSettings(
        enabled,
        checkpointEvery,
        checkpointInterval,
        queue,
        segment,
        copyDir,
        copyUrl,
        copyCa,
        copyToken);
  }
}
