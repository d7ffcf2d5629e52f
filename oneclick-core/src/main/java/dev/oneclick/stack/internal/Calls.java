package dev.oneclick.stack.internal;

import dev.oneclick.errors.AwsRequestException;
import dev.oneclick.internal.aws.AwsCall;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** The AWS call shapes the stack's steps share: a lookup where "not found" is an answer, and tag lists as maps. */
final class Calls {
    private Calls() {
    }

    /**
     * Runs {@code request} (retrying throttling); empty when AWS answers with one of {@code notFoundCodes} (error
     * codes such as {@code RepositoryNotFoundException}, {@code NoSuchEntity}).
     */
    static <T> Optional<T> orEmpty(AwsCall call, String service, String operation, String resource,
            Set<String> notFoundCodes, Supplier<T> request) {
        try {
            return Optional.ofNullable(call.run(service, operation, resource, request));
        } catch (AwsRequestException e) {
            if (e.errorCode() != null && notFoundCodes.contains(e.errorCode())) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Runs a delete; a resource already gone ({@code notFoundCodes}) is fine. Returns whether it deleted. */
    static boolean delete(AwsCall call, String service, String operation, String resource,
            Set<String> notFoundCodes, Runnable request) {
        return orEmpty(call, service, operation, resource, notFoundCodes, () -> {
            request.run();
            return Boolean.TRUE;
        }).isPresent();
    }

    /** Converts an SDK tag list to a map with the given key and value getters. */
    static <T> Map<String, String> tagMap(java.util.List<T> tags, java.util.function.Function<T, String> key,
            java.util.function.Function<T, String> value) {
        return tags.stream().collect(Collectors.toMap(key, value, (a, b) -> b));
    }
}
