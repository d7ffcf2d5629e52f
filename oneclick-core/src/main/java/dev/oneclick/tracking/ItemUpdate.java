package dev.oneclick.tracking;

import dev.oneclick.tracking.internal.Items;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/** One UpdateItem being put together: names and values are placeholders, so any key is safe. */
final class ItemUpdate {
    private final DynamoDbClient client;
    private final String table;
    private final String user;
    private final String project;
    private final Map<String, String> names = new LinkedHashMap<>();
    private final Map<String, AttributeValue> values = new LinkedHashMap<>();
    private final List<String> sets = new ArrayList<>();
    private final List<String> removes = new ArrayList<>();
    private String condition;

    ItemUpdate(DynamoDbClient client, String table, String user, String project) {
        this.client = client;
        this.table = table;
        this.user = user;
        this.project = project;
    }

    String name(String attribute) {
        for (Map.Entry<String, String> e : names.entrySet()) {
            if (e.getValue().equals(attribute)) {
                return e.getKey();
            }
        }
        String placeholder = "#n" + names.size();
        names.put(placeholder, attribute);
        return placeholder;
    }

    String value(AttributeValue v) {
        String placeholder = ":v" + values.size();
        values.put(placeholder, v);
        return placeholder;
    }

    void set(String attribute, AttributeValue v) {
        sets.add(name(attribute) + " = " + value(v));
    }

    void setPath(String path, AttributeValue v) {
        sets.add(path + " = " + value(v));
    }

    void setRaw(String assignment) {
        sets.add(assignment);
    }

    void remove(String attribute) {
        removes.add(name(attribute));
    }

    void removePath(String path) {
        removes.add(path);
    }

    void setIfNotExists(String attribute, AttributeValue v) {
        String n = name(attribute);
        sets.add(n + " = if_not_exists(" + n + ", " + value(v) + ")");
    }

    void setOrRemove(String attribute, AttributeValue v) {
        if (v == null) {
            removes.add(name(attribute));
        } else {
            set(attribute, v);
        }
    }

    void setName(String projectName) {
        if (projectName == null) {
            setIfNotExists(Items.PROJECT_NAME, AttributeValue.fromS(DeploymentTracker.UNNAMED_PROJECT));
        } else {
            set(Items.PROJECT_NAME, AttributeValue.fromS(projectName));
        }
    }

    /** createdAt kept, updatedAt set, version bumped (an item without a version counts as 0). */
    void stamp(String now) {
        set(Items.UPDATED_AT, AttributeValue.fromS(now));
        setIfNotExists(Items.CREATED_AT, AttributeValue.fromS(now));
        String v = name(Items.VERSION);
        sets.add(v + " = if_not_exists(" + v + ", " + value(AttributeValue.fromN("0")) + ") + "
                + value(AttributeValue.fromN("1")));
    }

    void condition(String expression) {
        this.condition = expression;
    }

    DeploymentRecord run(String operation) {
        try {
            return runOrThrowOnCondition(operation);
        } catch (ConditionalCheckFailedException e) {
            throw TrackerErrors.failure(table, operation, e);
        }
    }

    DeploymentRecord runOrThrowOnCondition(String operation) {
        StringBuilder expression = new StringBuilder();
        if (!sets.isEmpty()) {
            expression.append("SET ").append(String.join(", ", sets));
        }
        if (!removes.isEmpty()) {
            expression.append(expression.length() == 0 ? "" : " ").append("REMOVE ")
                    .append(String.join(", ", removes));
        }
        UpdateItemRequest request = UpdateItemRequest.builder().tableName(table)
                .key(Items.key(user, project))
                .updateExpression(expression.toString())
                .conditionExpression(condition)
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .returnValues(ReturnValue.ALL_NEW)
                .build();
        try {
            return ItemReader.toRecord(client.updateItem(request).attributes());
        } catch (ConditionalCheckFailedException e) {
            throw e;
        } catch (SdkException e) {
            throw TrackerErrors.failure(table, operation, e);
        }
    }
}
