package dev.oneclick.site.bench;

import dev.oneclick.local.Dynalite;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The tools people run from a shell, each a new process per run, against the benchmark's s3proxy: rclone with the
 * tuned flags ({@code --checksum --fast-list --transfers 32 --checkers 32}), and the oneclick Maven plugin without a
 * POM ({@code mvn -B -q dev.oneclick:oneclick-maven-plugin:<version>:deploy}, target aws, S3 on s3proxy, DynamoDB on
 * a local dynalite, {@code -Doneclick.cdn=false} because the plugin cannot use moto's CloudFront answers without
 * the corrections only oneclick-local's test clients apply), plus the Maven floor (the plugin's help goal) and the
 * plugin's destroy. The plugin comes from a benchmark-local Maven repository ({@code bench.m2}, seeded by
 * {@code ./bench/run}), never {@code ~/.m2}.
 */
final class ToolBench {
    private static final int REPEATS = SyncBench.REPEATS;

    /** One phase's medians: seconds of rclone, of the plugin (gross), and the plugin's PUT-like requests. */
    record Row(double rclone, double mvn, double floor) {
        double net() {
            return Math.max(0.001, mvn - floor);
        }

        double ratio() {
            return net() / rclone;
        }
    }

    /** The figures of one corpus. */
    record Figures(String corpus, Row full, Row nochange, Row onechange, double destroy, double deploy) {
        String line() {
            return String.format(Locale.ROOT, "mvn_full=%.2f mvn_nochange=%.2f mvn_onechange=%.2f destroy_ratio=%.2f",
                    full.ratio(), nochange.ratio(), onechange.ratio(), destroy / deploy);
        }
    }

    private final Path work;
    private final URI s3;
    private final Consumer<String> say;
    private final String rclone;
    private final String mvn;
    private final String m2;
    private final String plugin;
    private Dynalite dynalite;
    private double floor;

    ToolBench(Path work, URI s3, Consumer<String> say) {
        this.work = work;
        this.s3 = s3;
        this.say = say;
        this.rclone = System.getProperty("bench.rclone", "rclone");
        this.mvn = System.getProperty("bench.mvn", "mvn");
        this.m2 = System.getProperty("bench.m2");
        this.plugin = System.getProperty("bench.plugin", "dev.oneclick:oneclick-maven-plugin:0.1.0-SNAPSHOT");
        if (m2 == null) {
            throw new IllegalStateException("bench.m2 (the benchmark's own Maven repository) is not set");
        }
    }

    /**
     * Only the tools part, against an s3proxy already running: {@code ToolBench <work> <s3-endpoint> <site>
     * <changed-file>} (with {@code -Dbench.m2=...}).
     */
    public static void main(String[] args) throws Exception {
        SyncBenchDeploy.quietLogs();
        ToolBench t = new ToolBench(Path.of(args[0]).toAbsolutePath(), URI.create(args[1]),
                l -> System.out.println("bench: " + l));
        try {
            t.start();
            System.out.println("bench: " + t.run("site", Path.of(args[2]), Path.of(args[3])).line());
        } finally {
            t.stop();
        }
        System.exit(0);
    }

    /** Starts dynalite and measures the Maven floor (the help goal), median of three. */
    void start() throws Exception {
        dynalite = Dynalite.start();
        say.accept("tools: " + firstLine(exec(List.of(rclone, "version"), rcloneEnv(), null)) + " (--checksum"
                + " --fast-list --transfers 32 --checkers 32); " + plugin + " from " + m2 + " via " + firstLine(exec(
                List.of(mvn, "-v", "-B"), Map.of(), null)) + ", a new Maven process per run, DynamoDB on dynalite "
                + Dynalite.VERSION + " at " + dynalite.endpoint() + ", -Doneclick.cdn=false");
        List<Double> f = new ArrayList<>();
        for (int i = 0; i < REPEATS; i++) {
            Exec e = exec(mvnCmd("help", List.of()), mvnEnv(), work.toFile().toPath());
            check(e, "mvn help");
            f.add(e.seconds);
        }
        floor = median(f);
        say.accept(String.format(Locale.ROOT, "maven floor (mvn -B -q %s:help, no POM): %.2f s (median of %d: %s)",
                plugin, floor, REPEATS, f));
    }

    void stop() {
        if (dynalite != null) {
            dynalite.close();
        }
    }

    double floor() {
        return floor;
    }

    /**
     * Full upload (three times, each into a new bucket / project), no change and one file changed (three times each,
     * on the last full upload's bucket / project), then the plugin's destroy of the three projects.
     */
    Figures run(String corpus, Path site, Path changed) throws Exception {
        List<double[]> full = new ArrayList<>();
        String rcloneBucket = null;
        String guid = null;
        List<String> guids = new ArrayList<>();
        for (int rep = 0; rep < REPEATS; rep++) {
            rcloneBucket = "rclone-" + corpus + "-" + rep;
            guid = UUID.randomUUID().toString();
            guids.add(guid);
            full.add(new double[] {rclone(site, rcloneBucket), deploy(site, guid)});
        }
        Row fullRow = row(full);
        report(corpus, "full", fullRow);
        List<double[]> same = new ArrayList<>();
        for (int rep = 0; rep < REPEATS; rep++) {
            same.add(new double[] {rclone(site, rcloneBucket), deploy(site, guid)});
        }
        Row sameRow = row(same);
        report(corpus, "nochange", sameRow);
        List<double[]> one = new ArrayList<>();
        for (int rep = 0; rep < REPEATS; rep++) {
            Files.writeString(changed, "\n/* edit " + rep + " */\n", StandardOpenOption.APPEND);
            one.add(new double[] {rclone(site, rcloneBucket), deploy(site, guid)});
        }
        Row oneRow = row(one);
        report(corpus, "onechange", oneRow);
        List<Double> destroys = new ArrayList<>();
        for (String g : guids) {
            Exec e = exec(mvnCmd("destroy", List.of("-Doneclick.guid=" + g)), mvnEnv(), work);
            check(e, "mvn destroy");
            destroys.add(e.seconds);
        }
        double destroy = median(destroys);
        say.accept(String.format(Locale.ROOT, "%-9s mvn destroy %7.2f s (median of %d: %s) | mvn full deploy %7.2f s"
                + " | destroy/deploy %.2f (both gross, Maven start included; net %.2f)", corpus, destroy, REPEATS,
                destroys, fullRow.mvn, destroy / fullRow.mvn, (destroy - floor) / fullRow.net()));
        return new Figures(corpus, fullRow, sameRow, oneRow, destroy, fullRow.mvn);
    }

    /**
     * The plugin's deploy of {@code site} (a new project) with the peak resident memory of the whole process tree
     * (Maven and the goal's forked JVM, summed, sampled every 20 ms from {@code /proc/<pid>/status}).
     *
     * @return {peak MB, seconds}
     */
    double[] peakRss(Path site) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(mvnCmd("deploy", List.of("-Doneclick.guid=" + UUID.randomUUID(),
                "-Doneclick.siteDir=" + site))).redirectErrorStream(true).directory(work.toFile())
                .redirectOutput(work.resolve("rss-mvn.log").toFile());
        pb.environment().putAll(mvnEnv());
        long start = System.nanoTime();
        Process p = pb.start();
        long peakKb = 0;
        long deadline = start + TimeUnit.MINUTES.toNanos(30);
        while (!p.waitFor(20, TimeUnit.MILLISECONDS)) {
            if (System.nanoTime() > deadline) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new IllegalStateException("the plugin's 20,000-file deploy did not end within 30 minutes");
            }
            long sum = rssKb(p.toHandle());
            for (ProcessHandle d : p.descendants().toList()) {
                sum += rssKb(d);
            }
            peakKb = Math.max(peakKb, sum);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (p.exitValue() != 0) {
            throw new IllegalStateException("the plugin's 20,000-file deploy failed; see " + work.resolve("rss-mvn.log"));
        }
        return new double[] {peakKb / 1024.0, seconds};
    }

    private static long rssKb(ProcessHandle h) {
        try {
            for (String l : Files.readAllLines(Path.of("/proc", Long.toString(h.pid()), "status"))) {
                if (l.startsWith("VmRSS:")) {
                    return Long.parseLong(l.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // ended between the listing and the read
        }
        return 0;
    }

    private void report(String corpus, String phase, Row r) {
        say.accept(String.format(Locale.ROOT, "%-9s %-9s rclone %7.2f s | mvn oneclick:deploy %7.2f s, net of Maven's"
                        + " start %7.2f s  ratio %.2f", corpus, phase, r.rclone, r.mvn, r.net(), r.ratio()));
    }

    private Row row(List<double[]> runs) {
        List<Double> a = new ArrayList<>();
        List<Double> b = new ArrayList<>();
        for (double[] r : runs) {
            a.add(r[0]);
            b.add(r[1]);
        }
        return new Row(median(a), median(b), floor);
    }

    private double rclone(Path site, String bucket) throws Exception {
        Exec e = exec(List.of(rclone, "sync", site.toString(), "bench:" + bucket, "--checksum", "--fast-list",
                "--transfers", "32", "--checkers", "32", "-q"), rcloneEnv(), work);
        check(e, "rclone sync");
        return e.seconds;
    }

    private double deploy(Path site, String guid) throws Exception {
        Exec e = exec(mvnCmd("deploy", List.of("-Doneclick.guid=" + guid, "-Doneclick.siteDir=" + site)), mvnEnv(),
                work);
        check(e, "mvn deploy");
        return e.seconds;
    }

    private List<String> mvnCmd(String goal, List<String> extra) {
        List<String> cmd = new ArrayList<>(List.of(mvn, "-B", "-q", "-o", "-Dmaven.repo.local=" + m2,
                plugin + ":" + goal));
        if (!goal.equals("help")) {
            cmd.addAll(List.of("-Doneclick.target=aws", "-Doneclick.s3Endpoint=" + s3, "-Doneclick.s3Compatible=true",
                    "-Doneclick.dynamoDbEndpoint=" + dynalite.endpoint(), "-Doneclick.cdn=false",
                    "-Doneclick.userId=bench", "-Doneclick.region=us-east-1"));
        }
        cmd.addAll(extra);
        return cmd;
    }

    private Map<String, String> mvnEnv() {
        return Map.of("AWS_ACCESS_KEY_ID", "bench", "AWS_SECRET_ACCESS_KEY", "bench", "AWS_EC2_METADATA_DISABLED",
                "true", "AWS_CONFIG_FILE", work.resolve("none").toString(), "AWS_SHARED_CREDENTIALS_FILE",
                work.resolve("none").toString());
    }

    private Map<String, String> rcloneEnv() {
        Map<String, String> env = new TreeMap<>();
        env.put("RCLONE_CONFIG", work.resolve("rclone.conf").toString());
        env.put("RCLONE_CONFIG_BENCH_TYPE", "s3");
        env.put("RCLONE_CONFIG_BENCH_PROVIDER", "Other");
        env.put("RCLONE_CONFIG_BENCH_ENDPOINT", s3.toString());
        env.put("RCLONE_CONFIG_BENCH_ACCESS_KEY_ID", "bench");
        env.put("RCLONE_CONFIG_BENCH_SECRET_ACCESS_KEY", "bench");
        env.put("RCLONE_CONFIG_BENCH_FORCE_PATH_STYLE", "true");
        env.put("RCLONE_CONFIG_BENCH_REGION", "us-east-1");
        env.put("AWS_CA_BUNDLE", null); // rclone refuses to start while it is set: removed for rclone only
        return env;
    }

    private static void check(Exec e, String what) {
        if (e.exit != 0) {
            throw new IllegalStateException(what + " failed (exit " + e.exit + "):\n" + e.tail());
        }
    }

    private static String firstLine(Exec e) {
        return e.lines.isEmpty() ? "?" : e.lines.get(0).replaceAll("\u001b\\[[0-9;]*m", "");
    }

    static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(Comparator.naturalOrder());
        return s.get(s.size() / 2);
    }

    record Exec(int exit, double seconds, List<String> lines) {
        String tail() {
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        }
    }

    /** Runs a command; a null value in {@code env} removes that variable. */
    static Exec exec(List<String> cmd, Map<String, String> env, Path dir) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        env.forEach((k, v) -> {
            if (v == null) {
                pb.environment().remove(k);
            } else {
                pb.environment().put(k, v);
            }
        });
        long start = System.nanoTime();
        Process p = pb.start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String l = r.readLine(); l != null; l = r.readLine()) {
                lines.add(l);
            }
        }
        if (!p.waitFor(30, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + cmd);
        }
        return new Exec(p.exitValue(), (System.nanoTime() - start) / 1e9, lines);
    }

    /**
     * A real tree nobody here wrote: the npm package {@code spec} fetched with {@code npm pack} and unpacked, with an
     * {@code index.html} added at its top when it has none (a site needs one). Null when npm cannot fetch it.
     */
    static Path npmTree(Path work, String spec) throws Exception {
        Path dir = work.resolve("npm");
        Files.createDirectories(dir);
        Exec pack = exec(List.of("npm", "pack", spec, "--silent"), Map.of(), dir);
        if (pack.exit != 0) {
            return null;
        }
        String tgz = pack.lines.get(pack.lines.size() - 1).trim();
        Exec untar = exec(List.of("tar", "xzf", tgz), Map.of(), dir);
        check(untar, "tar");
        Path tree = dir.resolve("package");
        if (!Files.exists(tree.resolve("index.html"))) {
            Files.writeString(tree.resolve("index.html"), "<!doctype html><title>" + spec + "</title>\n");
        }
        return tree;
    }

    /** The file the one-change phases edit in a tree: its README (any case), else its first file by path. */
    static Path fileToChange(Path tree) throws IOException {
        try (var s = Files.walk(tree)) {
            List<Path> files = s.filter(Files::isRegularFile).filter(p -> !p.equals(tree.resolve("index.html")))
                    .sorted().toList();
            return files.stream().filter(p -> p.getParent().equals(tree)
                            && p.getFileName().toString().toLowerCase(Locale.ROOT).equals("readme.md"))
                    .findFirst().orElse(files.isEmpty() ? tree.resolve("index.html") : files.get(0));
        }
    }

    static Stats stats(Path tree) throws IOException {
        long[] n = new long[2];
        try (var s = Files.walk(tree)) {
            s.filter(Files::isRegularFile).forEach(p -> {
                n[0]++;
                n[1] += p.toFile().length();
            });
        }
        return new Stats(n[0], n[1]);
    }

    record Stats(long files, long bytes) {
    }
}
