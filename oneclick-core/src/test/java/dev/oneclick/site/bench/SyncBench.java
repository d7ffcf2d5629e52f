package dev.oneclick.site.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * Benchmark: this project's sync against {@code aws s3 sync} (AWS CLI v2), both against the same s3proxy process
 * on 127.0.0.1, on a generated 5,000-file site; then the peak RSS of a new JVM deploying 20,000 files.
 *
 * <p>Usage: {@code SyncBench <work-dir> <aws-binary>} (run by {@code ./bench/run}). Ends with the line
 * {@code bench: full=<ratio> nochange=<ratio> onechange_puts=<n> rss_mb=<n>}.
 */
public final class SyncBench {
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private static final String CP = System.getProperty("java.class.path");
    /** {@code -Dbench.quick=true} ({@code ./bench/run --quick}): a smoke run of every path on small inputs, once. */
    static final boolean QUICK = Boolean.getBoolean("bench.quick");
    /** {@code -Dbench.tools=true} ({@code ./bench/run --tools}): only rclone, the plugin, its floor and destroy. */
    static final boolean TOOLS_ONLY = Boolean.getBoolean("bench.tools");
    static final int REPEATS = QUICK ? 1 : 3;
    private static final int SITE_FILES = QUICK ? 200 : 5000;
    private static final int RSS_FILES = QUICK ? 2000 : 20_000;
    /** JVM options of the new-JVM-per-deploy runs: C1 only and the serial collector suit a short-lived process. */
    static final List<String> CHILD_JVM_OPTS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    /** JVM options for the memory measurement, kept in one place so the report can name them. */
    static final List<String> RSS_JVM_OPTS = List.of("-Xmx128m", "-Xss512k", "-XX:+UseSerialGC",
            "-XX:MaxDirectMemorySize=64m", "-XX:ReservedCodeCacheSize=32m", "-XX:TieredStopAtLevel=1",
            "-XX:MaxMetaspaceSize=96m", "-Dio.netty.allocator.numDirectArenas=1",
            "-Dio.netty.allocator.numHeapArenas=1");

    private final Path work;
    private final String aws;
    private Process proxy;
    private PrintWriter proxyIn;
    private BufferedReader proxyOut;
    private URI endpoint;
    private SyncBenchDeploy.CountingClient shared;

    private SyncBench(Path work, String aws) {
        this.work = work;
        this.aws = aws;
    }

    public static void main(String[] args) throws Exception {
        SyncBenchDeploy.quietLogs();
        SyncBench bench = new SyncBench(Path.of(args[0]).toAbsolutePath(), args[1]);
        try {
            bench.run();
        } finally {
            if (bench.shared != null) {
                bench.shared.close();
            }
            bench.stopProxy();
        }
        System.exit(0);
    }

    private static void say(String line) {
        System.out.println("bench: " + line);
        System.out.flush();
    }

    private void run() throws Exception {
        startProxy();
        say("s3proxy 2.6.0 (in-memory store, own process) at " + endpoint);
        if (QUICK) {
            say("QUICK smoke run (--quick): " + SITE_FILES + "-file site, " + RSS_FILES + "-file memory run, npm "
                    + NPM_PACKAGE + ", each phase once; its figures are not the benchmark's");
        }
        Path site = work.resolve("site5k");
        Corpus.Stats stats = Corpus.generate(site, SITE_FILES, 42);
        say(String.format(Locale.ROOT, "corpus: %d files, %.1f MB (%d HTML, %d of 100-900 KB, %d of 20 MB, the rest"
                + " 1-50 KB, mostly fingerprinted assets)", stats.files(), stats.bytes() / 1048576.0, stats.html(),
                stats.medium(), stats.big()));
        Path changed = site.resolve("docs/section-5/page-5.html");
        if (TOOLS_ONLY) {
            toolsOnly(site, changed);
            return;
        }
        for (String b : List.of("bench-cli", "bench-oc", "bench-ocjvm", "bench-warmup")) {
            createBucket(b);
        }
        // The library runs embedded in a long-lived JVM (a backend, a Maven build): warm this JVM up the way an
        // earlier deploy would, on a different small site and bucket, before timing it.
        Path warm = work.resolve("warmup");
        Corpus.generate(warm, 1000, 1);
        shared = new SyncBenchDeploy.CountingClient(endpoint);
        SyncBenchDeploy.deploy(shared, "bench-warmup", warm);
        SyncBenchDeploy.deploy(shared, "bench-warmup", warm);
        say("oneclick in-process: this JVM and one S3 client (as a Deployer holds it), warmed up by two deploys of"
                + " another 1,000-file site; in a new JVM: a new java process per deploy ("
                + String.join(" ", CHILD_JVM_OPTS) + "), JVM start included");

        Result gen = phases("site5k", site, changed, "");
        Phase cliFull = gen.full[0];
        Phase ocFull = gen.full[1];
        Phase jvmFull = gen.full[2];
        Phase[] sameMedian = gen.same;
        Phase[] oneMedian = gen.one;
        long maxPuts = gen.maxPuts;

        // Peak RSS of a new JVM deploying 20,000 files.
        Path site20 = work.resolve("site20k");
        Corpus.Stats s20 = Corpus.generate(site20, RSS_FILES, 7);
        createBucket("bench-rss");
        List<String> cmd = new ArrayList<>();
        boolean time = Files.isExecutable(Path.of("/usr/bin/time"));
        if (time) {
            cmd.addAll(List.of("/usr/bin/time", "-v"));
        }
        cmd.add(JAVA);
        cmd.addAll(RSS_JVM_OPTS);
        cmd.addAll(List.of("-cp", CP, SyncBenchDeploy.class.getName(), endpoint.toString(), "bench-rss",
                site20.toString()));
        Exec rss = exec(cmd, Map.of());
        String deployLine = rss.lines.stream().filter(l -> l.startsWith("DEPLOY ")).findFirst()
                .orElseThrow(() -> new IllegalStateException("the 20,000-file deploy failed:\n" + rss.tail()));
        long hwmKb = Long.parseLong(field(deployLine, "vmhwm_kb"));
        long timeKb = rss.lines.stream().filter(l -> l.contains("Maximum resident set size"))
                .map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElse(-1L);
        long peakKb = Math.max(hwmKb, timeKb);
        say(String.format(Locale.ROOT, "rss: a new JVM (%s) deployed %d files (%.1f MB) in %.2f s (%s uploaded);"
                        + " peak RSS %d MB (/usr/bin/time -v: %s, VmHWM: %d MB)", String.join(" ", RSS_JVM_OPTS),
                s20.files(), s20.bytes() / 1048576.0, rss.seconds, field(deployLine, "uploaded"), peakKb / 1024,
                timeKb < 0 ? "n/a" : (timeKb / 1024) + " MB", hwmKb / 1024));

        // The same phases on a real tree nobody here wrote, then the tools run from a shell: rclone and the plugin.
        Path npm = ToolBench.npmTree(work, NPM_PACKAGE);
        Path npmChanged = npm == null ? null : ToolBench.fileToChange(npm);
        Result real = null;
        if (npm == null) {
            say("npm pack " + NPM_PACKAGE + " failed: no real tree this run");
        } else {
            ToolBench.Stats st = ToolBench.stats(npm);
            say(String.format(Locale.ROOT, "real tree: npm package %s (npm pack, unpacked, index.html added): %d files,"
                    + " %.1f MB; the one-change phases edit %s", NPM_PACKAGE, st.files(), st.bytes() / 1048576.0,
                    npm.relativize(npmChanged)));
            for (String b : List.of("npm-cli", "npm-oc", "npm-ocjvm")) {
                createBucket(b);
            }
            real = phases("npm", npm, npmChanged, "npm-");
        }
        // The phases above leave s3proxy holding every bucket they wrote (about 110,000 objects; 3.5-3.8 GB of its
        // 5 GB heap stayed live in a reproduction), and its full collections (0.6-1.4 s on both cores) then land on
        // whichever tool runs. The tools get a fresh one, as in the --tools run: the same for rclone and the plugin.
        stopProxy();
        startProxy();
        say("s3proxy restarted for the tools (the phases above filled its heap) at " + endpoint);
        ToolRuns t = tools(site, changed, npm, npmChanged, site20);
        ToolBench.Figures genTools = t.gen();
        ToolBench.Figures realTools = t.real();
        say("table (medians of " + REPEATS + "; mvn net = minus the Maven floor " + String.format(Locale.ROOT, "%.2f s",
                t.floor()) + "):");
        say("| corpus | phase | aws s3 sync | rclone tuned | oneclick in-process | oneclick new JVM | mvn deploy gross"
                + " | mvn net | net/rclone |");
        table("site5k", gen, genTools);
        if (real != null && realTools != null) {
            table("npm", real, realTools);
            say("npm: " + realTools.line());
        }
        say(String.format(Locale.ROOT, "in a new JVM per deploy: full=%.2f nochange=%.2f onechange=%.2f (ratios to the"
                        + " CLI, JVM start included)", jvmFull.seconds / cliFull.seconds,
                sameMedian[2].seconds / sameMedian[0].seconds, oneMedian[2].seconds / oneMedian[0].seconds));
        say(String.format(Locale.ROOT, "full=%.2f nochange=%.2f onechange_puts=%d rss_mb=%d",
                ocFull.seconds / cliFull.seconds, sameMedian[1].seconds / sameMedian[0].seconds, maxPuts,
                peakKb / 1024));
        say(genTools.line());
    }

    /** The tools part alone (rclone, the plugin, the Maven floor, destroy) on both corpora. */
    private void toolsOnly(Path site, Path changed) throws Exception {
        say("tools only (--tools): no AWS CLI, in-process or new-JVM runs; of the memory runs only the plugin's");
        Path npm = ToolBench.npmTree(work, NPM_PACKAGE);
        if (npm == null) {
            say("npm pack " + NPM_PACKAGE + " failed: no real tree this run");
        } else {
            ToolBench.Stats st = ToolBench.stats(npm);
            say(String.format(Locale.ROOT, "real tree: npm package %s: %d files, %.1f MB", NPM_PACKAGE, st.files(),
                    st.bytes() / 1048576.0));
        }
        Path site20 = work.resolve("site20k");
        Corpus.generate(site20, RSS_FILES, 7);
        ToolRuns t = tools(site, changed, npm, npm == null ? null : ToolBench.fileToChange(npm), site20);
        if (t.real() != null) {
            say("npm: " + t.real().line());
        }
        say(t.gen().line());
    }

    /** The figures of the tools on the generated corpus and the real tree (null when npm could not fetch it). */
    private record ToolRuns(ToolBench.Figures gen, ToolBench.Figures real, double floor) {
    }

    private ToolRuns tools(Path site, Path changed, Path npm, Path npmChanged, Path site20) throws Exception {
        ToolBench tools = new ToolBench(work, endpoint, SyncBench::say);
        try {
            tools.start();
            ToolBench.Figures gen = tools.run("site5k", site, changed);
            ToolBench.Figures real = npm == null ? null : tools.run("npm", npm, npmChanged);
            // last: its 20,000 files stay in s3proxy's memory, which would slow the phases after it
            double[] rss = tools.peakRss(site20);
            ToolBench.Stats st = ToolBench.stats(site20);
            say(String.format(Locale.ROOT, "mvn rss: the plugin (mvn oneclick:deploy, a new project, the forked JVM's"
                    + " class-data archive already written) deployed %d files (%.1f MB) in %.2f s; peak RSS of Maven"
                    + " and its forked JVM together %d MB", st.files(), st.bytes() / 1048576.0, rss[1],
                    Math.round(rss[0])));
            return new ToolRuns(gen, real, tools.floor());
        } finally {
            tools.stop();
        }
    }

    private static final String NPM_PACKAGE = System.getProperty("bench.npm", QUICK ? "ms@2.1.3" : "date-fns@2.30.0");

    /** The medians of the three phases of one corpus: [CLI, in-process, new JVM] each. */
    private record Result(Phase[] full, Phase[] same, Phase[] one, long maxPuts) {
    }

    private static void table(String corpus, Result r, ToolBench.Figures t) {
        Phase[][] phases = {r.full, r.same, r.one};
        ToolBench.Row[] rows = {t.full(), t.nochange(), t.onechange()};
        String[] names = {"full", "nochange", "onechange"};
        for (int i = 0; i < 3; i++) {
            say(String.format(Locale.ROOT, "| %s | %s | %.2f s | %.2f s | %.2f s | %.2f s | %.2f s | %.2f s | %.2f |",
                    corpus, names[i], phases[i][0].seconds, rows[i].rclone(), phases[i][1].seconds,
                    phases[i][2].seconds, rows[i].mvn(), rows[i].net(), rows[i].ratio()));
        }
        say(String.format(Locale.ROOT, "| %s | destroy (mvn) | | | | | %.2f s | | destroy/deploy %.2f |", corpus,
                t.destroy(), t.destroy() / t.deploy()));
    }

    /**
     * Full upload (three times, into empty buckets; the last repetition's buckets are the ones the later phases
     * use), no change, one file changed; each three times, the medians reported.
     */
    private Result phases(String name, Path site, Path changed, String prefix) throws Exception {
        String cliB = prefix.isEmpty() ? "bench-cli" : prefix + "cli";
        String ocB = prefix.isEmpty() ? "bench-oc" : prefix + "oc";
        String jvmB = prefix.isEmpty() ? "bench-ocjvm" : prefix + "ocjvm";
        List<Phase[]> full = new ArrayList<>();
        for (int rep = REPEATS - 1; rep >= 0; rep--) {
            String suffix = rep == 0 ? "" : "-" + rep;
            for (String b : List.of(cliB, ocB, jvmB)) {
                if (rep != 0) {
                    createBucket(b + suffix);
                }
            }
            full.add(new Phase[] {cli(site, cliB + suffix), ours(site, ocB + suffix), oursJvm(site, jvmB + suffix)});
        }
        Phase[] fullMedian = median(full);
        report(label(name, "full"), fullMedian[0], fullMedian[1], fullMedian[2]);

        List<Phase[]> same = new ArrayList<>();
        for (int rep = 0; rep < REPEATS; rep++) {
            same.add(new Phase[] {cli(site, cliB), ours(site, ocB), oursJvm(site, jvmB)});
        }
        Phase[] sameMedian = median(same);
        report(label(name, "nochange"), sameMedian[0], sameMedian[1], sameMedian[2]);

        List<Phase[]> one = new ArrayList<>();
        long maxPuts = 0;
        for (int rep = 0; rep < REPEATS; rep++) {
            Files.writeString(changed, "<!-- edit " + rep + " -->", StandardOpenOption.APPEND);
            Phase[] r = {cli(site, cliB), ours(site, ocB), oursJvm(site, jvmB)};
            maxPuts = Math.max(maxPuts, Math.max(r[1].puts(), r[2].puts()));
            one.add(r);
        }
        Phase[] oneMedian = median(one);
        report(label(name, "onechange"), oneMedian[0], oneMedian[1], oneMedian[2]);
        say(name + ": each figure is the median of " + REPEATS + " runs; onechange PUTs by oneclick, most in any run: "
                + maxPuts);
        return new Result(fullMedian, sameMedian, oneMedian, maxPuts);
    }

    /** Today's phase names for the generated corpus, prefixed by the corpus for the others. */
    private static String label(String corpus, String phase) {
        return corpus.equals("site5k") ? phase : corpus + " " + phase;
    }

    /** Per column (CLI, in-process, new JVM), the run with the median time. */
    private static Phase[] median(List<Phase[]> runs) {
        Phase[] m = new Phase[3];
        for (int c = 0; c < 3; c++) {
            int col = c;
            List<Phase> sorted = new ArrayList<>(runs.stream().map(r -> r[col]).toList());
            sorted.sort(java.util.Comparator.comparingDouble(Phase::seconds));
            m[c] = sorted.get(sorted.size() / 2);
        }
        return m;
    }

    /** One timed sync and the store operations s3proxy saw during it. */
    record Phase(double seconds, Map<String, Long> ops, String detail) {
        long puts() {
            return ops.getOrDefault("put", 0L) + ops.getOrDefault("mpu_part", 0L) + ops.getOrDefault("copy", 0L);
        }

        long requests() {
            return ops.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private void report(String name, Phase cli, Phase oc, Phase jvm) {
        say(String.format(Locale.ROOT, "%-9s aws s3 sync %7.2f s | oneclick %7.2f s  ratio %.2f | oneclick in a new JVM"
                        + " %7.2f s  ratio %.2f", name, cli.seconds, oc.seconds, oc.seconds / cli.seconds, jvm.seconds,
                jvm.seconds / cli.seconds));
        say(String.format(Locale.ROOT, "%-9s requests (as seen by s3proxy): aws s3 sync %d (PUTs %d) %s | oneclick %d"
                        + " (PUTs %d) %s", name, cli.requests(), cli.puts(), cli.ops, oc.requests(), oc.puts(), oc.ops));
        if (!oc.detail.isEmpty()) {
            say(String.format(Locale.ROOT, "%-9s oneclick: %s", name, oc.detail));
        }
    }

    private Phase cli(Path site, String bucket) throws Exception {
        resetCounts();
        Exec e = exec(List.of(aws, "s3", "sync", site.toString(), "s3://" + bucket, "--delete", "--no-progress",
                "--only-show-errors", "--endpoint-url", endpoint.toString()), cliEnv());
        if (e.exit != 0) {
            throw new IllegalStateException("aws s3 sync failed (exit " + e.exit + "):\n" + e.tail());
        }
        return new Phase(e.seconds, counts(), "");
    }

    private Phase ours(Path site, String bucket) throws Exception {
        resetCounts();
        SyncBenchDeploy.Outcome o = SyncBenchDeploy.deploy(shared, bucket, site);
        String detail = String.format(Locale.ROOT, "uploaded %d files (%.1f MB), headers %d, deleted %d, unchanged %d,"
                        + " manifest written %s; client-side requests %s", o.result().filesUploaded(),
                o.result().bytesUploaded() / 1048576.0, o.result().headersUpdated(), o.result().deleted(),
                o.plan().unchanged(), o.result().manifestWritten(), o.requests());
        return new Phase(o.time().toNanos() / 1e9, counts(), detail);
    }

    private Phase oursJvm(Path site, String bucket) throws Exception {
        resetCounts();
        List<String> cmd = new ArrayList<>(List.of(JAVA));
        cmd.addAll(CHILD_JVM_OPTS);
        cmd.addAll(List.of("-cp", CP, SyncBenchDeploy.class.getName(), endpoint.toString(), bucket, site.toString()));
        Exec e = exec(cmd, Map.of());
        if (e.exit != 0) {
            throw new IllegalStateException("the deploy JVM failed (exit " + e.exit + "):\n" + e.tail());
        }
        return new Phase(e.seconds, counts(), "");
    }

    private Map<String, String> cliEnv() throws IOException {
        Path config = work.resolve("aws-config");
        Files.writeString(config, "[default]\nregion = us-east-1\ns3 =\n  addressing_style = path\n");
        return Map.of("AWS_CONFIG_FILE", config.toString(), "AWS_SHARED_CREDENTIALS_FILE", work.resolve("none").toString(),
                "AWS_ACCESS_KEY_ID", "bench", "AWS_SECRET_ACCESS_KEY", "bench", "AWS_DEFAULT_REGION", "us-east-1",
                "AWS_EC2_METADATA_DISABLED", "true", "AWS_PAGER", "");
    }

    private void createBucket(String bucket) {
        try (S3AsyncClient s3 = SyncBenchDeploy.client(endpoint, new ExecutionInterceptor() { })) {
            s3.createBucket(b -> b.bucket(bucket)).join();
        }
    }

    // -------------------------------------------------------------------------------------------- processes

    record Exec(int exit, double seconds, List<String> lines) {
        String tail() {
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        }
    }

    private static Exec exec(List<String> cmd, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
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

    private void startProxy() throws IOException {
        // The in-memory store: jclouds' filesystem store lists every folder as a zero-byte key ending in '/', which
        // `aws s3 sync --delete` then deletes on every run (about a second each), drowning what is measured here.
        proxy = new ProcessBuilder(JAVA, "-Xmx5g", "-XX:+UseParallelGC", "-cp", CP, BenchS3Proxy.class.getName(),
                "transient", "0")
                .redirectError(work.resolve("s3proxy.log").toFile()).start();
        proxyIn = new PrintWriter(new OutputStreamWriter(proxy.getOutputStream(), StandardCharsets.UTF_8), true);
        proxyOut = new BufferedReader(new InputStreamReader(proxy.getInputStream(), StandardCharsets.UTF_8));
        String line = proxyLine("READY ");
        endpoint = URI.create("http://127.0.0.1:" + line.substring(6).trim());
    }

    private void stopProxy() throws InterruptedException {
        if (proxy != null) {
            proxyIn.close();
            if (!proxy.waitFor(20, TimeUnit.SECONDS)) {
                proxy.destroyForcibly();
            }
        }
    }

    /** The next protocol line from the proxy (its log lines on stdout are skipped). */
    private String proxyLine(String prefix) throws IOException {
        for (String line = proxyOut.readLine(); line != null; line = proxyOut.readLine()) {
            if (line.startsWith(prefix)) {
                return line;
            }
        }
        throw new IllegalStateException("s3proxy ended; see " + work.resolve("s3proxy.log"));
    }

    private void resetCounts() throws IOException {
        proxyIn.println("RESET");
        proxyLine("OK");
    }

    private Map<String, Long> counts() throws IOException {
        proxyIn.println("COUNTS");
        String line = proxyLine("COUNTS");
        Map<String, Long> m = new TreeMap<>();
        for (String part : line.substring("COUNTS".length()).trim().split(" ")) {
            if (part.contains("=")) {
                m.put(part.substring(0, part.indexOf('=')), Long.parseLong(part.substring(part.indexOf('=') + 1)));
            }
        }
        return m;
    }

    private static String field(String line, String name) {
        for (String part : line.split(" ")) {
            if (part.startsWith(name + "=")) {
                return part.substring(name.length() + 1);
            }
        }
        return "?";
    }

    static Duration seconds(double s) {
        return Duration.ofNanos((long) (s * 1e9));
    }
}
