package io.mamori.hub.jobs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mamori.hub.events.EventPublisher;
import io.mamori.hub.events.HubEvent;
import io.mamori.hub.groups.MembershipChange;
import io.mamori.hub.groups.ThingGroups;
import io.mamori.hub.registry.RegistryException;
import io.mamori.hub.registry.ThingRepository;
import io.mamori.hub.registry.Transactor;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Jobs (reference §3): operators create and cancel them, devices fetch, start and report their
 * executions. Every state change reads, checks and writes in one transaction, so two updates of the
 * same execution can never both win; the {@code notify} / {@code notify-next} events a change
 * causes are computed inside that transaction (pending list before and after) and published only
 * after it commits.
 */
public final class JobService {
  public static final String NEXT = "$next";
  static final int MAX_DOCUMENT_BYTES = 32 * 1024;
  private static final Pattern JOB_ID = Pattern.compile("[a-zA-Z0-9_-]{1,64}");
  private static final int MAX_DESCRIPTION = 2028;

  /** In-progress timer: 1 minute to 7 days (reference §3.4). */
  static final long MAX_TIMEOUT_MINUTES = 10_080;

  private final JobRepository jobs;
  private final ThingRepository things;
  private final ThingGroups groups;
  private final Transactor transactor;
  private final EventPublisher events;
  private final JobNotifier notifier;
  private final Clock clock;
  private final DeliveredDocuments delivered;

  public JobService(
      JobRepository jobs,
      ThingRepository things,
      ThingGroups groups,
      Transactor transactor,
      EventPublisher events,
      JobNotifier notifier,
      Clock clock) {
    this(jobs, things, groups, transactor, events, notifier, clock, DeliveredDocuments.AS_STORED);
  }

  /** As above; devices receive documents as {@code delivered} renders them for their thing. */
  public JobService(
      JobRepository jobs,
      ThingRepository things,
      ThingGroups groups,
      Transactor transactor,
      EventPublisher events,
      JobNotifier notifier,
      Clock clock,
      DeliveredDocuments delivered) {
    this.delivered = delivered;
    this.jobs = jobs;
    this.things = things;
    this.groups = groups;
    this.transactor = transactor;
    this.events = events;
    this.notifier = notifier;
    this.clock = clock;
  }

  // ---- operators ----

  /**
   * Creates a job and queues one execution per targeted thing (group members counted recursively).
   * Every named thing and group must exist.
   */
  public Job create(
      String jobId,
      String description,
      ObjectNode document,
      JobTargets targets,
      TargetSelection selection,
      List<AbortCriterion> abort,
      Optional<Long> inProgressTimeoutMinutes,
      String actor) {
    return create(
        jobId,
        description,
        document,
        targets,
        selection,
        abort,
        inProgressTimeoutMinutes,
        RolloutConfig.DEFAULT,
        actor);
  }

  /**
   * As above, with a rollout rate: the first executions the rate allows are released (their devices
   * notified) at once, the rest stay QUEUED and unseen until {@link #releaseDue} lets them go.
   */
  public Job create(
      String jobId,
      String description,
      ObjectNode document,
      JobTargets targets,
      TargetSelection selection,
      List<AbortCriterion> abort,
      Optional<Long> inProgressTimeoutMinutes,
      RolloutConfig rollout,
      String actor) {
    if (jobId == null || !JOB_ID.matcher(jobId).matches()) {
      throw invalid("jobId must be 1-64 characters of letters, digits, '-' and '_'");
    }
    if (document == null) {
      throw invalid("document must be a JSON object");
    }
    if (JobJson.bytes(document).length > MAX_DOCUMENT_BYTES) {
      throw invalid("document is larger than 32 KB");
    }
    String text = Objects.requireNonNullElse(description, "");
    if (text.length() > MAX_DESCRIPTION) {
      throw invalid("description is longer than " + MAX_DESCRIPTION + " characters");
    }
    if (targets.isEmpty()) {
      throw invalid("a job needs at least one target thing or group");
    }
    if (inProgressTimeoutMinutes.isPresent()
        && (inProgressTimeoutMinutes.get() < 1
            || inProgressTimeoutMinutes.get() > MAX_TIMEOUT_MINUTES)) {
      throw invalid("inProgressTimeoutInMinutes must be 1.." + MAX_TIMEOUT_MINUTES);
    }
    long now = now();
    Job job =
        new Job(
            jobId,
            text,
            document.deepCopy(),
            targets,
            selection,
            abort,
            inProgressTimeoutMinutes,
            JobStatus.IN_PROGRESS,
            false,
            now,
            now,
            Optional.empty());
    Job created =
        transact(
            changes -> {
              if (jobs.find(jobId).isPresent()) {
                throw new JobException(JobException.Kind.CONFLICT, "job " + jobId + " exists");
              }
              Set<String> reached = resolve(targets);
              jobs.insert(job);
              for (String thing : reached) {
                jobs.save(JobExecution.queued(jobId, thing, now, 1, jobs.nextQueueOrder()));
              }
              RolloutState state = RolloutState.start(jobId, rollout, clock.millis());
              jobs.saveRollout(state);
              release(state, changes, clock.millis());
              return completeIfDone(job, now);
            });
    events.publish(
        event(
            "job.created",
            actor,
            jobId,
            Map.of(
                "targetSelection", selection.name(),
                "maximumPerMinute", Integer.toString(rollout.maximumPerMinute()))));
    return created;
  }

  public List<Job> list() {
    return jobs.list();
  }

  /** The job, without its executions. */
  public Optional<Job> find(String jobId) {
    return transactor.inTransaction(() -> jobs.find(jobId));
  }

  public JobDescription describe(String jobId) {
    return transactor.inTransaction(
        () -> {
          Job job = existingJob(jobId);
          return new JobDescription(
              job,
              jobs.countsOf(jobId),
              jobs.executionsOf(jobId),
              jobs.rollout(jobId),
              jobs.releaseTimes(jobId));
        });
  }

  /**
   * Cancels a job: its QUEUED executions become CANCELED, and with {@code force} its IN_PROGRESS
   * ones too (otherwise devices may still finish those). Devices are told through notify events.
   */
  public Job cancel(String jobId, boolean force, String actor) {
    Job canceled =
        transact(
            changes -> {
              Job job = existingJob(jobId);
              if (job.status() != JobStatus.IN_PROGRESS) {
                throw new JobException(
                    JobException.Kind.CONFLICT,
                    "job "
                        + jobId
                        + " is "
                        + job.status()
                        + ", only an IN_PROGRESS job is canceled");
              }
              long now = now();
              for (JobExecution e : jobs.executionsOf(jobId)) {
                boolean cancels =
                    e.status() == ExecutionStatus.QUEUED
                        || (force && e.status() == ExecutionStatus.IN_PROGRESS);
                if (cancels) {
                  changes.touch(e.thingName());
                  jobs.save(e.moveTo(ExecutionStatus.CANCELED, Optional.empty(), now));
                }
              }
              Job updated = job.withStatus(JobStatus.CANCELED, force, now);
              jobs.updateStatus(updated);
              return updated;
            });
    events.publish(event("job.canceled", actor, jobId, Map.of("force", Boolean.toString(force))));
    return canceled;
  }

  /**
   * DeleteJob: removes a job and all its executions. An IN_PROGRESS job only with {@code force}
   * (AWS's rule: devices may be running it); its devices are told through notify events.
   */
  public void delete(String jobId, boolean force, String actor) {
    transact(
        changes -> {
          Job job = existingJob(jobId);
          if (job.status() == JobStatus.IN_PROGRESS && !force) {
            throw new JobException(
                JobException.Kind.CONFLICT,
                "job " + jobId + " is IN_PROGRESS; cancel it first or delete with force");
          }
          for (JobExecution e : jobs.executionsOf(jobId)) {
            if (e.status().pending()) {
              changes.touch(e.thingName());
            }
          }
          jobs.delete(jobId);
          return null;
        });
    events.publish(event("job.deleted", actor, jobId, Map.of("force", Boolean.toString(force))));
  }

  /**
   * Releases, for every job still holding executions back, as many as its rollout rate allows now:
   * never more than the rate within any {@link RolloutConfig#WINDOW_MILLIS} window. Called every
   * second by {@link Jobs}.
   *
   * @return how many executions were released (their devices notified)
   */
  public int releaseDue() {
    return transact(
        changes -> {
          long now = clock.millis();
          int released = 0;
          for (RolloutState state : jobs.activeRollouts()) {
            released += release(state, changes, now);
          }
          return released;
        });
  }

  // ---- devices (thing is the caller's own thing, checked by the topic handler) ----

  /** GetPendingJobExecutions: the thing's IN_PROGRESS and QUEUED executions, in queue order. */
  public List<JobExecution> pending(String thing) {
    return transactor.inTransaction(() -> jobs.pendingOf(thing));
  }

  /**
   * StartNextPendingJobExecution: the IN_PROGRESS execution if there is one (unchanged), else the
   * oldest QUEUED one moved to IN_PROGRESS with {@code details}; empty when nothing is pending.
   */
  public Optional<ExecutionView> startNext(String thing, Optional<Map<String, String>> details) {
    return transact(
        changes -> {
          Optional<JobExecution> next = next(jobs.pendingOf(thing));
          if (next.isEmpty()) {
            return Optional.empty();
          }
          JobExecution e = next.get();
          if (e.status() == ExecutionStatus.QUEUED) {
            changes.touch(thing);
            e = e.moveTo(ExecutionStatus.IN_PROGRESS, details, now());
            jobs.save(e);
          }
          return Optional.of(view(e));
        });
  }

  /**
   * DescribeJobExecution of {@code jobId} or {@link #NEXT}; empty only for {@code $next} with
   * nothing pending.
   */
  public Optional<ExecutionView> describeExecution(
      String thing, String jobId, Optional<Long> executionNumber) {
    return transactor.inTransaction(
        () -> {
          if (jobId.equals(NEXT)) {
            return next(jobs.pendingOf(thing)).map(this::view);
          }
          JobExecution e = existingExecution(thing, jobId);
          if (executionNumber.isPresent() && executionNumber.get() != e.executionNumber()) {
            throw notFound(thing, jobId);
          }
          if (e.status().terminal()) {
            // Reference §3.2: describing an execution already in a terminal state.
            throw new JobRejection(
                JobRejection.TERMINAL_STATE_REACHED,
                "job execution " + jobId + " of " + thing + " is " + e.status());
          }
          return Optional.of(view(e));
        });
  }

  /** UpdateJobExecution (reference §3.2); the answer's flags are the caller's to apply. */
  public ExecutionView update(String thing, String jobId, UpdateRequest request) {
    return transact(
        changes -> {
          JobExecution e = existingExecution(thing, jobId);
          if (request.executionNumber().isPresent()
              && request.executionNumber().get() != e.executionNumber()) {
            throw notFound(thing, jobId);
          }
          if (request.expectedVersion().isPresent()
              && request.expectedVersion().get() != e.versionNumber()) {
            throw new JobRejection(
                JobRejection.VERSION_MISMATCH,
                "expectedVersion "
                    + request.expectedVersion().get()
                    + " is not the current version "
                    + e.versionNumber(),
                Optional.of(e));
          }
          if (!e.status().deviceMayMoveTo(request.status())) {
            throw new JobRejection(
                JobRejection.INVALID_STATE_TRANSITION,
                "cannot update job execution from " + e.status() + " to " + request.status(),
                Optional.of(e));
          }
          long now = now();
          changes.touch(thing);
          JobExecution updated = e.moveTo(request.status(), request.statusDetails(), now);
          jobs.save(updated);
          Job job = existingJob(jobId);
          if (updated.status().terminal()) {
            transactor.afterCommit(() -> events.publish(executionEvent(updated, thing)));
            job = abortIfThresholdReached(job, changes, now);
            completeIfDone(job, now);
          }
          // Reference §3.5 jobExecution events: what the device reported, after it is stored.
          transactor.afterCommit(
              () ->
                  events.publish(
                      new HubEvent(
                          "job.execution.updated",
                          clock.instant(),
                          thing,
                          jobId,
                          HubEvent.SUCCESS,
                          "",
                          Map.of(
                              "status", updated.status().name(),
                              "executionNumber", Long.toString(updated.executionNumber())))));
          return new ExecutionView(updated, delivered.forThing(thing, job.document()));
        });
  }

  /**
   * Moves every IN_PROGRESS execution whose job's in-progress timer ran out to TIMED_OUT, then
   * applies those jobs' abort rules and completion. Called periodically by {@link Jobs}.
   *
   * @return how many executions timed out
   */
  public int timeOutExpired() {
    return transact(
        changes -> {
          long now = now();
          List<JobExecution> expired = jobs.inProgressTimedOut(now);
          Set<String> jobIds = new LinkedHashSet<>();
          for (JobExecution e : expired) {
            changes.touch(e.thingName());
            JobExecution timedOut = e.moveTo(ExecutionStatus.TIMED_OUT, Optional.empty(), now);
            jobs.save(timedOut);
            transactor.afterCommit(() -> events.publish(executionEvent(timedOut, "hub")));
            jobIds.add(e.jobId());
          }
          for (String jobId : jobIds) {
            completeIfDone(abortIfThresholdReached(existingJob(jobId), changes, now), now);
          }
          return expired.size();
        });
  }

  // ---- continuous jobs ----

  /**
   * Follows group membership for CONTINUOUS jobs: a thing joining a target group is queued (again,
   * with the next execution number, if it had been removed); a thing no longer targeted at all has
   * its pending execution REMOVED.
   */
  public void membershipChanged(MembershipChange change) {
    String thing = change.thing();
    transact(
        changes -> {
          if (things.find(thing).isEmpty()) {
            return null; // deleted: its executions went with it
          }
          long now = now();
          for (String group : change.joined()) {
            for (Job job : jobs.continuousJobsTargeting(group)) {
              Optional<JobExecution> existing = jobs.findExecution(job.jobId(), thing);
              if (existing.isEmpty() || existing.get().status() == ExecutionStatus.REMOVED) {
                long number = existing.map(e -> e.executionNumber() + 1).orElse(1L);
                changes.touch(thing);
                jobs.save(
                    JobExecution.queued(job.jobId(), thing, now, number, jobs.nextQueueOrder()));
                // Reference §3.4: later group members are not rate-limited by the rollout.
                jobs.release(job.jobId(), List.of(thing), clock.millis());
              }
            }
          }
          Set<String> current = change.left().isEmpty() ? Set.of() : groups.groupsOf(thing);
          for (String group : change.left()) {
            for (Job job : jobs.continuousJobsTargeting(group)) {
              boolean stillTargeted =
                  job.targets().things().contains(thing)
                      || job.targets().groups().stream().anyMatch(current::contains);
              Optional<JobExecution> existing = jobs.findExecution(job.jobId(), thing);
              if (!stillTargeted && existing.isPresent() && existing.get().status().pending()) {
                changes.touch(thing);
                jobs.save(existing.get().moveTo(ExecutionStatus.REMOVED, Optional.empty(), now));
              }
            }
          }
          return null;
        });
  }

  // ---- internals ----

  /** AWS's $next: the IN_PROGRESS execution first, else the oldest QUEUED one. */
  static Optional<JobExecution> next(List<JobExecution> pending) {
    return pending.stream()
        .filter(e -> e.status() == ExecutionStatus.IN_PROGRESS)
        .findFirst()
        .or(() -> pending.stream().filter(e -> e.status() == ExecutionStatus.QUEUED).findFirst());
  }

  private Set<String> resolve(JobTargets targets) {
    Set<String> reached = new LinkedHashSet<>();
    for (String thing : targets.things()) {
      if (things.find(thing).isEmpty()) {
        throw invalid("target thing " + thing + " does not exist");
      }
      reached.add(thing);
    }
    for (String group : targets.groups()) {
      try {
        reached.addAll(groups.thingsIn(group, true));
      } catch (RegistryException e) {
        if (e.kind() == RegistryException.Kind.NOT_FOUND) {
          throw invalid("target group " + group + " does not exist");
        }
        throw e;
      }
    }
    return reached;
  }

  /**
   * Applies the job's abort rules in order (reference §3.4): the first one reached cancels the job
   * and its QUEUED executions; IN_PROGRESS ones are left to finish.
   */
  private Job abortIfThresholdReached(Job job, Changes changes, long now) {
    if (job.status() != JobStatus.IN_PROGRESS || job.abortCriteria().isEmpty()) {
      return job;
    }
    Map<ExecutionStatus, Long> counts = jobs.countsOf(job.jobId());
    Optional<AbortCriterion> reached =
        job.abortCriteria().stream().filter(c -> c.reached(counts)).findFirst();
    if (reached.isEmpty()) {
      return job;
    }
    for (JobExecution e : jobs.executionsOf(job.jobId())) {
      if (e.status() == ExecutionStatus.QUEUED) {
        changes.touch(e.thingName());
        jobs.save(e.moveTo(ExecutionStatus.CANCELED, Optional.empty(), now));
      }
    }
    Job aborted = job.withStatus(JobStatus.CANCELED, false, now);
    jobs.updateStatus(aborted);
    AbortCriterion rule = reached.get();
    transactor.afterCommit(
        () ->
            events.publish(
                event(
                    "job.aborted",
                    "hub",
                    job.jobId(),
                    Map.of(
                        "failureType", rule.failureType().name(),
                        "thresholdPercentage", Double.toString(rule.thresholdPercentage()),
                        "minNumberOfExecutedThings",
                            Long.toString(rule.minNumberOfExecutedThings())))));
    return aborted;
  }

  /**
   * Releases what {@code state}'s rate allows at {@code nowMillis}, after stepping an exponential
   * rate up if its criteria are met; touches the released things so their devices are notified.
   */
  private int release(RolloutState state, Changes changes, long nowMillis) {
    String jobId = state.jobId();
    long succeeded = jobs.countsOf(jobId).getOrDefault(ExecutionStatus.SUCCEEDED, 0L);
    RolloutState current = state.advance(jobs.releasedCount(jobId), succeeded, nowMillis);
    if (!current.equals(state)) {
      jobs.saveRollout(current);
    }
    long allowed =
        current.ratePerMinute()
            - jobs.releasedAfter(jobId, nowMillis - RolloutConfig.WINDOW_MILLIS);
    if (allowed <= 0) {
      return 0;
    }
    List<String> due = jobs.unreleased(jobId, allowed);
    due.forEach(changes::touch);
    jobs.release(jobId, due, nowMillis);
    return due.size();
  }

  /** {@code job.execution.succeeded|failed|rejected|timed_out}: a device's final answer. */
  private HubEvent executionEvent(JobExecution e, String actor) {
    return new HubEvent(
        "job.execution." + e.status().name().toLowerCase(java.util.Locale.ROOT),
        clock.instant(),
        actor,
        e.jobId(),
        HubEvent.SUCCESS,
        "",
        Map.of(
            "thing", e.thingName(),
            "executionNumber", Long.toString(e.executionNumber()),
            "versionNumber", Long.toString(e.versionNumber())));
  }

  /** A snapshot job whose executions are all terminal is COMPLETED. */
  private Job completeIfDone(Job job, long now) {
    if (job.targetSelection() != TargetSelection.SNAPSHOT
        || job.status() != JobStatus.IN_PROGRESS) {
      return job;
    }
    boolean done = jobs.executionsOf(job.jobId()).stream().allMatch(e -> e.status().terminal());
    if (!done) {
      return job;
    }
    Job completed = job.withStatus(JobStatus.COMPLETED, false, now);
    jobs.updateStatus(completed);
    transactor.afterCommit(
        () -> events.publish(event("job.completed", "hub", job.jobId(), Map.of())));
    return completed;
  }

  private ExecutionView view(JobExecution e) {
    return new ExecutionView(
        e, delivered.forThing(e.thingName(), existingJob(e.jobId()).document()));
  }

  private Job existingJob(String jobId) {
    return jobs.find(jobId)
        .orElseThrow(
            () -> new JobException(JobException.Kind.NOT_FOUND, "job " + jobId + " not found"));
  }

  /** The thing's execution of the job; one its rollout has not released does not exist yet. */
  private JobExecution existingExecution(String thing, String jobId) {
    return jobs.findExecution(jobId, thing)
        .filter(e -> jobs.isReleased(jobId, thing))
        .orElseThrow(() -> notFound(thing, jobId));
  }

  private static JobRejection notFound(String thing, String jobId) {
    return new JobRejection(
        JobRejection.RESOURCE_NOT_FOUND,
        "job execution " + jobId + " of thing " + thing + " not found");
  }

  private static JobException invalid(String message) {
    return new JobException(JobException.Kind.INVALID, message);
  }

  private long now() {
    return clock.instant().getEpochSecond();
  }

  private HubEvent event(String type, String actor, String jobId, Map<String, String> details) {
    return new HubEvent(type, clock.instant(), actor, jobId, HubEvent.SUCCESS, "", details);
  }

  /** Runs {@code work} in a transaction, then publishes the notify events its changes caused. */
  private <T> T transact(Function<Changes, T> work) {
    Changes changes = new Changes();
    List<Map.Entry<String, ObjectNode>> messages = new ArrayList<>();
    T result =
        transactor.inTransaction(
            () -> {
              T r = work.apply(changes);
              messages.addAll(changes.messages(now()));
              return r;
            });
    messages.forEach(m -> notifier.publish(m.getKey(), JobJson.bytes(m.getValue())));
    return result;
  }

  /** The pending lists of the things a change touches, as they were before it. */
  private final class Changes {
    private final Map<String, List<JobExecution>> before = new LinkedHashMap<>();

    /** Call before changing any execution of {@code thing}. */
    void touch(String thing) {
      before.computeIfAbsent(thing, jobs::pendingOf);
    }

    List<Map.Entry<String, ObjectNode>> messages(long now) {
      List<Map.Entry<String, ObjectNode>> out = new ArrayList<>();
      Map<String, ObjectNode> documents = new HashMap<>();
      before.forEach(
          (thing, old) -> {
            List<JobExecution> pending = jobs.pendingOf(thing);
            String prefix = "$aws/things/" + thing + "/jobs/";
            if (!ids(old).equals(ids(pending))) {
              out.add(Map.entry(prefix + "notify", JobJson.notify(pending, now)));
            }
            Optional<JobExecution> oldNext = next(old);
            Optional<JobExecution> newNext = next(pending);
            if (!identity(oldNext).equals(identity(newNext))) {
              ObjectNode body = JobJson.JSON.createObjectNode().put("timestamp", now);
              newNext.ifPresent(
                  e ->
                      body.set(
                          "execution",
                          JobJson.executionData(
                              new ExecutionView(
                                  e,
                                  delivered.forThing(
                                      thing,
                                      documents.computeIfAbsent(
                                          e.jobId(), id -> existingJob(id).document()))),
                              true)));
              out.add(Map.entry(prefix + "notify-next", body));
            }
          });
      return out;
    }

    private static Set<String> ids(List<JobExecution> list) {
      Set<String> ids = new LinkedHashSet<>();
      list.forEach(e -> ids.add(e.jobId() + "#" + e.executionNumber()));
      return ids;
    }

    private static Optional<String> identity(Optional<JobExecution> e) {
      return e.map(x -> x.jobId() + "#" + x.executionNumber());
    }
  }
}
