package io.mamori.hub.mqtt.connection;

/** The last will a CONNECT carried (MQTT 3.1.1 §3.1.2.5); QoS already capped at 1. */
public record Will(String topic, byte[] payload, int qos, boolean retain) {}
