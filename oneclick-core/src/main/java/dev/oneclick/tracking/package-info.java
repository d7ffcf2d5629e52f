/**
 * The deployment tracker: what oneclick created for each user and project, kept in the DynamoDB table
 * {@code tmux-deployments} in the item format of the original plan, readable and writable by that plan's Python
 * client as well. Start with {@link dev.oneclick.tracking.DeploymentTracker}.
 */
package dev.oneclick.tracking;
