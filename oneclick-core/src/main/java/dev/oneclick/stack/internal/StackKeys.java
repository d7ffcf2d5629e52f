package dev.oneclick.stack.internal;

/** The record keys the full stack's compute steps write (camelCase, as DESIGN.md lists them). */
final class StackKeys {
    static final String IMAGE_URI = "imageUri";
    static final String LOG_GROUP = "logGroup";
    static final String EXECUTION_ROLE_ARN = "executionRoleArn";
    static final String TASK_DEFINITION_ARN = "taskDefinitionArn";

    private StackKeys() {
    }
}
