package dev.oneclick.tracking;

import dev.oneclick.errors.ConcurrentUpdateException;
import dev.oneclick.errors.InvalidInputException;
import dev.oneclick.errors.ProjectBusyException;
import dev.oneclick.errors.ProjectNotFoundException;
import dev.oneclick.errors.TableSchemaMismatchException;
import dev.oneclick.errors.TooLargeException;
import dev.oneclick.errors.TrackerException;
import dev.oneclick.naming.ProjectGuid;
import dev.oneclick.naming.ResourceNames;
import dev.oneclick.resources.AwsResources;
import dev.oneclick.resources.ResourcesSchema;
import dev.oneclick.tracking.internal.AttributeValues;
import dev.oneclick.tracking.internal.Cursors;
import dev.oneclick.tracking.internal.Items;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * The record of what oneclick created, one item per user and project in the DynamoDB table
 * {@code tmux-deployments} (name configurable): partition key {@code userId} (S), sort key {@code projectId} (S),
 * on-demand billing, and the global secondary index {@code projectId-index} so a GUID alone finds its owner.
 *
 * <p>Items keep the plan's attribute names and types: {@code userId}, {@code projectId}, {@code projectName} (S),
 * {@code awsResources} (a DynamoDB map), {@code createdAt}, {@code updatedAt} (ISO-8601 strings; oneclick writes
 * UTC with a {@code Z}); oneclick adds {@code status} (S), {@code version} (N) and {@code lastError} (S). Items
 * written by the plan's Python client (no version, timestamps without a zone) read back and update fine; their
 * version counts as 0.
 *
 * <p>Every write keeps {@code createdAt} ({@code if_not_exists}), sets {@code updatedAt} and bumps
 * {@code version}; {@link #save(DeploymentRecord)} is guarded by the record's version (optimistic locking). Input
 * is checked before anything is written: user id ({@link ResourceNames#checkUserId}), project GUID (stored in
 * lowercase), project name, and resources (the {@link ResourcesSchema}, and at most {@value #MAX_RESOURCES_BYTES}
 * bytes of JSON so the item stays under DynamoDB's 400 KB). Every DynamoDB failure is thrown as a
 * {@link TrackerException} naming the table and the operation.
 *
 * <p>Thread-safe; the client is not closed by the tracker.
 */
public final class DeploymentTracker {
    public static final String DEFAULT_TABLE = "tmux-deployments";
    public static final String PROJECT_INDEX = "projectId-index";
    /** The largest resources map accepted, measured as compact UTF-8 JSON: 350 KB. */
    public static final int MAX_RESOURCES_BYTES = 350 * 1024;
    /** The longest project name accepted. */
    public static final int MAX_PROJECT_NAME = 256;
    /** Longer error texts are cut to this length before they are stored. */
    public static final int MAX_ERROR_CHARS = 8192;
    /** The name stored when a record is created without one (as the plan does). */
    public static final String UNNAMED_PROJECT = "Unnamed Project";
    /** The most records one page of {@link #listByUser(String, int, String)} returns. */
    public static final int MAX_PAGE = 1000;

    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z0-9_.-]{3,255}");
    static final int MERGE_ATTEMPTS = 20;

    private final DynamoDbClient client;
    private final String table;
    private final Clock clock;
    private final Duration tableWaitTimeout;
    private final Duration pollInterval;
    private final boolean validateResources;

    private DeploymentTracker(Builder b) {
        this.client = b.client;
        this.table = b.tableName;
        this.clock = b.clock;
        this.tableWaitTimeout = b.tableWaitTimeout;
        this.pollInterval = b.pollInterval;
        this.validateResources = b.validateResources;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The table this tracker uses. */
    public String tableName() {
        return table;
    }

    // ---------------------------------------------------------------------------------------------- table

    /**
     * Creates the table (keys, on-demand billing, {@code projectId-index} with projection ALL) when it is absent
     * and waits until it is ACTIVE. When it exists, checks its key schema and index and waits for them to be
     * active.
     *
     * @throws TableSchemaMismatchException if the existing table has other keys or lacks the index; it is never used
     * @throws TrackerException if DynamoDB fails or the table does not become active within the wait timeout
     */
    public void ensureTable() {
        new TrackerTable(client, table, tableWaitTimeout, pollInterval).ensure();
    }

    // ---------------------------------------------------------------------------------------------- writes

    /**
     * Creates or replaces the project's resources (the plan's {@code save_project_resources}); keeps
     * {@code createdAt}, sets {@code updatedAt}, bumps {@code version}; status and lastError stay as they are.
     *
     * @param projectName the name; null keeps the stored one (or stores {@value #UNNAMED_PROJECT} in a new record)
     * @throws InvalidInputException before anything is written, for a bad user id, GUID, name or resources
     */
    public DeploymentRecord save(String userId, String projectId, String projectName, AwsResources resources) {
        String user = ResourceNames.checkUserId(userId);
        String project = guid(projectId);
        String name = checkName(projectName);
        AttributeValue res = resources(resources);
        ItemUpdate u = update(user, project);
        u.setName(name);
        u.set(Items.AWS_RESOURCES, res);
        u.stamp(now());
        return u.run("UpdateItem (save)");
    }

    /**
     * Writes a record read earlier (or built new with version 0): name, resources, status and lastError as in the
     * record; keeps {@code createdAt}, sets {@code updatedAt}, and stores version + 1, only if the stored version
     * and {@code updatedAt} are still the record's (an item without a version counts as 0; version 0 and no
     * {@code updatedAt} also creates the item). Comparing {@code updatedAt} as well catches writers that keep no
     * version, such as the plan's Python client's {@code update_item}.
     *
     * @return the record as stored
     * @throws ConcurrentUpdateException if the stored version differs: read again, apply the change, retry
     * @throws InvalidInputException before anything is written, for bad input
     */
    public DeploymentRecord save(DeploymentRecord record) {
        Objects.requireNonNull(record, "record");
        String user = ResourceNames.checkUserId(record.userId());
        String project = guid(record.projectId());
        String name = checkName(record.projectName());
        AttributeValue res = resources(record.awsResources());
        long expected = record.version();
        if (expected < 0) {
            throw new InvalidInputException("version", "The record's version is " + expected
                    + "; versions start at 0. Use a record read from the tracker.");
        }
        String now = now();
        ItemUpdate u = update(user, project);
        u.setName(name);
        u.set(Items.AWS_RESOURCES, res);
        u.setOrRemove(Items.STATUS, record.status().map(s -> AttributeValue.fromS(s.name())).orElse(null));
        u.setOrRemove(Items.LAST_ERROR, record.lastError().map(e -> AttributeValue.fromS(cut(e))).orElse(null));
        u.set(Items.UPDATED_AT, AttributeValue.fromS(now));
        u.setIfNotExists(Items.CREATED_AT, AttributeValue.fromS(now));
        u.set(Items.VERSION, AttributeValue.fromN(Long.toString(expected + 1)));
        String v = u.name(Items.VERSION);
        String x = u.value(AttributeValue.fromN(Long.toString(expected)));
        String versionUnchanged = expected == 0 ? "(attribute_not_exists(" + v + ") OR " + v + " = " + x + ")"
                : v + " = " + x;
        // updatedAt too: a writer that keeps no version (the plan's Python client) still moves updatedAt
        String t = u.name(Items.UPDATED_AT);
        String timeUnchanged = record.updatedAt() == null ? "attribute_not_exists(" + t + ")"
                : t + " = " + u.value(AttributeValue.fromS(record.updatedAt()));
        u.condition(versionUnchanged + " AND " + timeUnchanged);
        try {
            return u.runOrThrowOnCondition("UpdateItem (save with version " + expected + ")");
        } catch (ConditionalCheckFailedException e) {
            throw new ConcurrentUpdateException("The record of user '" + user + "' and project " + project
                    + " in DynamoDB table '" + table + "' was changed by another writer since it was read (version "
                    + expected + " expected; operation UpdateItem). Read it again, apply the change and retry.", e);
        }
    }

    /**
     * Replaces the resources of an existing project (the plan's {@code update_resources}).
     *
     * @throws ProjectNotFoundException if there is no record of that user and project
     */
    public DeploymentRecord updateResources(String userId, String projectId, AwsResources resources) {
        String user = ResourceNames.checkUserId(userId);
        String project = guid(projectId);
        AttributeValue res = resources(resources);
        ItemUpdate u = update(user, project);
        u.set(Items.AWS_RESOURCES, res);
        u.stamp(now());
        u.condition("attribute_exists(" + u.name(Items.USER_ID) + ")");
        try {
            return u.runOrThrowOnCondition("UpdateItem (updateResources)");
        } catch (ConditionalCheckFailedException e) {
            throw notFound(user, project, "UpdateItem (updateResources)", e);
        }
    }

    /**
     * Merges the given keys into the stored resources, other keys kept, creating the record if absent. Each key is
     * set on its own path ({@code SET awsResources.#key = :value}), so concurrent callers recording different keys
     * never lose each other's. Used by the deploy engine to record each resource as soon as it exists.
     *
     * @param projectName used when the record is created (null: {@value #UNNAMED_PROJECT}); an existing name is kept
     */
    public DeploymentRecord recordResources(String userId, String projectId, String projectName,
            AwsResources resources) {
        String user = ResourceNames.checkUserId(userId);
        String project = guid(projectId);
        String name = checkName(projectName);
        AttributeValue all = resources(resources);
        for (int attempt = 0; attempt < MERGE_ATTEMPTS; attempt++) {
            // 1. the map exists: set each key on its own path
            ItemUpdate merge = update(user, project);
            String res = merge.name(Items.AWS_RESOURCES);
            all.m().forEach((k, v) -> merge.setPath(res + "." + merge.name(k), v));
            merge.stamp(now());
            merge.condition("attribute_type(" + res + ", " + merge.value(AttributeValue.fromS("M")) + ")");
            try {
                return merge.runOrThrowOnCondition("UpdateItem (recordResources)");
            } catch (ConditionalCheckFailedException e) {
                // no map yet: fall through and create it
            }
            // 2. no map (no item, or an item without awsResources): write the whole map, if still absent
            ItemUpdate create = update(user, project);
            create.set(Items.AWS_RESOURCES, all);
            create.setIfNotExists(Items.PROJECT_NAME, AttributeValue.fromS(name == null ? UNNAMED_PROJECT : name));
            create.stamp(now());
            create.condition("attribute_not_exists(" + create.name(Items.AWS_RESOURCES) + ")");
            try {
                return create.runOrThrowOnCondition("UpdateItem (recordResources, create)");
            } catch (ConditionalCheckFailedException e) {
                // created meanwhile by another writer; or awsResources is not a map
                Optional<Map<String, AttributeValue>> item = rawGet(user, project);
                AttributeValue stored = item.map(i -> i.get(Items.AWS_RESOURCES)).orElse(null);
                if (stored != null && stored.type() != AttributeValue.Type.M) {
                    throw new TrackerException("The record of user '" + user + "' and project " + project
                            + " in DynamoDB table '" + table + "' has awsResources of type " + stored.type()
                            + ", not a map (operation UpdateItem, recordResources); replace it with "
                            + "updateResources(...) or save(...).", e);
                }
            }
        }
        throw new ConcurrentUpdateException("Could not merge resources into the record of user '" + user
                + "' and project " + project + " in DynamoDB table '" + table + "' after " + MERGE_ATTEMPTS
                + " attempts (operation UpdateItem, recordResources): other writers kept changing it.");
    }

    /**
     * For the deploy engine only: merges keys it created into both {@code awsResources} (what the user, the panel and
     * the plan's Python client read) and {@code oneclickResources} (what the engine acts on, never written by
     * {@code resources} events), other keys kept, creating the record if absent. The values are what AWS returned
     * for resources that already exist, so only their size is checked here (the engine records first, then checks
     * their form, so nothing exists without a record of it).
     *
     * @param projectName used when the record is created (null: {@value #UNNAMED_PROJECT}); an existing name is kept
     */
    public DeploymentRecord recordOwnResources(String userId, String projectId, String projectName,
            AwsResources resources) {
        String user = ResourceNames.checkUserId(userId);
        String project = guid(projectId);
        String name = checkName(projectName);
        AttributeValue all = resources(resources, false);
        for (int attempt = 0; attempt < MERGE_ATTEMPTS; attempt++) {
            ItemUpdate merge = update(user, project);
            String shown = merge.name(Items.AWS_RESOURCES);
            String own = merge.name(Items.ONECLICK_RESOURCES);
            all.m().forEach((k, v) -> {
                String key = merge.name(k);
                merge.setPath(shown + "." + key, v);
                merge.setPath(own + "." + key, v);
            });
            merge.stamp(now());
            merge.condition(bothMaps(merge));
            try {
                return merge.runOrThrowOnCondition("UpdateItem (recordOwnResources)");
            } catch (ConditionalCheckFailedException e) {
                ensureMaps(user, project, name, "recordOwnResources", e);
            }
        }
        throw new ConcurrentUpdateException("Could not record resources in the record of user '" + user
                + "' and project " + project + " in DynamoDB table '" + table + "' after " + MERGE_ATTEMPTS
                + " attempts (operation UpdateItem, recordOwnResources): other writers kept changing it.");
    }

    /**
     * For the deploy engine only: removes keys from both {@code awsResources} and {@code oneclickResources} (the
     * engine deleted those resources), other keys kept.
     */
    public DeploymentRecord forgetOwnResources(String userId, String projectId, java.util.Collection<String> keys) {
        String user = ResourceNames.checkUserId(userId);
        String project = guid(projectId);
        for (int attempt = 0; attempt < MERGE_ATTEMPTS; attempt++) {
            ItemUpdate forget = update(user, project);
            String shown = forget.name(Items.AWS_RESOURCES);
            String own = forget.name(Items.ONECLICK_RESOURCES);
            for (String k : keys) {
                String key = forget.name(k);
                forget.removePath(shown + "." + key);
                forget.removePath(own + "." + key);
            }
            forget.stamp(now());
            forget.condition(bothMaps(forget));
            try {
                return forget.runOrThrowOnCondition("UpdateItem (forgetOwnResources)");
            } catch (ConditionalCheckFailedException e) {
                ensureMaps(user, project, null, "forgetOwnResources", e);
            }
        }
        throw new ConcurrentUpdateException("Could not update the record of user '" + user + "' and project "
                + project + " in DynamoDB table '" + table + "' after " + MERGE_ATTEMPTS
                + " attempts (operation UpdateItem, forgetOwnResources): other writers kept changing it.");
    }

    private static String bothMaps(ItemUpdate u) {
        String m = u.value(AttributeValue.fromS("M"));
        return "attribute_type(" + u.name(Items.AWS_RESOURCES) + ", " + m + ") AND attribute_type("
                + u.name(Items.ONECLICK_RESOURCES) + ", " + m + ")";
    }

    /** Creates whichever of the two resource maps is missing (and the item, if absent); fails if one is no map. */
    private void ensureMaps(String user, String project, String name, String operation, Exception cause) {
        ItemUpdate init = update(user, project);
        AttributeValue empty = AttributeValue.fromM(Map.of());
        init.setIfNotExists(Items.AWS_RESOURCES, empty);
        init.setIfNotExists(Items.ONECLICK_RESOURCES, empty);
        init.setIfNotExists(Items.PROJECT_NAME, AttributeValue.fromS(name == null ? UNNAMED_PROJECT : name));
        init.setIfNotExists(Items.CREATED_AT, AttributeValue.fromS(now()));
        init.setIfNotExists(Items.UPDATED_AT, AttributeValue.fromS(now()));
        String m = init.value(AttributeValue.fromS("M"));
        String a = init.name(Items.AWS_RESOURCES);
        String o = init.name(Items.ONECLICK_RESOURCES);
        init.condition("(attribute_not_exists(" + a + ") OR attribute_type(" + a + ", " + m + ")) AND "
                + "(attribute_not_exists(" + o + ") OR attribute_type(" + o + ", " + m + "))");
        try {
            init.runOrThrowOnCondition("UpdateItem (" + operation + ", create maps)");
        } catch (ConditionalCheckFailedException e) {
            e.addSuppressed(cause);
            throw new TrackerException("The record of user '" + user + "' and project " + project
                    + " in DynamoDB table '" + table + "' has awsResources or oneclickResources that is not a map "
                    + "(operation UpdateItem, " + operation + "); replace it with updateResources(...) or save(...).",
                    e);
        }
    }

    // ---------------------------------------------------------------------------------------------- lease

    /**
     * Takes the project's lease for one run, by a conditional write: granted when no run holds it, when the holder's
     * lease has expired, or when {@code runId} already holds it. Creates the record (with only its key and the
     * lease) when there is none; {@link LeaseGrant#createdItem()} says so, so a run that ends before writing anything
     * else can remove it again with {@link #releaseLease}. The lease does not change {@code version} or
     * {@code updatedAt}.
     *
     * @throws ProjectBusyException when another run holds an unexpired lease
     */
    public LeaseGrant acquireLease(String userId, String projectId, String runId, String holder, Duration ttl) {
        return new ProjectLeases(this, client, table, clock).acquireLease(userId, projectId, runId, holder, ttl);
    }

    /**
     * Extends the lease of {@code runId} to now + {@code ttl}.
     *
     * @return false when {@code runId} no longer holds the lease (it expired and another run took it)
     */
    public boolean renewLease(String userId, String projectId, String runId, Duration ttl) {
        return new ProjectLeases(this, client, table, clock).renewLease(userId, projectId, runId, ttl);
    }

    /**
     * Gives the lease of {@code runId} back. With {@code removeBareItem}, a record that holds nothing but its key and
     * this lease (the lease created it and the run wrote nothing else) is deleted instead.
     *
     * @return false when {@code runId} did not hold the lease any more
     */
    public boolean releaseLease(String userId, String projectId, String runId, boolean removeBareItem) {
        return new ProjectLeases(this, client, table, clock).releaseLease(userId, projectId, runId, removeBareItem);
    }

    /**
     * Sets the run's final status (the last error removed, as {@link #updateStatus} with a null error) and gives the
     * lease of {@code runId} back, in one conditional write. When {@code runId} no longer holds the lease, the status
     * is written on its own (as {@link #updateStatus}) and false is returned.
     *
     * @param projectName used when the record has none (null: {@value #UNNAMED_PROJECT})
     * @return false when {@code runId} did not hold the lease any more
     */
    public boolean releaseLease(String userId, String projectId, String runId, String projectName,
            DeploymentStatus status) {
        String name = checkName(projectName);
        if (status == null) {
            throw new InvalidInputException("status", "The deployment status is missing; give one of "
                    + java.util.Arrays.toString(DeploymentStatus.values()) + ".");
        }
        boolean released = new ProjectLeases(this, client, table, clock).releaseLease(userId, projectId, runId, false,
                u -> statusWrite(u, name, status, null));
        if (!released) {
            updateStatus(userId, projectId, projectName, status, null);
        }
        return released;
    }

    /** A granted lease: the record as it stands, and whether taking the lease created it. */
    public record LeaseGrant(DeploymentRecord record, boolean createdItem) {
    }

    /**
     * Merges the given keys into the stored resources like {@link #recordResources}, but checks the <em>merged</em>
     * record as a whole first, the way a single report is checked: the resources schema (at most 100 keys, numbers
     * DynamoDB stores, ...) and at most {@value #MAX_RESOURCES_BYTES} bytes of JSON. A merge that would break a bound
     * is refused and the record stays as it was. The write is guarded by the record's version (a concurrent writer
     * makes it read again and retry, at most 20 times), so two merges cannot together pass a bound. Used for what a
     * project reports about itself ({@code resources} events), which must never grow a record without bound.
     *
     * @throws TooLargeException (field {@code awsResources}) if the merged record is too large; nothing is written
     * @throws InvalidInputException (field {@code awsResources}) if the merged record breaks the schema
     * @throws ConcurrentUpdateException if other writers kept changing the record
     */
    public DeploymentRecord mergeResources(String userId, String projectId, String projectName,
            AwsResources resources) {
        String user = ResourceNames.checkUserId(userId);
        String project = guid(projectId);
        Objects.requireNonNull(resources, "resources");
        for (int attempt = 0; attempt < MERGE_ATTEMPTS; attempt++) {
            Optional<DeploymentRecord> stored = rawGet(user, project).map(ItemReader::toRecord);
            if (stored.isEmpty()) {
                checkWhole(resources);
                return recordResources(user, project, projectName, resources);
            }
            AwsResources merged = stored.get().awsResources().merge(resources);
            checkWhole(merged);
            try {
                return save(stored.get().toBuilder().awsResources(merged).build());
            } catch (ConcurrentUpdateException e) {
                // changed since it was read: read again and check the new merge
            }
        }
        throw new ConcurrentUpdateException("Could not merge resources into the record of user '" + user
                + "' and project " + project + " in DynamoDB table '" + table + "' after " + MERGE_ATTEMPTS
                + " attempts (operation UpdateItem, mergeResources): other writers kept changing it.");
    }

    private void checkWhole(AwsResources r) {
        resources(r); // the size bound
        ResourcesSchema.validate(r);
    }

    /**
     * Sets the status, and the last error ({@code null} removes it), creating the record if absent.
     *
     * @param projectName used when the record is created (null: {@value #UNNAMED_PROJECT}); an existing name is kept
     */
    public DeploymentRecord updateStatus(String userId, String projectId, String projectName, DeploymentStatus status,
            String error) {
        String user = ResourceNames.checkUserId(userId);
        String project = guid(projectId);
        String name = checkName(projectName);
        if (status == null) {
            throw new InvalidInputException("status", "The deployment status is missing; give one of "
                    + java.util.Arrays.toString(DeploymentStatus.values()) + ".");
        }
        ItemUpdate u = update(user, project);
        statusWrite(u, name, status, error);
        return u.run("UpdateItem (updateStatus)");
    }

    private void statusWrite(ItemUpdate u, String name, DeploymentStatus status, String error) {
        u.set(Items.STATUS, AttributeValue.fromS(status.name()));
        u.setOrRemove(Items.LAST_ERROR, error == null ? null : AttributeValue.fromS(cut(error)));
        u.setIfNotExists(Items.PROJECT_NAME, AttributeValue.fromS(name == null ? UNNAMED_PROJECT : name));
        u.setIfNotExists(Items.AWS_RESOURCES, AttributeValue.fromM(Map.of()));
        // the engine's own map too, so its first resource is recorded in one write (no "create the maps" write)
        u.setIfNotExists(Items.ONECLICK_RESOURCES, AttributeValue.fromM(Map.of()));
        u.stamp(now());
    }

    // ---------------------------------------------------------------------------------------------- reads

    /** The record of a user's project (strongly consistent read); empty when there is none. */
    public Optional<DeploymentRecord> get(String userId, String projectId) {
        String user = ResourceNames.checkUserId(userId);
        String project = guid(projectId);
        return rawGet(user, project).map(ItemReader::toRecord);
    }

    Optional<Map<String, AttributeValue>> rawGet(String user, String project) {
        try {
            GetItemResponse r = client.getItem(g -> g.tableName(table).key(Items.key(user, project))
                    .consistentRead(true));
            return r.hasItem() && !r.item().isEmpty() ? Optional.of(r.item()) : Optional.empty();
        } catch (SdkException e) {
            throw failure("GetItem", e);
        }
    }

    /** Every record of the user, reading every page of the query (so nothing is dropped past 1 MB). */
    public List<DeploymentRecord> listByUser(String userId) {
        String user = ResourceNames.checkUserId(userId);
        List<DeploymentRecord> out = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryResponse r = query(userQuery(user, start, null), "Query (listByUser)");
            r.items().forEach(i -> out.add(ItemReader.toRecord(i)));
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
        return List.copyOf(out);
    }

    /**
     * One page of the user's records, in projectId order.
     *
     * @param limit  1 to {@value #MAX_PAGE} records
     * @param cursor null for the first page, else {@link RecordPage#nextCursor()} of the previous page
     * @return the page; its {@code nextCursor} is null after the last page (a page may be empty when the previous
     *         one ended exactly at the last record)
     * @throws InvalidInputException (field {@code cursor}) for a cursor this tracker did not hand out for this user,
     *                               (field {@code limit}) for a limit out of range
     */
    public RecordPage listByUser(String userId, int limit, String cursor) {
        String user = ResourceNames.checkUserId(userId);
        if (limit < 1 || limit > MAX_PAGE) {
            throw new InvalidInputException("limit", "The page size is " + limit + "; give 1 to " + MAX_PAGE + ".");
        }
        Map<String, AttributeValue> start = cursor == null ? null : Cursors.decode(cursor, user);
        QueryResponse r = query(userQuery(user, start, limit), "Query (listByUser page)");
        List<DeploymentRecord> items = new ArrayList<>();
        r.items().forEach(i -> items.add(ItemReader.toRecord(i)));
        String next = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty()
                ? Cursors.encode(r.lastEvaluatedKey()) : null;
        return new RecordPage(List.copyOf(items), next);
    }

    private QueryRequest userQuery(String user, Map<String, AttributeValue> start, Integer limit) {
        return QueryRequest.builder().tableName(table)
                .keyConditionExpression("#u = :u")
                .expressionAttributeNames(Map.of("#u", Items.USER_ID))
                .expressionAttributeValues(Map.of(":u", AttributeValue.fromS(user)))
                .consistentRead(true)
                .exclusiveStartKey(start)
                .limit(limit)
                .build();
    }

    /**
     * The owner's record of a project GUID, through the {@code projectId-index} (eventually consistent, as every
     * index read). When several users hold a record of the same GUID (a deploy run under another user id writes its
     * own), the owner is the user whose record was created <em>first</em> ({@link #OWNER_FIRST}): the one rule the
     * deployer, {@code ProjectRegistry.tracker} and the Maven plugin's default user id follow, so a later writer of
     * the table cannot take a project over by writing a record of its own.
     */
    public Optional<DeploymentRecord> findByProjectId(String projectId) {
        List<DeploymentRecord> all = findAllByProjectId(projectId);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    /**
     * The owner rule: the record created first comes first (a record without a readable {@code createdAt} last),
     * then the smaller user id.
     */
    public static final Comparator<DeploymentRecord> OWNER_FIRST = Comparator
            .comparing((DeploymentRecord r) -> r.createdInstant().orElse(Instant.MAX))
            .thenComparing(DeploymentRecord::userId);

    /**
     * Every record of a project GUID, whoever holds it, through the {@code projectId-index} (eventually consistent;
     * every page read), the owner's first ({@link #OWNER_FIRST}). Usually one; several when another writer (a deploy
     * run under another user id, say) wrote the same GUID under its own user id.
     */
    public List<DeploymentRecord> findAllByProjectId(String projectId) {
        String project = guid(projectId);
        List<DeploymentRecord> found = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryRequest q = QueryRequest.builder().tableName(table).indexName(PROJECT_INDEX)
                    .keyConditionExpression("#p = :p")
                    .expressionAttributeNames(Map.of("#p", Items.PROJECT_ID))
                    .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(project)))
                    .exclusiveStartKey(start)
                    .build();
            QueryResponse r = query(q, "Query (findByProjectId on " + PROJECT_INDEX + ")");
            r.items().forEach(i -> found.add(ItemReader.toRecord(i)));
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
        found.sort(OWNER_FIRST);
        return List.copyOf(found);
    }

    private QueryResponse query(QueryRequest q, String operation) {
        try {
            return client.query(q);
        } catch (SdkException e) {
            throw failure(operation, e);
        }
    }

    // ---------------------------------------------------------------------------------------------- helpers

    static String guid(String projectId) {
        return ProjectGuid.parse(projectId).value();
    }

    private static String checkName(String name) {
        if (name == null || name.isBlank()) {
            return null;
        }
        if (name.length() > MAX_PROJECT_NAME) {
            throw new InvalidInputException("projectName", "The project name has " + name.length()
                    + " characters; give at most " + MAX_PROJECT_NAME + ".");
        }
        if (name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new InvalidInputException("projectName", "The project name contains control characters (such as "
                    + "a newline); give a single line of text.");
        }
        return name;
    }

    private AttributeValue resources(AwsResources resources) {
        return resources(resources, validateResources);
    }

    /** The map to store: size checked always, the schema when {@code validate}. */
    private AttributeValue resources(AwsResources resources, boolean validate) {
        AwsResources r = resources == null ? AwsResources.empty() : resources;
        int bytes = r.toJson().getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_RESOURCES_BYTES) {
            throw new TooLargeException("awsResources", "The AWS resources take " + bytes + " bytes as JSON; at"
                    + " most " + MAX_RESOURCES_BYTES + " (350 KB) are accepted so the record fits DynamoDB's 400 KB"
                    + " item limit. Keep large data elsewhere (for example in S3) and record only its location.");
        }
        if (validate) {
            ResourcesSchema.validate(r);
        }
        return AttributeValues.map(r.asMap(), "awsResources");
    }

    private static String cut(String error) {
        return error.length() <= MAX_ERROR_CHARS ? error : error.substring(0, MAX_ERROR_CHARS - 3) + "...";
    }

    private String now() {
        return Items.timestamp(clock.instant());
    }

    private ProjectNotFoundException notFound(String user, String project, String operation, Exception cause) {
        return new ProjectNotFoundException("DynamoDB table '" + table + "' has no record of user '" + user
                + "' and project " + project + " (operation " + operation + "); create it first with save(...) or "
                + "recordResources(...).", cause);
    }

    RuntimeException failure(String operation, SdkException e) {
        return TrackerErrors.failure(table, operation, e);
    }

    ItemUpdate update(String user, String project) {
        return new ItemUpdate(client, table, user, project);
    }

    /** A page of records and the cursor of the next page (null when this is the last). */
    public record RecordPage(List<DeploymentRecord> items, String nextCursor) {
    }

    /** Builds a tracker. Not thread-safe. */
    public static final class Builder {
        private DynamoDbClient client;
        private String tableName = DEFAULT_TABLE;
        private Clock clock = Clock.systemUTC();
        private Duration tableWaitTimeout = Duration.ofMinutes(5);
        private Duration pollInterval = Duration.ofMillis(500);
        private boolean validateResources = true;

        private Builder() {
        }

        /** The DynamoDB client (required); the tracker does not close it. */
        public Builder dynamoDbClient(DynamoDbClient client) {
            this.client = client;
            return this;
        }

        /** The table name; default {@value DeploymentTracker#DEFAULT_TABLE}. */
        public Builder tableName(String tableName) {
            this.tableName = tableName;
            return this;
        }

        /** The clock of {@code createdAt}/{@code updatedAt}; default the UTC system clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** How long {@link #ensureTable()} waits for the table and its index; default 5 minutes. */
        public Builder tableWaitTimeout(Duration timeout) {
            this.tableWaitTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** How often {@link #ensureTable()} asks whether the table is active; default 500 ms. */
        public Builder pollInterval(Duration interval) {
            this.pollInterval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /**
         * Whether resources are checked against the {@link ResourcesSchema} before they are written; default true.
         * The size limit is enforced either way.
         */
        public Builder validateResources(boolean validate) {
            this.validateResources = validate;
            return this;
        }

        /**
         * @throws InvalidInputException (field {@code tableName}) for a name DynamoDB would refuse
         * @throws NullPointerException if no client was given
         */
        public DeploymentTracker build() {
            Objects.requireNonNull(client, "dynamoDbClient is required");
            if (tableName == null || !TABLE_NAME.matcher(tableName).matches()) {
                throw new InvalidInputException("tableName", "The table name '" + tableName + "' is not allowed; a "
                        + "DynamoDB table name has 3-255 letters, digits, '_', '-' and '.'.");
            }
            if (tableWaitTimeout.isNegative() || tableWaitTimeout.isZero() || pollInterval.isNegative()
                    || pollInterval.isZero()) {
                throw new InvalidInputException("tableWaitTimeout", "The table wait timeout and poll interval must "
                        + "be positive.");
            }
            return new DeploymentTracker(this);
        }
    }
}
