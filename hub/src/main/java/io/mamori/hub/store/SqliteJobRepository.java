package io.mamori.hub.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mamori.hub.jobs.AbortCriterion;
import io.mamori.hub.jobs.ExecutionStatus;
import io.mamori.hub.jobs.Job;
import io.mamori.hub.jobs.JobExecution;
import io.mamori.hub.jobs.JobRepository;
import io.mamori.hub.jobs.JobStatus;
import io.mamori.hub.jobs.JobTargets;
import io.mamori.hub.jobs.RolloutConfig;
import io.mamori.hub.jobs.RolloutJson;
import io.mamori.hub.jobs.RolloutState;
import io.mamori.hub.jobs.TargetSelection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Jobs, their targets, executions and rollouts in SQLite (V11, V12). */
public final class SqliteJobRepository implements JobRepository {
  private static final String JOB_COLUMNS =
      "job_id, description, document, target_selection, abort_config, in_progress_timeout_minutes, status, force_canceled, created_at,"
          + " last_updated_at, completed_at";
  private static final String EXECUTION_COLUMNS =
      "job_id, thing_name, status, status_details, queued_at, started_at, last_updated_at,"
          + " version_number, execution_number, queue_order";
  private static final String THING = "thing";
  private static final String GROUP = "group";

  private final SqliteDatabase db;
  private final ObjectMapper json = new ObjectMapper();

  public SqliteJobRepository(SqliteDatabase db) {
    this.db = db;
  }

  @Override
  public void insert(Job job) {
    db.inTransaction(
        () -> {
          db.update(
              "INSERT INTO jobs (" + JOB_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
              job.jobId(),
              job.description(),
              text(job.document()),
              job.targetSelection().name(),
              text(json.valueToTree(job.abortCriteria())),
              job.inProgressTimeoutMinutes().orElse(null),
              job.status().name(),
              job.forceCanceled(),
              job.createdAt(),
              job.lastUpdatedAt(),
              job.completedAt().orElse(null));
          for (String thing : job.targets().things()) {
            db.update(
                "INSERT INTO job_targets (job_id, kind, name) VALUES (?, ?, ?)",
                job.jobId(),
                THING,
                thing);
          }
          for (String group : job.targets().groups()) {
            db.update(
                "INSERT INTO job_targets (job_id, kind, name) VALUES (?, ?, ?)",
                job.jobId(),
                GROUP,
                group);
          }
        });
  }

  @Override
  public void updateStatus(Job job) {
    db.update(
        "UPDATE jobs SET status = ?, force_canceled = ?, last_updated_at = ?, completed_at = ?"
            + " WHERE job_id = ?",
        job.status().name(),
        job.forceCanceled(),
        job.lastUpdatedAt(),
        job.completedAt().orElse(null),
        job.jobId());
  }

  @Override
  public Optional<Job> find(String jobId) {
    return db.inTransaction(
        () ->
            db.queryOne(
                    "SELECT " + JOB_COLUMNS + " FROM jobs WHERE job_id = ?", this::jobRow, jobId)
                .map(this::withTargets));
  }

  @Override
  public List<Job> list() {
    return db.inTransaction(
        () ->
            db
                .query(
                    "SELECT " + JOB_COLUMNS + " FROM jobs ORDER BY created_at DESC, job_id",
                    this::jobRow)
                .stream()
                .map(this::withTargets)
                .toList());
  }

  @Override
  public List<Job> continuousJobsTargeting(String group) {
    return db.inTransaction(
        () ->
            db
                .query(
                    "SELECT "
                        + JOB_COLUMNS
                        + " FROM jobs WHERE status = ? AND target_selection = ? AND job_id IN"
                        + " (SELECT job_id FROM job_targets WHERE kind = ? AND name = ?)"
                        + " ORDER BY created_at, job_id",
                    this::jobRow,
                    JobStatus.IN_PROGRESS.name(),
                    TargetSelection.CONTINUOUS.name(),
                    GROUP,
                    group)
                .stream()
                .map(this::withTargets)
                .toList());
  }

  @Override
  public void save(JobExecution e) {
    db.update(
        "INSERT INTO job_executions ("
            + EXECUTION_COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (job_id, thing_name) DO UPDATE SET status = excluded.status,"
            + " status_details = excluded.status_details, queued_at = excluded.queued_at,"
            + " started_at = excluded.started_at, last_updated_at = excluded.last_updated_at,"
            + " version_number = excluded.version_number,"
            + " execution_number = excluded.execution_number, queue_order = excluded.queue_order",
        e.jobId(),
        e.thingName(),
        e.status().name(),
        text(json.valueToTree(e.statusDetails())),
        e.queuedAt(),
        e.startedAt().orElse(null),
        e.lastUpdatedAt(),
        e.versionNumber(),
        e.executionNumber(),
        e.queueOrder());
  }

  @Override
  public Optional<JobExecution> findExecution(String jobId, String thing) {
    return db.queryOne(
        "SELECT " + EXECUTION_COLUMNS + " FROM job_executions WHERE job_id = ? AND thing_name = ?",
        this::executionRow,
        jobId,
        thing);
  }

  @Override
  public List<JobExecution> pendingOf(String thing) {
    return db.query(
        "SELECT "
            + EXECUTION_COLUMNS
            + " FROM job_executions WHERE thing_name = ? AND status IN (?, ?)"
            + " AND released_at IS NOT NULL ORDER BY queue_order",
        this::executionRow,
        thing,
        ExecutionStatus.QUEUED.name(),
        ExecutionStatus.IN_PROGRESS.name());
  }

  @Override
  public List<JobExecution> executionsOf(String jobId) {
    return db.query(
        "SELECT " + EXECUTION_COLUMNS + " FROM job_executions WHERE job_id = ? ORDER BY thing_name",
        this::executionRow,
        jobId);
  }

  @Override
  public List<JobExecution> inProgressTimedOut(long now) {
    return db.query(
        "SELECT "
            + EXECUTION_COLUMNS
            + " FROM job_executions WHERE status = ? AND started_at IS NOT NULL AND started_at +"
            + " (SELECT in_progress_timeout_minutes * 60 FROM jobs"
            + " WHERE jobs.job_id = job_executions.job_id) <= ? ORDER BY queue_order",
        this::executionRow,
        ExecutionStatus.IN_PROGRESS.name(),
        now);
  }

  @Override
  public Map<ExecutionStatus, Long> countsOf(String jobId) {
    Map<ExecutionStatus, Long> counts = new EnumMap<>(ExecutionStatus.class);
    for (ExecutionStatus status : ExecutionStatus.values()) {
      counts.put(status, 0L);
    }
    db.query(
            "SELECT status, COUNT(*) AS n FROM job_executions WHERE job_id = ? GROUP BY status",
            row -> Map.entry(ExecutionStatus.valueOf(row.getString("status")), row.getLong("n")),
            jobId)
        .forEach(e -> counts.put(e.getKey(), e.getValue()));
    return counts;
  }

  @Override
  public long nextQueueOrder() {
    return db.queryOne(
            "SELECT COALESCE(MAX(queue_order), 0) + 1 AS n FROM job_executions",
            row -> row.getLong("n"))
        .orElse(1L);
  }

  @Override
  public void delete(String jobId) {
    db.update("DELETE FROM jobs WHERE job_id = ?", jobId);
  }

  @Override
  public void saveRollout(RolloutState state) {
    String config = text(RolloutJson.write(state.config()));
    db.update(
        "INSERT INTO job_rollouts (job_id, config, rate_per_minute, increased_at,"
            + " notified_at_increase, succeeded_at_increase) VALUES (?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (job_id) DO UPDATE SET rate_per_minute = excluded.rate_per_minute,"
            + " increased_at = excluded.increased_at,"
            + " notified_at_increase = excluded.notified_at_increase,"
            + " succeeded_at_increase = excluded.succeeded_at_increase",
        state.jobId(),
        config,
        state.ratePerMinute(),
        state.increasedAt(),
        state.notifiedAtIncrease(),
        state.succeededAtIncrease());
  }

  @Override
  public Optional<RolloutState> rollout(String jobId) {
    return db.queryOne("SELECT * FROM job_rollouts WHERE job_id = ?", this::rolloutRow, jobId);
  }

  @Override
  public List<RolloutState> activeRollouts() {
    return db.query(
        "SELECT r.* FROM job_rollouts r JOIN jobs j ON j.job_id = r.job_id WHERE j.status = ?"
            + " AND EXISTS (SELECT 1 FROM job_executions e WHERE e.job_id = r.job_id"
            + " AND e.status = ? AND e.released_at IS NULL) ORDER BY j.created_at, r.job_id",
        this::rolloutRow,
        JobStatus.IN_PROGRESS.name(),
        ExecutionStatus.QUEUED.name());
  }

  @Override
  public void release(String jobId, List<String> things, long atMillis) {
    for (String thing : things) {
      db.update(
          "UPDATE job_executions SET released_at = ? WHERE job_id = ? AND thing_name = ?",
          atMillis,
          jobId,
          thing);
    }
  }

  @Override
  public List<String> unreleased(String jobId, long limit) {
    return db.query(
        "SELECT thing_name FROM job_executions WHERE job_id = ? AND status = ?"
            + " AND released_at IS NULL ORDER BY queue_order LIMIT ?",
        row -> row.getString("thing_name"),
        jobId,
        ExecutionStatus.QUEUED.name(),
        limit);
  }

  @Override
  public long releasedAfter(String jobId, long afterMillis) {
    return db.queryOne(
            "SELECT COUNT(*) AS n FROM job_executions WHERE job_id = ? AND released_at > ?",
            row -> row.getLong("n"),
            jobId,
            afterMillis)
        .orElse(0L);
  }

  @Override
  public long releasedCount(String jobId) {
    return db.queryOne(
            "SELECT COUNT(*) AS n FROM job_executions WHERE job_id = ?"
                + " AND released_at IS NOT NULL",
            row -> row.getLong("n"),
            jobId)
        .orElse(0L);
  }

  @Override
  public boolean isReleased(String jobId, String thing) {
    return db.queryOne(
            "SELECT 1 AS one FROM job_executions WHERE job_id = ? AND thing_name = ?"
                + " AND released_at IS NOT NULL",
            row -> true,
            jobId,
            thing)
        .isPresent();
  }

  @Override
  public Map<String, Long> releaseTimes(String jobId) {
    Map<String, Long> times = new java.util.HashMap<>();
    db.query(
            "SELECT thing_name, released_at FROM job_executions WHERE job_id = ?"
                + " AND released_at IS NOT NULL",
            row -> Map.entry(row.getString("thing_name"), row.getLong("released_at")),
            jobId)
        .forEach(e -> times.put(e.getKey(), e.getValue()));
    return times;
  }

  private RolloutState rolloutRow(ResultSet row) throws SQLException {
    RolloutConfig config = RolloutJson.parse(tree(row.getString("config")));
    return new RolloutState(
        row.getString("job_id"),
        config,
        row.getInt("rate_per_minute"),
        row.getLong("increased_at"),
        row.getLong("notified_at_increase"),
        row.getLong("succeeded_at_increase"));
  }

  private Job withTargets(Job job) {
    Set<String> things = new HashSet<>();
    Set<String> groups = new HashSet<>();
    db.query(
            "SELECT kind, name FROM job_targets WHERE job_id = ?",
            row -> Map.entry(row.getString("kind"), row.getString("name")),
            job.jobId())
        .forEach(t -> (t.getKey().equals(GROUP) ? groups : things).add(t.getValue()));
    return new Job(
        job.jobId(),
        job.description(),
        job.document(),
        new JobTargets(things, groups),
        job.targetSelection(),
        job.abortCriteria(),
        job.inProgressTimeoutMinutes(),
        job.status(),
        job.forceCanceled(),
        job.createdAt(),
        job.lastUpdatedAt(),
        job.completedAt());
  }

  private Job jobRow(ResultSet row) throws SQLException {
    long minutes = row.getLong("in_progress_timeout_minutes");
    Optional<Long> timeout = row.wasNull() ? Optional.empty() : Optional.of(minutes);
    long completed = row.getLong("completed_at");
    Optional<Long> completedAt = row.wasNull() ? Optional.empty() : Optional.of(completed);
    return new Job(
        row.getString("job_id"),
        row.getString("description"),
        (ObjectNode) tree(row.getString("document")),
        new JobTargets(Set.of(), Set.of()),
        TargetSelection.valueOf(row.getString("target_selection")),
        abortCriteria(row.getString("abort_config")),
        timeout,
        JobStatus.valueOf(row.getString("status")),
        row.getBoolean("force_canceled"),
        row.getLong("created_at"),
        row.getLong("last_updated_at"),
        completedAt);
  }

  private JobExecution executionRow(ResultSet row) throws SQLException {
    long started = row.getLong("started_at");
    Optional<Long> startedAt = row.wasNull() ? Optional.empty() : Optional.of(started);
    Map<String, String> details;
    try {
      details =
          json.readValue(
              row.getString("status_details"), new TypeReference<Map<String, String>>() {});
    } catch (JsonProcessingException e) {
      throw new StoreException(StoreException.Kind.FAILURE, "cannot decode status details", e);
    }
    return new JobExecution(
        row.getString("job_id"),
        row.getString("thing_name"),
        ExecutionStatus.valueOf(row.getString("status")),
        details,
        row.getLong("queued_at"),
        startedAt,
        row.getLong("last_updated_at"),
        row.getLong("version_number"),
        row.getLong("execution_number"),
        row.getLong("queue_order"));
  }

  private List<AbortCriterion> abortCriteria(String text) {
    try {
      return json.readValue(text, new TypeReference<List<AbortCriterion>>() {});
    } catch (JsonProcessingException e) {
      throw new StoreException(StoreException.Kind.FAILURE, "cannot decode an abort config", e);
    }
  }

  private JsonNode tree(String text) {
    try {
      return json.readTree(text);
    } catch (JsonProcessingException e) {
      throw new StoreException(StoreException.Kind.FAILURE, "cannot decode a job document", e);
    }
  }

  private String text(JsonNode tree) {
    try {
      return json.writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      throw new StoreException(StoreException.Kind.FAILURE, "cannot encode a job", e);
    }
  }
}
