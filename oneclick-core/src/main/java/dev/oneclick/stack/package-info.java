/**
 * The full-stack deploy's inputs: the backend ({@link dev.oneclick.stack.Backend}), where its image comes from
 * ({@link dev.oneclick.stack.ImageSource}) and its optional database ({@link dev.oneclick.stack.Database}). The steps
 * (image repository and image, log group, roles, security groups, load balancer, cluster, task definition, service,
 * database, the distribution with two origins) live in {@code dev.oneclick.stack.internal}.
 */
package dev.oneclick.stack;
