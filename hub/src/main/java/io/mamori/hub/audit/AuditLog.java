package io.mamori.hub.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mamori.hub.events.HubEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tamper-evident audit log: every hub event appended, hash-chained, with signed checkpoints.
 *
 * <p>{@link #accept} runs on the publishing thread, often a Netty event loop, so it only offers the
 * event to a bounded queue. One writer thread takes batches, appends them to the current segment
 * and calls {@code fsync} once per batch. When a flood fills the queue the event is not silently
 * dropped: it is counted, and the writer appends a {@code gap} record (how many, which types, when)
 * that {@code mamori audit verify} reports. Back-pressure was the alternative, but it would stall
 * the broker's event loops on a slow disk; a gap keeps the broker up and the loss on record.
 */
public final class AuditLog implements Consumer<HubEvent>, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AuditLog.class);
  private static final int BATCH = 1024;
  private static final long IDLE_POLL_MILLIS = 200;

  private final Path dir;
  private final AuditSigningKey key;
  private final AuditSettings settings;
  private final Clock clock;
  private final AuditCodec codec = new AuditCodec();
  private final BlockingQueue<HubEvent> queue;
  private final GapCounter gaps = new GapCounter();
  private final LongAdder lostTotal = new LongAdder();
  private final LongAdder written = new LongAdder();
  private final LongAdder writeFailures = new LongAdder();
  private final AtomicLong durableSeq = new AtomicLong();
  private final List<LongConsumer> flushListeners = new CopyOnWriteArrayList<>();
  private final Thread writer;
  private volatile boolean running = true;

  // Chain state, touched by the writer thread only (and by the constructor before it starts).
  private long nextSeq;
  private String prev;
  private Path segment;
  private FileChannel channel;
  private long sinceCheckpoint;
  private long lastCheckpointNanos = System.nanoTime();
  private java.util.Optional<ObjectNode> pendingGap = java.util.Optional.empty();

  /**
   * Opens the log in {@code dir}, continuing the chain from its last record (after cutting off a
   * torn last line, recorded as a {@code recovery} record), and starts the writer.
   */
  public AuditLog(Path dir, AuditSigningKey key, AuditSettings settings, Clock clock) {
    this.dir = dir;
    this.key = key;
    this.settings = settings;
    this.clock = clock;
    this.queue = new LinkedBlockingQueue<>(settings.queueCapacity());
    try {
      open();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the audit log in " + dir, e);
    }
    this.writer = new Thread(this::run, "mamori-audit-writer");
    writer.setDaemon(true);
    writer.start();
  }

  /** Queues the event; never blocks. When the queue is full the event is counted into a gap. */
  @Override
  public void accept(HubEvent event) {
    if (!running || !queue.offer(event)) {
      gaps.lost(event);
      lostTotal.increment();
    }
  }

  public Path directory() {
    return dir;
  }

  /** Calls {@code listener} with the last durable sequence number after every fsync. */
  public void onFlushed(LongConsumer listener) {
    flushListeners.add(listener);
  }

  /** Records written and fsynced since start (events, checkpoints, gaps, recoveries). */
  public long recordsWritten() {
    return written.sum();
  }

  public int queueDepth() {
    return queue.size();
  }

  /** Events that found the queue full since start (each is in a gap record). */
  public long eventsLost() {
    return lostTotal.sum();
  }

  public long writeFailures() {
    return writeFailures.sum();
  }

  /** The sequence number of the last record on disk. */
  public long lastSeq() {
    return durableSeq.get();
  }

  private void open() throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    Path exported = dir.resolve(AuditSigningKey.CERTIFICATE_FILE);
    String pem = io.mamori.hub.pki.Pem.encodeCertificate(key.certificate());
    if (!Files.exists(exported) || !Files.readString(exported).equals(pem)) {
      Files.writeString(exported, pem);
    }
    nextSeq = 1;
    prev = AuditRecord.GENESIS;
    List<Path> segments = AuditSegments.list(dir);
    ObjectNode recovery = null;
    for (int i = segments.size() - 1; i >= 0; i--) {
      Path file = segments.get(i);
      byte[] bytes = Files.readAllBytes(file);
      int complete = AuditSegments.completeLength(bytes);
      if (complete < bytes.length && i == segments.size() - 1) {
        recovery = cutTornTail(file, bytes, complete);
      }
      String last = AuditSegments.lastLine(bytes, complete);
      if (last != null) {
        AuditRecord record;
        try {
          record = codec.parse(last);
        } catch (AuditCodec.MalformedRecordException e) {
          // Fail closed: continuing from an unreadable record would hide whatever happened here.
          throw new IllegalStateException(
              "the last audit record in "
                  + file
                  + " is unreadable ("
                  + e.getMessage()
                  + "); run 'mamori audit verify' and keep a copy of the directory before"
                  + " moving the damaged segment aside");
        }
        nextSeq = record.seq() + 1;
        prev = record.hash();
        break;
      }
    }
    durableSeq.set(nextSeq - 1);
    segment = segments.isEmpty() ? null : segments.get(segments.size() - 1);
    if (segment != null && AuditSegments.firstSeq(segment).getAsLong() > nextSeq) {
      // An empty segment named after a record that was never written: it holds nothing.
      Files.delete(segment);
      segment = null;
    }
    if (segment == null) {
      segment = dir.resolve(AuditSegments.name(nextSeq));
    }
    channel = openForAppend(segment);
    if (recovery != null) {
      writeBatch(List.of(), recovery);
    }
    log.info("audit log open dir={} nextSeq={}", dir, nextSeq);
  }

  /** Moves a torn last line into a side file and truncates the segment to its last newline. */
  private ObjectNode cutTornTail(Path file, byte[] bytes, int complete) throws IOException {
    byte[] torn = java.util.Arrays.copyOfRange(bytes, complete, bytes.length);
    String saved = "torn-" + file.getFileName() + "-" + complete + ".bin";
    Files.write(dir.resolve(saved), torn);
    try (FileChannel truncate = FileChannel.open(file, StandardOpenOption.WRITE)) {
      truncate.truncate(complete);
      truncate.force(true);
    }
    log.warn(
        "audit log had a torn last line (crash while writing) file={} offset={} bytes={} savedAs={}",
        file.getFileName(),
        complete,
        torn.length,
        saved);
    ObjectNode body = codec.object();
    body.put("file", file.getFileName().toString())
        .put("offset", complete)
        .put("bytes", torn.length)
        .put("sha256", AuditCodec.sha256(torn))
        .put("savedAs", saved);
    return body;
  }

  private static FileChannel openForAppend(Path file) throws IOException {
    return FileChannel.open(
        file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
  }

  private void run() {
    List<HubEvent> batch = new ArrayList<>(BATCH);
    while (running || !queue.isEmpty()) {
      batch.clear();
      try {
        HubEvent first = queue.poll(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
        if (first != null) {
          batch.add(first);
          queue.drainTo(batch, BATCH - 1);
        }
      } catch (InterruptedException e) {
        running = false;
        continue;
      }
      writeWithRetry(batch, null);
    }
    writeWithRetry(List.of(), null);
    checkpoint(true);
    try {
      channel.close();
    } catch (IOException e) {
      log.warn("closing the audit segment failed reason={}", e.toString());
    }
  }

  private void writeWithRetry(List<HubEvent> batch, ObjectNode recovery) {
    long backoffMillis = 500;
    while (true) {
      try {
        writeBatch(batch, recovery);
        return;
      } catch (IOException | RuntimeException e) {
        writeFailures.increment();
        log.error(
            "audit log write failed, retrying records={} reason={}", batch.size(), e.toString());
        if (!running) {
          return;
        }
        try {
          Thread.sleep(backoffMillis);
        } catch (InterruptedException interrupted) {
          running = false;
          return;
        }
        backoffMillis = Math.min(backoffMillis * 2, 10_000);
      }
    }
  }

  /**
   * Appends a gap record (if events were lost), the batch and a checkpoint when one is due, in one
   * write and one fsync. On failure the file and the chain state go back to where they were.
   */
  private void writeBatch(List<HubEvent> batch, ObjectNode recovery) throws IOException {
    long seqBefore = nextSeq;
    String prevBefore = prev;
    long sinceBefore = sinceCheckpoint;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (recovery != null) {
      append(out, AuditRecord.RECOVERY, recovery);
    }
    var gap = pendingGap.isPresent() ? pendingGap : gaps.take(codec);
    if (gap.isPresent()) {
      append(out, AuditRecord.GAP, gap.get());
    }
    for (HubEvent event : batch) {
      append(out, AuditRecord.EVENT, codec.eventBody(event));
      if (sinceCheckpoint >= settings.checkpointEvery()) {
        appendCheckpoint(out);
      }
    }
    if (checkpointTimeDue()) {
      appendCheckpoint(out);
    }
    if (out.size() == 0) {
      return;
    }
    long sizeBefore = channel.size();
    try {
      ByteBuffer bytes = ByteBuffer.wrap(out.toByteArray());
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
      channel.force(false);
    } catch (IOException e) {
      nextSeq = seqBefore;
      prev = prevBefore;
      sinceCheckpoint = sinceBefore;
      channel.truncate(sizeBefore);
      pendingGap = gap;
      throw e;
    }
    pendingGap = java.util.Optional.empty();
    written.add(nextSeq - seqBefore);
    durableSeq.set(nextSeq - 1);
    for (LongConsumer listener : flushListeners) {
      listener.accept(nextSeq - 1);
    }
    if (channel.size() >= settings.segmentBytes()) {
      rotate();
    }
  }

  private boolean checkpointTimeDue() {
    return sinceCheckpoint > 0
        && System.nanoTime() - lastCheckpointNanos >= settings.checkpointInterval().toNanos();
  }

  private void append(ByteArrayOutputStream out, String kind, ObjectNode body) {
    AuditRecord record = codec.seal(nextSeq, clock.instant(), kind, body, prev);
    out.writeBytes((codec.line(record) + "\n").getBytes(StandardCharsets.UTF_8));
    nextSeq++;
    prev = record.hash();
    sinceCheckpoint++;
  }

  private void appendCheckpoint(ByteArrayOutputStream out) {
    ObjectNode body = codec.object();
    body.put("upToSeq", nextSeq - 1)
        .put("upToHash", prev)
        .put("keyId", key.keyId())
        .put("algorithm", "SHA256withECDSA")
        .put("signature", key.sign(nextSeq - 1, prev));
    append(out, AuditRecord.CHECKPOINT, body);
    sinceCheckpoint = 0;
    lastCheckpointNanos = System.nanoTime();
  }

  /** Writes a checkpoint now if anything was appended since the last one (or if forced). */
  private void checkpoint(boolean onlyIfNeeded) {
    if (onlyIfNeeded && sinceCheckpoint == 0) {
      return;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long seqBefore = nextSeq;
    appendCheckpoint(out);
    try {
      channel.write(ByteBuffer.wrap(out.toByteArray()));
      channel.force(false);
      written.add(nextSeq - seqBefore);
      durableSeq.set(nextSeq - 1);
      for (LongConsumer listener : flushListeners) {
        listener.accept(nextSeq - 1);
      }
    } catch (IOException e) {
      writeFailures.increment();
      log.error("audit checkpoint write failed reason={}", e.toString());
    }
  }

  /** Every segment ends with a signed checkpoint, so each file can be checked on its own. */
  private void rotate() throws IOException {
    checkpoint(true);
    channel.close();
    segment = dir.resolve(AuditSegments.name(nextSeq));
    channel = openForAppend(segment);
    log.info("audit log segment started file={}", segment.getFileName());
  }

  /** Writes what is queued, a final checkpoint, and stops the writer (waits up to 10 s). */
  @Override
  public void close() {
    running = false;
    try {
      writer.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
