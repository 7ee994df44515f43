package io.mamori.hub.jobs;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** An execution together with its job's document, as devices receive it. */
public record ExecutionView(JobExecution execution, ObjectNode jobDocument) {}
