package io.mamori.bench.micro;

import io.mamori.bench.DeviceCsrs;
import io.mamori.hub.events.EventBus;
import io.mamori.hub.pki.CaKeyProtection;
import io.mamori.hub.pki.CertificateAuthority;
import io.mamori.hub.pki.CertificateAuthorityFiles;
import io.mamori.hub.pki.IssuedCertificate;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Issuing one device certificate from a P-256 CSR, split into its parts, for each signature
 * provider: the CSR check (PEM parse, key checks, signature verify) and the raw verify inside it;
 * the certificate (TBS build, sign, DER and PEM encoding, certificate id) and the raw sign inside
 * it; and a whole batch of {@link #BATCH} through {@link BatchIssuance} into SQLite (both cores,
 * one transaction), which is what the hub does per bulk request. Single-threaded figures are CPU
 * per certificate; divide 1 s by them and multiply by the cores to get a rate.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CertificateIssuanceBenchmark {
  /** Items per batch: the most the hub takes in one request. */
  public static final int BATCH = BatchIssuance.MAX_ITEMS;

  private static final int CSRS = 2 * BATCH;

  @Param({"preferred", "bouncycastle"})
  public String provider;

  Path dir;
  SignatureProvider signatures;
  CertificateAuthority authority;
  List<String> csrs;
  List<PublicKey> keys;
  byte[] tbs;
  byte[] signature;
  KeyPair caLikeKeys;
  SqliteDatabase database;
  BatchIssuance batches;
  private int next;
  private int batchNumber;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    dir = Files.createTempDirectory("mamori-issuance-bench");
    signatures =
        provider.equals("bouncycastle")
            ? SignatureProvider.bouncyCastle()
            : SignatureProvider.preferred();
    authority =
        new CertificateAuthorityFiles(
                dir.resolve("pki"),
                Clock.systemUTC(),
                CaKeyProtection.defaultsFor(dir),
                // Real device certificates carry CRL and OCSP pointers: same size as in production.
                Optional.of(new PublicationUrls("http://hub.example.com:8080")),
                signatures)
            .loadOrCreate(List.of());
    csrs = new ArrayList<>();
    keys = new ArrayList<>();
    DeviceCsrs devices = new DeviceCsrs();
    for (int i = 0; i < CSRS; i++) {
      String pem = devices.next("device-" + i);
      csrs.add(pem);
      keys.add(authority.verifyCsr(pem));
    }
    tbs =
        authority
            .issueForVerifiedKey("tbs-size", keys.get(0), Duration.ofDays(365))
            .certificate()
            .getTBSCertificate();
    KeyPairGenerator own = KeyPairGenerator.getInstance("EC", signatures.provider());
    own.initialize(new ECGenParameterSpec("secp256r1"));
    caLikeKeys = own.generateKeyPair();
    signature = rawSign();
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

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    database.close();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** PEM parse, key checks and signature check of one CSR, as every issuance path does. */
  @Benchmark
  public PublicKey csrCheck() {
    return authority.verifyCsr(csrs.get(next()));
  }

  /** The ECDSA verify inside {@link #csrCheck}, alone: the floor for that part. */
  @Benchmark
  public boolean csrSignatureOnly() throws GeneralSecurityException {
    Signature verifier = Signature.getInstance("SHA256withECDSA", signatures.provider());
    verifier.initVerify(caLikeKeys.getPublic());
    verifier.update(tbs);
    return verifier.verify(signature);
  }

  /** TBS certificate built, signed by the issuing CA, DER and PEM encoded, id computed. */
  @Benchmark
  public IssuedCertificate certificate() {
    return authority.issueForVerifiedKey("device-1", keys.get(next()), Duration.ofDays(365));
  }

  /** The ECDSA sign inside {@link #certificate}, alone. */
  @Benchmark
  public byte[] signatureOnly() throws GeneralSecurityException {
    return rawSign();
  }

  /**
   * {@link #BATCH} CSRs checked, signed and stored (things created, certificates registered and
   * attached, the batch record) in one SQLite transaction: one bulk request without HTTP.
   */
  @Benchmark
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public List<BatchOutcome> batchOf500() {
    int first = (batchNumber % 2) * BATCH;
    String batchId = "bench-" + batchNumber++;
    List<BatchItem> items = new ArrayList<>(BATCH);
    for (int i = 0; i < BATCH; i++) {
      items.add(
          new BatchItem(
              "device-" + (first + i), csrs.get(first + i), Optional.empty(), Optional.empty()));
    }
    return batches.issue(batchId, items, true, "bench");
  }

  private byte[] rawSign() throws GeneralSecurityException {
    Signature signer = Signature.getInstance("SHA256withECDSA", signatures.provider());
    signer.initSign(caLikeKeys.getPrivate());
    signer.update(tbs);
    return signer.sign();
  }

  private int next() {
    int i = next;
    next = (next + 1) % CSRS;
    return i;
  }
}
