/**
 * Mamori's reference device agent: a small library a device program links ({@code connection}:
 * mutual-TLS MQTT and the request/response pattern of the {@code $aws/...} APIs; {@code
 * credentials}: key and certificate files; {@code identity}: the certificate API and rotation) and
 * the {@code mamori-agent} CLI ({@code cli}) built on it. It never depends on the hub: a device is
 * a separate program that speaks only MQTT, as devices written for AWS IoT do.
 */
package io.mamori.agent;
