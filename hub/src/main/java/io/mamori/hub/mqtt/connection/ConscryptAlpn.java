package io.mamori.hub.mqtt.connection;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.DelegatingSslContext;
import io.netty.handler.ssl.SslContext;
import java.nio.ByteBuffer;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import org.conscrypt.AllocatedBuffer;
import org.conscrypt.ApplicationProtocolSelector;
import org.conscrypt.BufferAllocator;
import org.conscrypt.Conscrypt;

/**
 * Server-side ALPN for Conscrypt engines through Conscrypt's own selector. Netty's ALPN wrapper
 * does not drive Conscrypt on Java 15 and later (it falls back to the JDK's selector API, which
 * Conscrypt does not call), so the broker selects the protocol itself: the first client offer it
 * supports, or none, which continues the handshake without ALPN instead of failing it (AWS §7.3).
 *
 * <p>It also gives each engine a pooled buffer allocator. Netty hands a Conscrypt engine it did not
 * wrap itself heap buffers, and without an allocator Conscrypt copies them through a direct buffer
 * of its own (about 16.7 KB, zeroed, so all resident) that it creates on first use and keeps for
 * the engine's life: every idle connection held one. With the allocator it borrows a pooled direct
 * buffer for each copy and gives it back at once, as it does inside Netty's own Conscrypt wrapper.
 */
final class ConscryptAlpn extends DelegatingSslContext {
  private final Selector selector;
  private final BufferAllocator buffers;

  ConscryptAlpn(SslContext context, List<String> supported, ByteBufAllocator allocator) {
    super(context);
    this.selector = new Selector(List.copyOf(supported));
    this.buffers = new PooledBuffers(allocator);
  }

  @Override
  protected void initEngine(SSLEngine engine) {
    Conscrypt.setApplicationProtocolSelector(engine, selector);
    Conscrypt.setBufferAllocator(engine, buffers);
  }

  /** Conscrypt's temporary direct buffers, taken from (and returned to) Netty's pool. */
  private static final class PooledBuffers extends BufferAllocator {
    private final ByteBufAllocator allocator;

    PooledBuffers(ByteBufAllocator allocator) {
      this.allocator = allocator;
    }

    @Override
    public AllocatedBuffer allocateDirectBuffer(int capacity) {
      return new Pooled(allocator.directBuffer(capacity));
    }
  }

  private static final class Pooled extends AllocatedBuffer {
    private final ByteBuf buffer;
    private final ByteBuffer view;

    Pooled(ByteBuf buffer) {
      this.buffer = buffer;
      this.view = buffer.nioBuffer(0, buffer.capacity());
    }

    @Override
    public ByteBuffer nioBuffer() {
      return view;
    }

    @Override
    public AllocatedBuffer retain() {
      buffer.retain();
      return this;
    }

    @Override
    public AllocatedBuffer release() {
      buffer.release();
      return this;
    }
  }

  private static final class Selector extends ApplicationProtocolSelector {
    private final List<String> supported;

    Selector(List<String> supported) {
      this.supported = supported;
    }

    @Override
    public String selectApplicationProtocol(SSLEngine engine, List<String> offered) {
      return select(offered);
    }

    @Override
    public String selectApplicationProtocol(SSLSocket socket, List<String> offered) {
      return select(offered);
    }

    /** The client's order decides, as in Netty's own selector; null: no ALPN in the answer. */
    private String select(List<String> offered) {
      for (String protocol : offered) {
        if (supported.contains(protocol)) {
          return protocol;
        }
      }
      return null;
    }
  }
}
