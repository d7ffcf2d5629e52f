package dev.oneclick.maven.internal;

import dev.oneclick.DeployRequest;
import dev.oneclick.errors.InvalidInputException;
import dev.oneclick.stack.Backend;
import dev.oneclick.stack.Database;
import dev.oneclick.stack.ImageSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Maps the plugin's full-stack parameters (their raw text, keyed by parameter name) to the core's
 * {@link Backend}, {@link ImageSource} and {@link Database}, before anything starts. Every refusal is an
 * {@link InvalidInputException} whose field is the plugin parameter to fix ({@code jar}, {@code port}, {@code env},
 * ...), so the Mojo's message says {@code oneclick.<name>}. A static-site run with a full-stack parameter set is
 * refused too (it would be ignored silently otherwise).
 */
public final class StackParameters {
    /** The full-stack parameters, in the order the help lists them. */
    public static final List<String> NAMES = List.of("jar", "classesDir", "mainClass", "dependenciesDir",
            "dockerfile", "image", "baseImage", "port", "healthPath", "env", "cpu", "memory", "desiredCount",
            "rolloutTimeout", "database", "dbInstanceClass", "dbStorage", "dbName", "executionRoleArn", "subnets");

    /** Core field names that the plugin spells differently. */
    public static final Map<String, String> PARAMETER_OF_FIELD = Map.of(
            "containerPort", "port",
            "healthCheckPath", "healthPath",
            "environment", "env");

    private final Map<String, String> values;
    private final Function<String, Path> resolve;
    private final Path defaultJar;

    /**
     * @param values the raw parameter values by name ({@code kind} and the {@link #NAMES}); null or blank is unset
     * @param resolve resolves a path parameter against the project folder
     * @param defaultJar the jar used when no image source is given (the project's packaged jar), or null
     */
    public StackParameters(Map<String, String> values, Function<String, Path> resolve, Path defaultJar) {
        this.values = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (v != null && !v.isBlank()) {
                this.values.put(k, v.trim());
            }
        });
        this.resolve = resolve;
        this.defaultJar = defaultJar;
    }

    /** {@code kind}: {@code static} (default) or {@code fullstack}. */
    public DeployRequest.Kind kind() {
        String v = values.getOrDefault("kind", "static").toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
        return switch (v) {
            case "static", "staticsite", "site" -> DeployRequest.Kind.STATIC_SITE;
            case "fullstack" -> DeployRequest.Kind.FULL_STACK;
            default -> throw new InvalidInputException("kind", "Unknown kind '" + values.get("kind") + "': give "
                    + "'static' (a built site on S3 + CloudFront, the default) or 'fullstack' (a backend on ECS "
                    + "behind CloudFront, with an optional database and frontend).");
        };
    }

    /**
     * The backend of a full-stack run, or null for a static site.
     *
     * @throws InvalidInputException naming the parameter, for a static site with a full-stack parameter set too
     */
    public Backend backend() {
        if (kind() == DeployRequest.Kind.STATIC_SITE) {
            for (String name : NAMES) {
                if (values.containsKey(name)) {
                    throw new InvalidInputException(name, "oneclick." + name + " is a full-stack parameter but "
                            + "oneclick.kind is static; set -Doneclick.kind=fullstack, or remove it.");
                }
            }
            return null;
        }
        Backend.Builder b = Backend.builder().image(imageSource());
        ifSet("baseImage", b::baseImage);
        ifSet("port", v -> b.containerPort(integer("port", v)));
        ifSet("healthPath", b::healthCheckPath);
        ifSet("env", v -> b.environment(environment(v)));
        ifSet("cpu", v -> b.cpu(integer("cpu", v)));
        ifSet("memory", v -> b.memory(integer("memory", v)));
        ifSet("desiredCount", v -> b.desiredCount(integer("desiredCount", v)));
        ifSet("rolloutTimeout", v -> b.rolloutTimeout(duration("rolloutTimeout", v)));
        ifSet("executionRoleArn", b::executionRoleArn);
        ifSet("subnets", v -> b.subnetIds(list(v)));
        b.database(database());
        try {
            return b.build();
        } catch (InvalidInputException e) {
            throw renamed(e);
        }
    }

    /** The database, or null for {@code database} none (the default). */
    Database database() {
        String engine = values.getOrDefault("database", "none");
        if (engine.equalsIgnoreCase("none")) {
            for (String name : List.of("dbInstanceClass", "dbStorage", "dbName")) {
                if (values.containsKey(name)) {
                    throw new InvalidInputException(name, "oneclick." + name + " is set but there is no database; "
                            + "set -Doneclick.database=postgres (or mysql), or remove it.");
                }
            }
            return null;
        }
        Database.Builder d = Database.builder().engine(Database.Engine.parse(engine));
        ifSet("dbInstanceClass", d::instanceClass);
        ifSet("dbStorage", v -> d.storageGiB(integer("dbStorage", v)));
        ifSet("dbName", d::name);
        return d.build();
    }

    /** The one image source given ({@code jar}, {@code classesDir}, {@code dockerfile} or {@code image}). */
    ImageSource imageSource() {
        List<String> given = new ArrayList<>();
        for (String name : List.of("jar", "classesDir", "dockerfile", "image")) {
            if (values.containsKey(name)) {
                given.add("oneclick." + name);
            }
        }
        if (given.size() > 1) {
            throw new InvalidInputException(given.get(1).substring("oneclick.".length()), "Give one image source, "
                    + "not " + String.join(" and ", given) + ": a jar, a classes folder, a Dockerfile or an image.");
        }
        if (values.containsKey("mainClass") && !values.containsKey("classesDir")) {
            throw new InvalidInputException("mainClass", "oneclick.mainClass is for a classes folder; set "
                    + "oneclick.classesDir too (a jar names its main class in its manifest).");
        }
        if (values.containsKey("image")) {
            return ImageSource.image(values.get("image"));
        }
        if (values.containsKey("dockerfile")) {
            Path p = resolve.apply(values.get("dockerfile"));
            Path context = Files.isRegularFile(p) ? p.getParent() : p;
            if (context == null || !Files.isRegularFile(context.resolve("Dockerfile"))) {
                throw new InvalidInputException("dockerfile", "No Dockerfile at " + p + "; give the Dockerfile or "
                        + "the folder holding it.");
            }
            return ImageSource.dockerfile(context);
        }
        if (values.containsKey("classesDir")) {
            Path dir = resolve.apply(values.get("classesDir"));
            if (!Files.isDirectory(dir)) {
                throw new InvalidInputException("classesDir", "The classes folder " + dir + " does not exist; "
                        + "compile first (mvn compile) or point it at the compiled classes.");
            }
            Path deps = values.containsKey("dependenciesDir") ? resolve.apply(values.get("dependenciesDir")) : null;
            if (deps != null && !Files.isDirectory(deps)) {
                throw new InvalidInputException("dependenciesDir", "The dependencies folder " + deps + " does not "
                        + "exist (e.g. mvn dependency:copy-dependencies writes target/dependency).");
            }
            return ImageSource.classes(dir, deps, values.get("mainClass"));
        }
        if (values.containsKey("dependenciesDir")) {
            throw new InvalidInputException("dependenciesDir", "oneclick.dependenciesDir is for a classes folder; "
                    + "set oneclick.classesDir too.");
        }
        Path jar = values.containsKey("jar") ? resolve.apply(values.get("jar")) : defaultJar;
        if (jar == null) {
            throw new InvalidInputException("jar", "A full stack needs the backend: set oneclick.jar (a runnable "
                    + "jar), oneclick.classesDir with oneclick.mainClass, oneclick.dockerfile or oneclick.image; in "
                    + "a Maven project the packaged jar is used (run mvn package first).");
        }
        if (!Files.isRegularFile(jar)) {
            throw new InvalidInputException("jar", "The backend jar " + jar + " does not exist; build it first "
                    + "(mvn package) or point oneclick.jar at it.");
        }
        return ImageSource.jar(jar);
    }

    /**
     * {@code env}: {@code NAME=value} entries separated by new lines or semicolons (values may hold commas and
     * {@code =}); blank entries are skipped.
     */
    static Map<String, String> environment(String text) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String entry : text.split("[;\\n\\r]+")) {
            String e = entry.strip();
            if (e.isEmpty()) {
                continue;
            }
            int eq = e.indexOf('=');
            if (eq <= 0) {
                throw new InvalidInputException("env", "'" + e + "' is not NAME=value; give entries such as "
                        + "LOG_LEVEL=info;FEATURE_X=on (separated by semicolons or new lines).");
            }
            String name = e.substring(0, eq).strip();
            if (env.put(name, e.substring(eq + 1).strip()) != null) {
                throw new InvalidInputException("env", name + " is given twice in oneclick.env.");
            }
        }
        return env;
    }

    /** A list separated by commas or white space. */
    static List<String> list(String text) {
        List<String> out = new ArrayList<>();
        for (String s : text.split("[,\\s]+")) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

    /** Whole seconds or an ISO-8601 duration ({@code PT15M}), positive. */
    static Duration duration(String name, String text) {
        try {
            Duration d = text.matches("\\d+") ? Duration.ofSeconds(Long.parseLong(text)) : Duration.parse(text);
            if (!d.isNegative() && !d.isZero()) {
                return d;
            }
        } catch (DateTimeParseException | NumberFormatException e) {
            // reported below
        }
        throw new InvalidInputException(name, "oneclick." + name + " is '" + text + "'; give seconds (900) or an "
                + "ISO-8601 duration (PT15M), more than zero.");
    }

    static int integer(String name, String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new InvalidInputException(name, "oneclick." + name + " is '" + text + "', not a whole number.");
        }
    }

    private void ifSet(String name, java.util.function.Consumer<String> setter) {
        String v = values.get(name);
        if (v != null) {
            try {
                setter.accept(v);
            } catch (InvalidInputException e) {
                throw renamed(e);
            }
        }
    }

    /** The same error with the core's field name replaced by the plugin's parameter name. */
    private static InvalidInputException renamed(InvalidInputException e) {
        String parameter = e.field() == null ? null : PARAMETER_OF_FIELD.get(e.field());
        if (parameter == null) {
            return e;
        }
        return new InvalidInputException(parameter, e.getMessage(), e);
    }
}
