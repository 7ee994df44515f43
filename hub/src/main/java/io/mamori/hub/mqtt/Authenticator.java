package io.mamori.hub.mqtt;

import java.util.concurrent.CompletionStage;

/**
 * Decides whether a CONNECT is accepted: known, ACTIVE certificate and {@code iot:Connect} on the
 * client id. May block (database), so the broker calls it off the event loop and gets the answer
 * back on the channel's loop.
 */
public interface Authenticator {
  CompletionStage<AuthenticationResult> authenticate(ConnectRequest request);
}
