package io.mamori.hub.mqtt.connection;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First handler of every connection: counts open sockets and closes those over {@code
 * maxConnections} before any TLS work is spent on them (cheapest refusal under a flood).
 */
@Sharable
public final class ConnectionLimitHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(ConnectionLimitHandler.class);
  private final AtomicInteger open = new AtomicInteger();
  private final int max;

  public ConnectionLimitHandler(int max) {
    this.max = max;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    ctx.channel().closeFuture().addListener(f -> open.decrementAndGet());
    if (open.incrementAndGet() > max) {
      log.warn(
          "connection refused, limit reached limit={} remote={}",
          max,
          ctx.channel().remoteAddress());
      ctx.close();
      return;
    }
    super.channelActive(ctx);
    ctx.pipeline().remove(this);
  }

  public int open() {
    return open.get();
  }
}
