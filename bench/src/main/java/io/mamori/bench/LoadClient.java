package io.mamori.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.ssl.SslHandler;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The load generator: every connection of a run shares one small event loop group (epoll when
 * available), so thousands of mTLS connections cost a few threads, not one thread each.
 */
final class LoadClient implements AutoCloseable {
  private final EventLoopGroup group;
  private final Class<? extends Channel> channelType;
  private final String host;

  LoadClient(String host, int threads) {
    this.host = host;
    if (Epoll.isAvailable()) {
      group = new EpollEventLoopGroup(threads);
      channelType = EpollSocketChannel.class;
    } else {
      group = new NioEventLoopGroup(threads);
      channelType = NioSocketChannel.class;
    }
  }

  /**
   * Opens a TLS connection with the device's certificate and sends CONNECT with the client id; the
   * returned connection's {@link LoadConnection#connected()} tells the outcome.
   */
  LoadConnection connect(Device device, String clientId, int port) {
    LoadConnection connection = new LoadConnection(clientId, 600);
    Bootstrap bootstrap =
        new Bootstrap()
            .group(group)
            .channel(channelType)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000)
            .handler(
                new ChannelInitializer<>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    // No peer host/port: the JDK then never resumes a TLS session, so every
                    // connect is a full TLS 1.3 handshake with the client certificate.
                    SslHandler ssl = device.tls().newHandler(ch.alloc());
                    ssl.setHandshakeTimeoutMillis(30_000);
                    ch.pipeline()
                        .addLast(ssl)
                        .addLast(new MqttDecoder(1024 * 1024))
                        .addLast(MqttEncoder.INSTANCE)
                        .addLast(connection);
                  }
                });
    bootstrap
        .connect(host, port)
        .addListener(
            f -> {
              if (!f.isSuccess()) {
                connection
                    .connected()
                    .completeExceptionally(
                        new LoadConnection.ConnectFailed("TCP connect failed: " + f.cause()));
                connection.closed().complete(System.nanoTime());
              }
            });
    return connection;
  }

  /** Convenience: connects and waits; throws when refused. */
  LoadConnection connectAndWait(Device device, String clientId, int port) {
    return connect(device, clientId, port).connected().orTimeout(60, TimeUnit.SECONDS).join();
  }

  CompletableFuture<Void> shutdown() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    group.shutdownGracefully(0, 5, TimeUnit.SECONDS).addListener(f -> done.complete(null));
    return done;
  }

  @Override
  public void close() {
    shutdown().join();
  }
}
