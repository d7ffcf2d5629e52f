package dev.oneclick.maven.iam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * An IAM identity policy read from JSON, evaluated the way IAM does for a single identity policy: a request is
 * allowed when some Allow statement matches its action and resource and no Deny statement does. Action patterns
 * match case-insensitively, resource patterns case-sensitively; {@code *} and {@code ?} are wildcards.
 * Conditions and NotAction/NotResource are refused (the deployer's policy has none).
 */
public final class IamPolicy {
    private record Statement(boolean allow, List<Pattern> actions, List<Pattern> resources, List<String> rawActions,
            List<String> rawResources) {
    }

    private final List<Statement> statements;

    private IamPolicy(List<Statement> statements) {
        this.statements = statements;
    }

    public static IamPolicy load(Path file) throws IOException {
        return parse(new ObjectMapper().readTree(file.toFile()));
    }

    public static IamPolicy parse(String json) throws IOException {
        return parse(new ObjectMapper().readTree(json));
    }

    private static IamPolicy parse(JsonNode root) {
        if (!"2012-10-17".equals(root.path("Version").asText())) {
            throw new IllegalArgumentException("policy Version must be 2012-10-17");
        }
        List<Statement> out = new ArrayList<>();
        JsonNode st = root.path("Statement");
        for (JsonNode s : st.isArray() ? st : List.of(st)) {
            for (String unsupported : List.of("NotAction", "NotResource", "Condition", "Principal")) {
                if (s.has(unsupported)) {
                    throw new IllegalArgumentException("statement " + s.path("Sid").asText() + " has " + unsupported
                            + ", which this checker does not evaluate");
                }
            }
            String effect = s.path("Effect").asText();
            if (!effect.equals("Allow") && !effect.equals("Deny")) {
                throw new IllegalArgumentException("Effect must be Allow or Deny: " + s);
            }
            List<String> actions = strings(s.path("Action"));
            List<String> resources = strings(s.path("Resource"));
            if (actions.isEmpty() || resources.isEmpty()) {
                throw new IllegalArgumentException("statement without Action or Resource: " + s);
            }
            out.add(new Statement(effect.equals("Allow"), actions.stream().map(a -> glob(a, true)).toList(),
                    resources.stream().map(r -> glob(r, false)).toList(), actions, resources));
        }
        return new IamPolicy(List.copyOf(out));
    }

    private static List<String> strings(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return List.of();
        }
        if (node.isTextual()) {
            return List.of(node.asText());
        }
        List<String> out = new ArrayList<>();
        node.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static Pattern glob(String pattern, boolean ignoreCase) {
        StringBuilder re = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), ignoreCase ? Pattern.CASE_INSENSITIVE : 0);
    }

    /** Whether the policy allows {@code action} on {@code resource}. */
    public boolean allows(String action, String resource) {
        boolean allowed = false;
        for (Statement s : statements) {
            boolean actionMatches = s.actions().stream().anyMatch(p -> p.matcher(action).matches());
            boolean resourceMatches = s.resources().stream().anyMatch(p -> p.matcher(resource).matches());
            if (actionMatches && resourceMatches) {
                if (!s.allow()) {
                    return false;
                }
                allowed = true;
            }
        }
        return allowed;
    }

    /** The requirements of {@code operations} this policy does not allow, described; empty when all are. */
    public List<String> missing(Collection<AwsOperation> operations) {
        TreeSet<String> out = new TreeSet<>();
        for (AwsOperation op : operations) {
            for (IamActions.Required r : IamActions.of(op)) {
                if (!allows(r.action(), r.resource())) {
                    out.add(r + " (needed by " + op + ")");
                }
            }
        }
        return List.copyOf(out);
    }

    /** Every action the policy names, lowercase. */
    public List<String> actions() {
        return statements.stream().flatMap(s -> s.rawActions().stream()).map(a -> a.toLowerCase(Locale.ROOT))
                .distinct().sorted().toList();
    }

    /** Every resource pattern of the Allow statements. */
    public List<String> allowedResources() {
        return statements.stream().filter(Statement::allow).flatMap(s -> s.rawResources().stream()).distinct()
                .toList();
    }
}
