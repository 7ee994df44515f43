package io.mamori.hub.mqtt.connection;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a connection that has not completed TLS and CONNECT within the connect timeout, so idle
 * sockets cannot pin resources. {@link ConnectHandler} removes it once CONNECT is accepted.
 */
public final class ConnectTimeoutHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(ConnectTimeoutHandler.class);
  private final Duration timeout;
  private ScheduledFuture<?> timer;

  public ConnectTimeoutHandler(Duration timeout) {
    this.timeout = timeout;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (ctx.channel().isActive()) {
      schedule(ctx);
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    schedule(ctx);
    super.channelActive(ctx);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    if (timer != null) {
      timer.cancel(false);
    }
  }

  private void schedule(ChannelHandlerContext ctx) {
    if (timer != null) {
      return;
    }
    timer =
        ctx.executor()
            .schedule(
                () -> {
                  log.info("connect timeout remote={}", ctx.channel().remoteAddress());
                  ctx.close();
                },
                timeout.toMillis(),
                TimeUnit.MILLISECONDS);
  }
}
