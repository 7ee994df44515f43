/**
 * The MQTT 3.1.1/5 broker over mutual TLS ({@link io.mamori.hub.mqtt.MqttBroker}) and the contracts
 * it needs from the rest of the hub: {@link io.mamori.hub.mqtt.Authenticator}, {@link
 * io.mamori.hub.mqtt.ClientAuthorization}, {@link io.mamori.hub.mqtt.ReservedTopicHandler}, {@link
 * io.mamori.hub.mqtt.SessionStore} and {@link io.mamori.hub.mqtt.RetainedMessageStore}.
 *
 * <p>Sub-packages: {@code connection} (the Netty pipeline, one handler per protocol step), {@code
 * session} (sessions, in-flight window, queue, routing to subscribers), {@code routing} (topic
 * rules, subscription trie, retained messages), {@code persistence} (ordered write-through to the
 * stores).
 *
 * <p>Behaviour decisions, each following AWS IoT Core (reference §7) where it differs from plain
 * MQTT:
 *
 * <ul>
 *   <li>QoS 2 is not supported: MQTT 5 CONNACK advertises Maximum QoS 1; a QoS 2 PUBLISH gets
 *       DISCONNECT 0x9B (MQTT 5) or a close (3.1.1); a QoS 2 subscription is granted QoS 1; a QoS 2
 *       will is published at QoS 1.
 *   <li>{@code sensor/#} does not match {@code sensor} (AWS §7.1); filters starting with a wildcard
 *       never match {@code $} topics (MQTT §4.7.2).
 *   <li>Stored retained messages are delivered on SUBSCRIBE only to a filter equal to the topic
 *       (AWS §7.1), honouring MQTT 5 Retain Handling; never retained on {@code $} topics.
 *   <li>A client PUBLISH to a {@code $} topic goes only to the {@link
 *       io.mamori.hub.mqtt.ReservedTopicHandler} owning it, never to subscribers (clients cannot
 *       create {@code $} topics, AWS §7.7); with no handler it is dropped, and MQTT 5 QoS 1 gets
 *       PUBACK 0x90.
 *   <li>A handler answers either like any publisher ({@code ReservedTopicContext.reply}, routed to
 *       every subscriber) or to the requesting connection alone ({@code replyToCaller}), as AWS's
 *       certificate API must: its answers carry private keys.
 *   <li>A denied PUBLISH: MQTT 5 gets PUBACK 0x87 (QoS 1) or is dropped (QoS 0); MQTT 3.1.1 is
 *       disconnected (AUTH_ERROR), as AWS does. Every denial is a {@code mqtt.publish} event.
 *   <li>Full per-session queue ({@code maxQueuedMessagesPerSession}): the newest message is refused
 *       and a {@code mqtt.queue} failure event emitted (at most one per session per second,
 *       counting the refusals since the previous one, so a flood is not an event flood); QoS 0 to a
 *       non-writable (slow) client is dropped.
 *   <li>Publisher back-pressure ({@code publishBackPressure}): a QoS 1 PUBACK is held back while a
 *       connected subscriber session the message was queued for is above its high-water mark, until
 *       it drains to the low-water mark, disconnects, or the maximum delay passes; never blocking,
 *       in PUBLISH order, after the store commit ({@code connection.PubAcks}).
 *   <li>Over {@code maxRetainedMessages}: a new topic's retained message is routed but not retained
 *       ({@code mqtt.retain} failure event).
 *   <li>Over {@code maxConnections}: the socket is closed before any TLS work.
 *   <li>Revocation ({@link io.mamori.hub.mqtt.MqttBroker#disconnectPrincipal}): deliveries stop at
 *       once, MQTT 5 clients get DISCONNECT 0x87, no last will is published for a revoked identity,
 *       and an authentication of that principal still in flight is refused.
 *   <li>An empty client id is assigned by the broker for MQTT 5 and for 3.1.1 with clean session;
 *       3.1.1 without clean session is refused (return code 2).
 * </ul>
 */
package io.mamori.hub.mqtt;
