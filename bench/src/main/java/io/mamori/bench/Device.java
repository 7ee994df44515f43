package io.mamori.bench;

import io.netty.handler.ssl.SslContext;

/**
 * A registered device: its thing name (also its MQTT client id and, with Mosquitto's {@code
 * use_identity_as_username}, its user name) and a client TLS context holding its certificate.
 */
record Device(String name, SslContext tls) {}
