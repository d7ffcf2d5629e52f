package dev.oneclick.engine.internal;

import dev.oneclick.DeployListener;
import dev.oneclick.errors.AwsRequestException;
import dev.oneclick.resources.AwsResources;
import dev.oneclick.resources.ResourcesSchema;
import dev.oneclick.tracking.DeploymentRecord;
import dev.oneclick.tracking.DeploymentStatus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One plan, deploy or destroy of one project, as its steps see it: who and what it is for, what the engine recorded
 * earlier ({@link #own()}), and the ways to report and record. Each resource a step creates is recorded with
 * {@link #record} the moment it exists, before its settings are applied, so nothing exists without a record of it.
 * Used by one thread at a time.
 */
public final class Run {
    private final String guid;
    private final String userId;
    private final String projectName;
    private final String region;
    private final Map<String, String> tags;
    private final DeployListener listener;
    private final ProjectRecords records;
    private final Optional<DeploymentRecord> startRecord;
    private final List<String> created = new ArrayList<>();
    private final List<String> reused = new ArrayList<>();
    private AwsResources own;
    private LeaseKeeper lease;
    private boolean wrote;
    private String incomplete;
    private DeploymentStatus finalStatus;

    public Run(String guid, String userId, String projectName, String region, Map<String, String> tags,
            DeployListener listener, ProjectRecords records, Optional<DeploymentRecord> startRecord) {
        this.guid = guid;
        this.userId = userId;
        this.projectName = projectName;
        this.region = region;
        this.tags = Map.copyOf(tags);
        this.listener = listener;
        this.records = records;
        this.startRecord = startRecord;
        this.own = startRecord.map(DeploymentRecord::oneclickResources).orElse(AwsResources.empty());
    }

    public String guid() {
        return guid;
    }

    public String userId() {
        return userId;
    }

    public String projectName() {
        return projectName;
    }

    /** The region the run deploys to. */
    public String region() {
        return region;
    }

    /** The tags every resource gets: project GUID, user id, managed-by. */
    public Map<String, String> tags() {
        return tags;
    }

    public DeployListener listener() {
        return listener;
    }

    /** The record as it was when the run started (empty when there was none). */
    public Optional<DeploymentRecord> startRecord() {
        return startRecord;
    }

    /**
     * What the engine itself created and recorded, as of now: hints to find resources by, never proof that they are
     * this project's (steps still check {@link Ownership}). Values reported by {@code resources} events are not here.
     */
    public AwsResources own() {
        return own;
    }

    /** Reports progress to the listener. */
    public void progress(String message) {
        listener.progress(new DeployListener.Progress(guid, message));
    }

    /**
     * Records resources the engine created or found as its own, at once (skipped when the record already holds
     * exactly these values, which were checked when they were recorded), then checks them against the resources
     * schema: a value AWS returned in a form the
     * schema does not allow is already on record, and fails the run as an {@link AwsRequestException} naming the
     * service and operation that returned it.
     */
    public void record(String service, String operation, AwsResources resources) {
        if (!write(resources)) {
            return; // the record already holds exactly these values, checked when they were first recorded
        }
        List<String> problems = ResourcesSchema.errors(resources.toJson());
        if (!problems.isEmpty()) {
            throw new AwsRequestException(service, operation, null, service + " " + operation + " returned values "
                    + "oneclick cannot use: " + String.join("; ", problems) + ". They are recorded in project "
                    + guid + "'s record, so destroy can still find the resource.", null);
        }
    }

    /** Records resources the engine created or found as its own, at once (see {@link #record(String, String,
     * AwsResources)}); for values oneclick derived itself. */
    public void record(AwsResources resources) {
        write(resources);
    }

    /** Writes {@code resources} unless the record already holds exactly these values; true when it wrote. */
    private boolean write(AwsResources resources) {
        boolean same = resources.asMap().entrySet().stream()
                .allMatch(e -> own.get(e.getKey()).map(v -> v.equals(e.getValue())).orElse(false));
        if (same) {
            return false;
        }
        checkLease();
        records.recordResources(userId, guid, projectName, resources);
        own = own.merge(resources);
        wrote = true;
        return true;
    }

    /** Writes the run's status (and last error, null clearing it) to the record. */
    public void status(DeploymentStatus status, String error) {
        records.updateStatus(userId, guid, projectName, status, error);
        wrote = true;
    }

    /**
     * Notes the status the run ends with when it succeeds; the engine writes it together with giving the lease back
     * (one write instead of two). Only for the last write of a run: nothing may be recorded after it.
     */
    public void finalStatus(DeploymentStatus status) {
        this.finalStatus = status;
        wrote = true;
    }

    /** The status noted by {@link #finalStatus}, or empty. */
    Optional<DeploymentStatus> finalStatus() {
        return Optional.ofNullable(finalStatus);
    }

    /** Removes the keys of deleted resources from the record, at once. */
    public void forget(String... keys) {
        List<String> present = Arrays.stream(keys).filter(k -> own.get(k).isPresent()
                || startRecord.map(r -> r.awsResources().get(k).isPresent()).orElse(false)).toList();
        if (present.isEmpty()) {
            return;
        }
        checkLease();
        records.forgetResources(userId, guid, present);
        AwsResources.Builder b = own.toBuilder();
        present.forEach(k -> b.put(k, null));
        own = b.build();
        wrote = true;
    }

    /** Notes a resource this run created (true) or found and kept (false), and tells the listener. */
    public void noted(String type, String name, boolean createdNow) {
        (createdNow ? created : reused).add(type + ": " + name);
        listener.resourceCreated(new DeployListener.ResourceCreated(guid, type, name, !createdNow));
    }

    public List<String> created() {
        return Collections.unmodifiableList(created);
    }

    public List<String> reused() {
        return Collections.unmodifiableList(reused);
    }

    /** Whether the run wrote anything to the record besides its lease. */
    public boolean wrote() {
        return wrote;
    }

    /** Marks a destroy as unfinished (a step had to leave something for a rerun); the first reason is kept. */
    public void incomplete(String reason) {
        if (incomplete == null) {
            incomplete = reason;
        }
    }

    /** Why the destroy is unfinished, or empty. */
    public Optional<String> incompleteReason() {
        return Optional.ofNullable(incomplete);
    }

    void holding(LeaseKeeper lease) {
        this.lease = lease;
    }

    /** Stops the run before its next change if its lease was lost. */
    public void checkLease() {
        if (lease != null) {
            lease.check();
        }
    }
}
