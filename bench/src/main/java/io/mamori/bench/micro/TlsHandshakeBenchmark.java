package io.mamori.bench.micro;

import io.mamori.hub.mqtt.connection.ServerTls;
import io.mamori.hub.pki.CertificateAuthority;
import io.mamori.hub.pki.CertificateAuthorityFiles;
import io.mamori.hub.pki.DeviceCertificateRequest;
import io.mamori.hub.pki.DeviceTrustManager;
import io.mamori.hub.pki.IssuedCertificate;
import io.mamori.hub.pki.Pem;
import io.mamori.hub.pki.SignatureProvider;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One mutual-TLS 1.3 handshake (P-256) between a device and the broker's server context, in memory
 * on one thread, for each server engine; the device side is always Conscrypt, so the difference
 * between the two figures is the broker's CPU per handshake ("jdk": the JDK engine and JDK
 * signature checks, as before; "conscrypt": what the hub uses). {@link #clientTrustCheck} is the
 * broker's certificate check alone (DeviceTrustManager on the device's chain).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TlsHandshakeBenchmark {
  private static final ByteBufAllocator ALLOC = UnpooledByteBufAllocator.DEFAULT;
  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

  @Param({"conscrypt", "jdk"})
  public String engine;

  Path dir;
  SslContext server;
  SslContext device;
  DeviceTrustManager trust;
  X509Certificate[] deviceChain;

  @Setup
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("tls-bench");
    CertificateAuthority ca =
        new CertificateAuthorityFiles(dir.resolve("pki"), Clock.systemUTC())
            .loadOrCreate(List.of());
    trust =
        new DeviceTrustManager(
            () -> List.of(ca.issuingCertificate()),
            Clock.systemUTC(),
            leaf -> false,
            engine.equals("jdk")
                ? Optional.empty()
                : SignatureProvider.registeredForVerification());
    server =
        engine.equals("jdk")
            ? ServerTls.jdkContext(ca.serverIdentity(), trust)
            : ServerTls.context(ca.serverIdentity(), trust);
    IssuedCertificate issued =
        ca.issueDeviceCertificate(
            new DeviceCertificateRequest("bench-device", Optional.empty(), Duration.ofDays(1)));
    deviceChain = new X509Certificate[] {issued.certificate(), ca.issuingCertificate()};
    device =
        SslContextBuilder.forClient()
            .sslProvider(SslProvider.JDK)
            .sslContextProvider(org.conscrypt.Conscrypt.newProvider())
            .keyManager(Pem.parsePrivateKey(issued.privateKeyPem().orElseThrow()), deviceChain)
            // The device's check of the broker is not measured here (and the JDK's PKIX trust
            // manager refuses Conscrypt's TLS 1.3 authType "GENERIC"): accept the broker as is.
            .trustManager(InsecureTrustManagerFactory.INSTANCE)
            .protocols("TLSv1.3")
            .build();
  }

  @TearDown
  public void tearDown() throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Benchmark
  public String handshake() throws SSLException {
    SSLEngine client = device.newEngine(ALLOC, "localhost", 8883);
    SSLEngine broker = server.newEngine(ALLOC);
    ByteBuffer toBroker = ByteBuffer.allocate(64 * 1024);
    ByteBuffer toClient = ByteBuffer.allocate(64 * 1024);
    ByteBuffer plain = ByteBuffer.allocate(64 * 1024);
    client.beginHandshake();
    broker.beginHandshake();
    boolean clientDone = false;
    boolean brokerDone = false;
    for (int round = 0; !(clientDone && brokerDone); round++) {
      if (round > 100) {
        throw new IllegalStateException("handshake did not finish");
      }
      clientDone |= step(client, toClient, toBroker, plain);
      brokerDone |= step(broker, toBroker, toClient, plain);
    }
    return broker.getSession().getCipherSuite();
  }

  @Benchmark
  public X509Certificate[] clientTrustCheck() throws Exception {
    trust.checkClientTrusted(deviceChain, "EC");
    return deviceChain;
  }

  /** Moves one engine forward; true once its handshake has finished. */
  private static boolean step(SSLEngine engine, ByteBuffer in, ByteBuffer out, ByteBuffer plain)
      throws SSLException {
    boolean finished = false;
    while (true) {
      HandshakeStatus status = engine.getHandshakeStatus();
      SSLEngineResult result;
      switch (status) {
        case NEED_WRAP -> result = engine.wrap(EMPTY, out);
        case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
          in.flip();
          result = engine.unwrap(in, plain);
          in.compact();
          plain.clear();
          if (result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
            return finished;
          }
        }
        case NEED_TASK -> {
          Runnable task;
          while ((task = engine.getDelegatedTask()) != null) {
            task.run();
          }
          continue;
        }
        default -> {
          return true;
        }
      }
      if (result.getHandshakeStatus() == HandshakeStatus.FINISHED) {
        finished = true;
      }
    }
  }
}
