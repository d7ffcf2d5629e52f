package dev.oneclick.maven;

import dev.oneclick.DeployRequest;
import dev.oneclick.maven.internal.StackParameters;
import dev.oneclick.stack.Backend;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * The parameters of the goals that build a deploy request (deploy, plan): the kind of project and, for a full
 * stack, the backend, its image source and its database. Each is settable as {@code -Doneclick.<name>}; the mapping
 * to the core and its checks are in {@link StackParameters}.
 */
public abstract class AbstractStackMojo extends AbstractOneclickMojo {

    /**
     * {@code static} (the default: a built site on S3 + CloudFront) or {@code fullstack} (a backend on ECS Fargate
     * behind an ALB that only CloudFront reaches, an optional database, and the site in {@code siteDir} as the
     * frontend when there is one).
     */
    @Parameter(property = "oneclick.kind", defaultValue = "static")
    protected String kind;

    /** Full stack: the backend's runnable jar; default the project's packaged jar. */
    @Parameter(property = "oneclick.jar")
    protected String jar;

    /** Full stack: a classes folder to run instead of a jar (with {@code mainClass}). */
    @Parameter(property = "oneclick.classesDir")
    protected String classesDir;

    /** Full stack: the main class of {@code classesDir}. */
    @Parameter(property = "oneclick.mainClass")
    protected String mainClass;

    /** Full stack: a folder of dependency jars for {@code classesDir} (e.g. {@code target/dependency}). */
    @Parameter(property = "oneclick.dependenciesDir")
    protected String dependenciesDir;

    /** Full stack: a Dockerfile (or the folder holding it), built with docker, podman or buildah. */
    @Parameter(property = "oneclick.dockerfile")
    protected String dockerfile;

    /** Full stack: an existing image to deploy, such as {@code registry.example.com/team/app:1.2}. */
    @Parameter(property = "oneclick.image")
    protected String image;

    /** Full stack: the base image a jar or classes folder is put on; default {@code eclipse-temurin:17-jre}. */
    @Parameter(property = "oneclick.baseImage")
    protected String baseImage;

    /** Full stack: the port the backend listens on (it gets it as {@code PORT}); default 8080. */
    @Parameter(property = "oneclick.port")
    protected String port;

    /** Full stack: the health check path, answered 2xx by a healthy backend; default {@code /api/health}. */
    @Parameter(property = "oneclick.healthPath")
    protected String healthPath;

    /**
     * Full stack: environment variables for the backend, {@code NAME=value} separated by semicolons or new lines.
     * Not for secrets (they show in the task definition). {@code PORT} and {@code DB_*} are set by oneclick.
     */
    @Parameter(property = "oneclick.env")
    protected String env;

    /** Full stack: Fargate CPU units (256 = 0.25 vCPU); default 256. */
    @Parameter(property = "oneclick.cpu")
    protected String cpu;

    /** Full stack: Fargate memory in MiB; default 512. */
    @Parameter(property = "oneclick.memory")
    protected String memory;

    /** Full stack: how many tasks run; default 1. */
    @Parameter(property = "oneclick.desiredCount")
    protected String desiredCount;

    /** Full stack: how long deploy waits for the rollout (seconds or {@code PT15M}); default 15 minutes. */
    @Parameter(property = "oneclick.rolloutTimeout")
    protected String rolloutTimeout;

    /** Full stack: {@code none} (the default), {@code postgres} or {@code mysql}. */
    @Parameter(property = "oneclick.database")
    protected String database;

    /** Full stack: the database's RDS instance class; default {@code db.t4g.micro}. */
    @Parameter(property = "oneclick.dbInstanceClass")
    protected String dbInstanceClass;

    /** Full stack: the database's storage in GiB (20 or more); default 20. */
    @Parameter(property = "oneclick.dbStorage")
    protected String dbStorage;

    /** Full stack: the database's name (the backend's {@code DB_NAME}); default {@code app}. */
    @Parameter(property = "oneclick.dbName")
    protected String dbName;

    /** Full stack: a task execution role to use instead of the one oneclick creates. */
    @Parameter(property = "oneclick.executionRoleArn")
    protected String executionRoleArn;

    /** Full stack: subnets for the tasks and the load balancer (comma-separated); default the default VPC's. */
    @Parameter(property = "oneclick.subnets")
    protected String subnets;

    /** The full-stack parameters, checked and mapped to the core by {@link StackParameters}. */
    protected StackParameters stackParameters() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("kind", kind);
        v.put("jar", jar);
        v.put("classesDir", classesDir);
        v.put("mainClass", mainClass);
        v.put("dependenciesDir", dependenciesDir);
        v.put("dockerfile", dockerfile);
        v.put("image", image);
        v.put("baseImage", baseImage);
        v.put("port", port);
        v.put("healthPath", healthPath);
        v.put("env", env);
        v.put("cpu", cpu);
        v.put("memory", memory);
        v.put("desiredCount", desiredCount);
        v.put("rolloutTimeout", rolloutTimeout);
        v.put("database", database);
        v.put("dbInstanceClass", dbInstanceClass);
        v.put("dbStorage", dbStorage);
        v.put("dbName", dbName);
        v.put("executionRoleArn", executionRoleArn);
        v.put("subnets", subnets);
        return new StackParameters(v, this::resolve, defaultJar());
    }

    /** The project's packaged jar (set by {@code package} in this run, else where it would be), or null. */
    private Path defaultJar() {
        if (project == null || project.getFile() == null) {
            return null;
        }
        File packaged = project.getArtifact() == null ? null : project.getArtifact().getFile();
        if (packaged != null && packaged.isFile() && packaged.getName().endsWith(".jar")) {
            return packaged.toPath();
        }
        String finalName = project.getBuild() == null ? null : project.getBuild().getFinalName();
        return finalName == null ? null : buildDirectory().toPath().resolve(finalName + ".jar");
    }

    /** With a full stack the backend is added; the site folder is then the optional frontend. */
    @Override
    protected DeployRequest request(String checkedGuid, String checkedUser) {
        Backend backend = stackParameters().backend();
        if (backend == null) {
            return super.request(checkedGuid, checkedUser);
        }
        return super.request(checkedGuid, checkedUser).toBuilder().backend(backend).build();
    }

    /** A full stack without {@code siteDir} (and without dist/ or build/) has no frontend. */
    @Override
    protected Path requestSiteDir() {
        boolean fullStack = stackParameters().kind() == DeployRequest.Kind.FULL_STACK;
        if (fullStack && (siteDir == null || siteDir.isBlank()) && (buildCommand == null || buildCommand.isBlank())
                && !Files.isDirectory(baseDir().resolve("dist")) && !Files.isDirectory(baseDir().resolve("build"))) {
            return null;
        }
        return super.requestSiteDir();
    }
}
