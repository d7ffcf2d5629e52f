package dev.oneclick.stack.internal;

import dev.oneclick.errors.ImageBuildException;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import software.amazon.awssdk.services.ecr.model.AuthorizationData;

/**
 * Where the image goes: the ECR registry of the repository (credentials from {@code GetAuthorizationToken}, whose
 * token is base64 {@code AWS:password}), or the registry endpoint the deployer was given (a local registry, a proxy;
 * credentials from the URI's user info, if any). Answers whether a tag is already there, with its digest.
 *
 * @param host the registry's host and port as image references name it, e.g. {@code 127.0.0.1:5000}
 * @param insecure plain HTTP (a loopback registry)
 */
record ImageRegistry(String host, String username, String password, boolean insecure) {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final String ACCEPT = String.join(",", "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.oci.image.index.v1+json", "application/vnd.docker.distribution.manifest.v2+json",
            "application/vnd.docker.distribution.manifest.list.v2+json");

    /** The registry for {@code repositoryUri} (ECR's {@code ACCOUNT.dkr.ecr.REGION.amazonaws.com/NAME}). */
    static ImageRegistry resolve(StackClients c, String repositoryUri) {
        URI endpoint = c.registryEndpoint();
        if (endpoint != null) {
            String user = null;
            String pass = null;
            if (endpoint.getRawUserInfo() != null) {
                String[] parts = endpoint.getRawUserInfo().split(":", 2);
                user = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
                pass = parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "";
            }
            String hostPort = endpoint.getHost() + (endpoint.getPort() > 0 ? ":" + endpoint.getPort() : "");
            return new ImageRegistry(hostPort, user, pass, "http".equals(endpoint.getScheme()));
        }
        AuthorizationData auth = c.call().run("ECR", "GetAuthorizationToken", repositoryUri, () -> c.ecr()
                .getAuthorizationToken(b -> { }).authorizationData().get(0));
        String decoded = new String(Base64.getDecoder().decode(auth.authorizationToken()), StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        String host = repositoryUri.substring(0, repositoryUri.indexOf('/'));
        return new ImageRegistry(host, decoded.substring(0, colon), decoded.substring(colon + 1), false);
    }

    /** {@code host/repository}, the image reference without tag or digest. */
    String reference(String repository) {
        return host + "/" + repository;
    }

    /** The digest the registry has for {@code repository:tag}, or empty when it has no such tag. */
    Optional<String> digestOf(String repository, String tag) {
        URI uri = URI.create((insecure ? "http://" : "https://") + host + "/v2/" + repository + "/manifests/" + tag);
        HttpRequest.Builder req = HttpRequest.newBuilder(uri).method("HEAD", HttpRequest.BodyPublishers.noBody())
                .header("Accept", ACCEPT).timeout(Duration.ofSeconds(30));
        if (username != null) {
            req.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (username + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        try {
            HttpResponse<Void> r = HTTP.send(req.build(), HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() == 404) {
                return Optional.empty();
            }
            if (r.statusCode() != 200) {
                throw new ImageBuildException("The registry " + host + " answered " + r.statusCode() + " to HEAD "
                        + uri.getPath() + "; check the registry endpoint and its credentials.", null);
            }
            return r.headers().firstValue("Docker-Content-Digest");
        } catch (IOException e) {
            throw new ImageBuildException("The registry " + host + " did not answer (" + e + "); check the registry "
                    + "endpoint.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageBuildException("Interrupted while asking the registry " + host + " for an image.", e);
        }
    }

    @Override
    public String toString() {
        return "ImageRegistry[" + host + (username != null ? ", user " + username : "") + "]";
    }
}
