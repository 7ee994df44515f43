package io.mamori.hub.revocation;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plain-HTTP listener that publishes CRLs, CA certificates and OCSP answers. Bound before the
 * CA is loaded, because the URLs the CA writes into certificates need the port actually bound;
 * until {@link #serve} it answers 503.
 *
 * <p>Netty, because cached OCSP answers should cost a map lookup and a write on the event loop.
 * Anything that signs or reads the registry runs on this listener's own bounded executor; when it
 * is full an OCSP client gets "tryLater" instead of a queue without end.
 */
public final class PkiHttpServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PkiHttpServer.class);

  /** OCSP requests are a few hundred bytes; CRL and certificate requests have no body. */
  static final int MAX_REQUEST_BYTES = 64 * 1024;

  private static final int IDLE_SECONDS = 60;

  // Native epoll where available, as the MQTT broker: fewer system calls per request.
  private final boolean epoll = Epoll.isAvailable();
  private final EventLoopGroup boss =
      epoll
          ? new EpollEventLoopGroup(1, named("mamori-pki-accept"))
          : new NioEventLoopGroup(1, named("mamori-pki-accept"));
  private final EventLoopGroup workers =
      epoll
          ? new EpollEventLoopGroup(2, named("mamori-pki-io"))
          : new NioEventLoopGroup(2, named("mamori-pki-io"));
  private final ThreadPoolExecutor signing;
  private final AtomicReference<PkiRoutes> routes = new AtomicReference<>();
  private Channel channel;

  private PkiHttpServer(int signingThreads, int signingQueue) {
    AtomicInteger count = new AtomicInteger();
    signing =
        new ThreadPoolExecutor(
            signingThreads,
            signingThreads,
            60,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(signingQueue),
            r -> {
              Thread t = new Thread(r, "mamori-pki-sign-" + count.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    signing.allowCoreThreadTimeOut(true);
  }

  /** Binds {@code host:port} (0 picks a free port) and answers 503 until {@link #serve}. */
  public static PkiHttpServer bind(String host, int port) {
    var server = new PkiHttpServer(2, 1_000);
    try {
      server.channel =
          new ServerBootstrap()
              .group(server.boss, server.workers)
              .channel(server.epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
              .option(ChannelOption.SO_BACKLOG, 1024)
              .childOption(ChannelOption.TCP_NODELAY, true)
              .childHandler(server.new Initializer())
              .bind(host, port)
              .syncUninterruptibly()
              .channel();
    } catch (RuntimeException e) {
      server.close();
      throw new IllegalStateException(
          "cannot listen for PKI publication on " + host + ":" + port + ": " + e.getMessage(), e);
    }
    log.info("PKI publication listener bound address={}:{}", host, server.port());
    return server;
  }

  public int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  /** The executor for signing work (also used for CRL regeneration and cache refreshes). */
  ExecutorService executor() {
    return signing;
  }

  void serve(PkiRoutes served) {
    routes.set(served);
  }

  @Override
  public void close() {
    if (channel != null) {
      channel.close().syncUninterruptibly();
    }
    boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    signing.shutdownNow();
  }

  private static java.util.concurrent.ThreadFactory named(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  private final class Initializer extends ChannelInitializer<SocketChannel> {
    @Override
    protected void initChannel(SocketChannel ch) {
      ch.pipeline()
          .addLast(new ReadTimeoutHandler(IDLE_SECONDS))
          .addLast(new HttpServerCodec(4096, 8192, 8192))
          .addLast(new HttpServerKeepAliveHandler())
          .addLast(new HttpObjectAggregator(MAX_REQUEST_BYTES))
          .addLast(new RequestHandler());
    }
  }

  private final class RequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      boolean head = request.method().equals(HttpMethod.HEAD);
      if (!request.decoderResult().isSuccess()) {
        write(ctx, HttpAnswer.text(400, "malformed HTTP request"), false, false);
        return;
      }
      PkiRoutes current = routes.get();
      if (current == null) {
        write(ctx, HttpAnswer.text(503, "starting"), head, true);
        return;
      }
      byte[] body = ByteBufUtil.getBytes(request.content());
      PkiRoutes.Route route = current.route(request.method().name(), request.uri(), body);
      if (route instanceof PkiRoutes.Now now) {
        write(ctx, now.answer(), head, true);
        return;
      }
      var later = (PkiRoutes.Later) route;
      String uri = request.uri();
      // One request at a time per connection, so answers keep the order of HTTP/1.1 pipelining.
      ctx.channel().config().setAutoRead(false);
      try {
        signing.execute(
            () -> {
              HttpAnswer answer;
              try {
                answer = later.work().call();
              } catch (Exception e) {
                log.error("PKI request failed uri={} reason={}", uri, e.toString(), e);
                answer = HttpAnswer.text(500, "internal error");
              }
              write(ctx, answer, head, true);
              ctx.channel().config().setAutoRead(true);
            });
      } catch (RejectedExecutionException e) {
        write(ctx, PkiRoutes.ocspAnswer(OcspResponder.tryLater()), head, true);
        ctx.channel().config().setAutoRead(true);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      log.debug("PKI connection closed reason={}", cause.toString());
      ctx.close();
    }

    private void write(ChannelHandlerContext ctx, HttpAnswer answer, boolean head, boolean keep) {
      FullHttpResponse response =
          new DefaultFullHttpResponse(
              HttpVersion.HTTP_1_1,
              HttpResponseStatus.valueOf(answer.status()),
              head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(answer.body()));
      response
          .headers()
          .set(HttpHeaderNames.CONTENT_TYPE, answer.contentType())
          .setInt(HttpHeaderNames.CONTENT_LENGTH, answer.body().length)
          // CRLs and OCSP responses change on revocation; caches must not keep them past that.
          .set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
      if (keep) {
        ctx.writeAndFlush(response);
      } else {
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
      }
    }
  }
}
