package io.mamori.hub.mqtt.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mamori.hub.mqtt.TestPki;
import io.netty.buffer.PoolArenaMetric;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import org.conscrypt.Conscrypt;
import org.junit.jupiter.api.Test;

class ServerTlsTest {
  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

  /**
   * An idle connection must not keep a TLS copy buffer: Conscrypt borrows one from the allocator
   * for each copy of heap data and returns it, instead of keeping a 16.7 KB direct buffer per
   * engine.
   */
  @Test
  void conscryptBorrowsCopyBuffersFromTheAllocatorAndReturnsThem() throws Exception {
    assumeTrue(Conscrypt.isAvailable(), "Conscrypt's native library is not available here");
    TestPki pki = new TestPki("server-tls-test");
    // One direct arena and no thread caches, so the arena's counts show every borrow and return.
    PooledByteBufAllocator buffers = new PooledByteBufAllocator(true, 0, 1, 8192, 9, 0, 0, false);
    SslContext server = ServerTls.context(pki.serverIdentity(), pki.trustManager(), buffers);
    SSLEngine broker = server.newEngine(UnpooledByteBufAllocator.DEFAULT);
    SSLEngine device = pki.clientContext(pki.clientIdentity("device-1")).createSSLEngine();
    device.setUseClientMode(true);
    ByteBuffer toBroker = ByteBuffer.allocate(64 * 1024);
    ByteBuffer toDevice = ByteBuffer.allocate(64 * 1024);
    ByteBuffer plain = ByteBuffer.allocate(64 * 1024);

    handshake(device, broker, toBroker, toDevice, plain);
    device.wrap(ByteBuffer.wrap("ping".getBytes(StandardCharsets.UTF_8)), toBroker);
    assertThat(unwrapAll(broker, toBroker)).isEqualTo("ping");
    broker.wrap(ByteBuffer.wrap("pong".getBytes(StandardCharsets.UTF_8)), toDevice);
    assertThat(unwrapAll(device, toDevice)).isEqualTo("pong");

    assertThat(broker.getSession().getProtocol()).isEqualTo("TLSv1.3");
    PoolArenaMetric arena = buffers.metric().directArenas().get(0);
    assertThat(arena.numAllocations()).isPositive();
    assertThat(arena.numActiveAllocations()).isZero();
  }

  private static void handshake(
      SSLEngine device,
      SSLEngine broker,
      ByteBuffer toBroker,
      ByteBuffer toDevice,
      ByteBuffer plain)
      throws SSLException {
    device.beginHandshake();
    broker.beginHandshake();
    boolean deviceDone = false;
    boolean brokerDone = false;
    for (int round = 0; !(deviceDone && brokerDone); round++) {
      assertThat(round).as("handshake rounds").isLessThan(100);
      deviceDone |= step(device, toDevice, toBroker, plain);
      brokerDone |= step(broker, toBroker, toDevice, plain);
    }
  }

  /** Moves one engine forward as far as its input allows; true once its handshake is over. */
  private static boolean step(SSLEngine engine, ByteBuffer in, ByteBuffer out, ByteBuffer plain)
      throws SSLException {
    boolean finished = false;
    while (true) {
      SSLEngineResult result;
      switch (engine.getHandshakeStatus()) {
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

  /** Application data in {@code in}, decrypted (TLS 1.3 session tickets yield no data). */
  private static String unwrapAll(SSLEngine engine, ByteBuffer in) throws SSLException {
    ByteBuffer plain = ByteBuffer.allocate(64 * 1024);
    in.flip();
    while (in.hasRemaining()) {
      SSLEngineResult result = engine.unwrap(in, plain);
      if (result.getStatus() != SSLEngineResult.Status.OK) {
        break;
      }
    }
    in.compact();
    plain.flip();
    return StandardCharsets.UTF_8.decode(plain).toString();
  }
}
