package io.mamori.bench.micro;

import io.mamori.bench.DeviceCsrs;
import io.mamori.hub.events.EventBus;
import io.mamori.hub.pki.CaKeyProtection;
import io.mamori.hub.pki.CertificateAuthority;
import io.mamori.hub.pki.CertificateAuthorityFiles;
import io.mamori.hub.pki.PublicationUrls;
import io.mamori.hub.pki.SignatureProvider;
import io.mamori.hub.registry.BatchIssuance;
import io.mamori.hub.registry.BatchItem;
import io.mamori.hub.registry.BatchOutcome;
import io.mamori.hub.registry.RegistryListener;
import io.mamori.hub.store.SqliteCertificateBatchRepository;
import io.mamori.hub.store.SqliteCertificateRepository;
import io.mamori.hub.store.SqliteDatabase;
import io.mamori.hub.store.SqlitePolicyRepository;
import io.mamori.hub.store.SqliteThingRepository;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Device certificates signed and persisted per second, in process: what the hub does for each
 * {@code POST /api/v1/certificates/batch} minus HTTPS and JSON. Each call is one request of {@link
 * #BATCH} P-256 CSRs through {@link BatchIssuance} (PEM parse, CSR signature check, certificate
 * built and signed with the preferred provider, registry record) into a SQLite database on disk,
 * committed in one transaction, with the thing of each certificate created on first use. The score
 * is certificates per second. {@code oneRequestAtATime} sends the requests one after another;
 * {@code twoRequestsAtOnce} sends two at once, as {@code cert issue-bulk --parallel 2} does, so
 * that one request signs on both cores while the other is in its one-thread store phase.
 *
 * <p>On a shared machine the rate follows the load; the process CPU per certificate that each
 * iteration prints ({@code cpu: N us/cert}) is the figure to compare between builds.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class BulkIssuanceThroughputBenchmark {
  /** Certificates per request: the most the hub takes in one. */
  public static final int BATCH = BatchIssuance.MAX_ITEMS;

  // Two request's worth per thread: a request never repeats the CSRs of the one just before it.
  private static final int CSRS_PER_THREAD = 2 * BATCH;
  private static final int MAX_THREADS = 2;

  Path dir;
  SqliteDatabase database;
  BatchIssuance batches;
  List<List<String>> csrs;
  private final AtomicInteger threads = new AtomicInteger();
  private final AtomicLong issued = new AtomicLong();
  private long cpuAtStart;
  private long issuedAtStart;

  /** One sender: its own thing names (no two requests race to create the same thing). */
  @State(Scope.Thread)
  public static class Sender {
    int thread;
    int requests;

    @Setup(Level.Trial)
    public void setUp(BulkIssuanceThroughputBenchmark bench) {
      thread = bench.threads.getAndIncrement() % MAX_THREADS;
    }
  }

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    dir = Files.createTempDirectory("mamori-bulk-bench");
    CertificateAuthority authority =
        new CertificateAuthorityFiles(
                dir.resolve("pki"),
                Clock.systemUTC(),
                CaKeyProtection.defaultsFor(dir),
                // Real device certificates carry CRL and OCSP pointers: same size as in production.
                Optional.of(new PublicationUrls("http://hub.example.com:8080")),
                SignatureProvider.preferred())
            .loadOrCreate(List.of());
    DeviceCsrs devices = new DeviceCsrs();
    csrs = new ArrayList<>();
    for (int t = 0; t < MAX_THREADS; t++) {
      List<String> own = new ArrayList<>(CSRS_PER_THREAD);
      for (int i = 0; i < CSRS_PER_THREAD; i++) {
        own.add(devices.next(thingName(t, i)));
      }
      csrs.add(own);
    }
    database = SqliteDatabase.open(dir.resolve("mamori.db"));
    batches =
        new BatchIssuance(
            new SqliteCertificateRepository(database),
            new SqliteThingRepository(database),
            new SqlitePolicyRepository(database),
            new SqliteCertificateBatchRepository(database),
            authority,
            365,
            database,
            new EventBus(),
            new RegistryListener() {},
            Clock.systemUTC());
  }

  @Setup(Level.Iteration)
  public void startIteration() {
    cpuAtStart = processCpuNanos();
    issuedAtStart = issued.get();
  }

  @TearDown(Level.Iteration)
  public void endIteration() {
    long certificates = issued.get() - issuedAtStart;
    if (certificates > 0) {
      // Process CPU: signing threads, the store, JIT and GC; the comparable figure under load.
      System.out.printf(
          "cpu: %.0f us/cert (%d certs)%n",
          (processCpuNanos() - cpuAtStart) / 1e3 / certificates, certificates);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    database.close();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** One request of {@link #BATCH} CSRs at a time. */
  @Benchmark
  @Threads(1)
  @OperationsPerInvocation(BATCH)
  public List<BatchOutcome> oneRequestAtATime(Sender sender) {
    return request(sender);
  }

  /** Two requests at once, from two threads. */
  @Benchmark
  @Threads(2)
  @OperationsPerInvocation(BATCH)
  public List<BatchOutcome> twoRequestsAtOnce(Sender sender) {
    return request(sender);
  }

  List<BatchOutcome> request(Sender sender) {
    int first = (sender.requests % 2) * BATCH;
    String batchId = "bench-" + sender.thread + "-" + sender.requests++;
    List<String> own = csrs.get(sender.thread);
    List<BatchItem> items = new ArrayList<>(BATCH);
    for (int i = first; i < first + BATCH; i++) {
      items.add(
          new BatchItem(
              thingName(sender.thread, i), own.get(i), Optional.empty(), Optional.empty()));
    }
    List<BatchOutcome> outcomes = batches.issue(batchId, items, true, "bench");
    issued.addAndGet(outcomes.size());
    return outcomes;
  }

  private static String thingName(int thread, int i) {
    return "device-" + thread + "-" + i;
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
